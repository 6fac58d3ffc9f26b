"""The review stream: every saved comment gets one entry, read by classifier
workers through a consumer group.

An entry read by a worker stays pending until it is acknowledged, so a worker
that dies mid-batch loses nothing: :meth:`ReviewQueue.reclaim` hands its
entries to another.
"""

from dataclasses import dataclass

import redis

from moderation.keys import SiteKeys

FIELD = "comment"  # the entry field holding the comment id (written by the store)
GROUP = "classifiers"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    entry_id: str
    comment_id: str


def _entries(raw: list) -> list[QueueEntry]:
    """Entries from a client made with decode_responses=True (services.connect)."""
    entries = []
    for entry_id, fields in raw:
        if fields is None:  # deleted from the stream while pending
            continue
        entries.append(QueueEntry(entry_id, fields.get(FIELD)))
    return entries


def _next_id(entry_id: str) -> str:
    millis, sequence = entry_id.split("-")
    return f"{millis}-{int(sequence) + 1}"


class ReviewQueue:
    def __init__(self, client: redis.Redis, site: str = "default", group: str = GROUP) -> None:
        self.client = client
        self.keys = SiteKeys(site)
        self.group = group

    def ensure_group(self) -> None:
        """Create the stream and its consumer group; safe to call at every start."""
        try:
            self.client.xgroup_create(self.keys.queue, self.group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def read(
        self, consumer: str, count: int = 100, block_ms: int | None = None
    ) -> list[QueueEntry]:
        """New entries for ``consumer``; they stay pending until :meth:`ack`."""
        reply = self.client.xreadgroup(
            self.group, consumer, {self.keys.queue: ">"}, count=count, block=block_ms
        )
        if not reply:
            return []
        return _entries(reply[0][1])

    def ack(self, entry_ids: list[str]) -> int:
        if not entry_ids:
            return 0
        return self.client.xack(self.keys.queue, self.group, *entry_ids)

    def reclaim(self, consumer: str, min_idle_ms: int, count: int = 100) -> list[QueueEntry]:
        """Take over entries another consumer has held longer than ``min_idle_ms``."""
        reply = self.client.xautoclaim(
            self.keys.queue, self.group, consumer, min_idle_ms, start_id="0-0", count=count
        )
        return _entries(reply[1])

    def deliveries(self, entry_ids: list[str]) -> dict[str, int]:
        """How many times each pending entry has been delivered."""
        if not entry_ids:
            return {}
        ordered = sorted(entry_ids, key=lambda value: tuple(int(part) for part in value.split("-")))
        rows = self.client.xpending_range(
            self.keys.queue, self.group, min=ordered[0], max=ordered[-1], count=10_000
        )
        wanted = set(entry_ids)
        return {
            row["message_id"]: row["times_delivered"] for row in rows if row["message_id"] in wanted
        }

    def trim(self) -> int:
        """Drop entries every consumer is done with: older than the oldest
        pending entry and already delivered. Never an unacknowledged one."""
        summary = self.client.xpending(self.keys.queue, self.group)
        groups = {group["name"]: group for group in self.client.xinfo_groups(self.keys.queue)}
        last = groups.get(self.group, {}).get("last-delivered-id")
        if not last or last == "0-0":
            return 0
        floor = summary["min"] if summary["pending"] else _next_id(last)
        return self.client.xtrim(self.keys.queue, minid=floor, approximate=False)

    def pending(self) -> int:
        return self.client.xpending(self.keys.queue, self.group)["pending"]

    def length(self) -> int:
        return self.client.xlen(self.keys.queue)
