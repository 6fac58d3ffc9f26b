"""The audit log: every moderator decision (written by ``CommentStore.decide``
in the same step as the decision) and every use of an API token, one log per
site; and the team's log, every change to accounts, grants and sessions."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from moderation.keys import TEAM_AUDIT, SiteKeys

READS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class AuditEntry:
    entry_id: str
    fields: dict[str, str]


class AuditLog:
    def __init__(
        self, client: redis.Redis, site: str = "default", clock: Callable[[], float] = time.time
    ) -> None:
        self.client = client
        self.key = SiteKeys(site).audit
        self.clock = clock

    @classmethod
    def team(cls, client: redis.Redis, clock: Callable[[], float] = time.time) -> "AuditLog":
        """The log of changes to the team: invitations, roles, grants, sessions."""
        log = cls(client, clock=clock)
        log.key = TEAM_AUDIT
        return log

    def event(self, who: str, event: str, **fields: str) -> None:
        """Anything else worth a trace (a privacy erasure, say)."""
        self.client.xadd(
            self.key, {"at": repr(self.clock()), "moderator": who, "event": event, **fields}
        )

    def api_call(self, moderator: str, method: str, path: str) -> None:
        self.client.xadd(
            self.key,
            {
                "at": repr(self.clock()),
                "moderator": moderator,
                "event": "api",
                "method": method,
                "path": path[:300],
            },
        )

    def entries(
        self, *, moderator: str | None = None, comment: str | None = None, limit: int = 100,
        before: str = "+", reads: bool = True,
    ) -> list[AuditEntry]:  # fmt: skip
        """Newest first, optionally only one moderator's or one comment's;
        without ``reads``, API calls that only read are left out."""
        found: list[AuditEntry] = []
        cursor = before
        while len(found) < limit:
            batch = self.client.xrevrange(self.key, max=cursor, min="-", count=500)
            if not batch:
                break
            for entry_id, fields in batch:
                if moderator and fields.get("moderator") != moderator:
                    continue
                if comment and fields.get("comment") != comment:
                    continue
                if not reads and fields.get("event") == "api" and fields.get("method") in READS:
                    continue
                found.append(AuditEntry(entry_id, fields))
                if len(found) == limit:
                    break
            cursor = f"({batch[-1][0]}"
        return found
