"""The last decisions of one moderator session, so that each can be undone.

A list per session in Redis, newest first, cut to ``KEEP`` entries: the
cookie would be too small for twenty bulk decisions, and a list in Redis
ends with the session's idle time. Each entry says which comments moved,
the status each had before (where undo sends it back), the tab and the
place in the list the moderator was at (where undo takes them back).
"""

import json
from dataclasses import asdict, dataclass, field

import redis

from moderation.keys import UNDO

KEEP = 20
TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Step:
    """One decision: ``previous`` maps each comment id to its status before."""

    site: str
    status: str  # where the decision moved the comments
    previous: dict[str, str]
    tab: str  # the tab the moderator decided from
    position: int = 0  # the index of the first comment in that tab's list
    query: dict[str, str] = field(default_factory=dict)  # sort, thread: the tab as it was


class UndoStack:
    def __init__(self, client: redis.Redis, session_id: str) -> None:
        self.client = client
        self.key = UNDO + session_id

    def push(self, step: Step) -> None:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lpush(self.key, json.dumps(asdict(step)))
            pipe.ltrim(self.key, 0, KEEP - 1)
            pipe.expire(self.key, TTL_SECONDS)
            pipe.execute()

    def pop(self) -> Step | None:
        raw = self.client.lpop(self.key)
        if raw is None:
            return None
        try:
            return Step(**json.loads(raw))
        except (ValueError, TypeError):  # written by an older version: nothing to undo
            return None

    def depth(self) -> int:
        return int(self.client.llen(self.key))

    def clear(self) -> None:
        self.client.delete(self.key)
