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
    entries = []
    for entry_id, fields in raw:
        if fields is None:  # deleted from the stream while pending
            continue
        entry_id = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
        value = fields.get(FIELD) or fields.get(FIELD.encode())
        value = value.decode() if isinstance(value, bytes) else value
        entries.append(QueueEntry(entry_id, value))
    return entries


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

    def pending(self) -> int:
        return self.client.xpending(self.keys.queue, self.group)["pending"]

    def length(self) -> int:
        return self.client.xlen(self.keys.queue)
