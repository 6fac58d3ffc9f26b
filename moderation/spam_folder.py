"""The spam folder: emptied by a moderator (« Vider le spam ») or every day
after ``SPAM_RETENTION_DAYS``. Each emptying deletes the comments for good
and writes one entry in the site's decision log with how many went."""

import time
from collections.abc import Callable

import redis

from moderation.audit import AuditLog
from moderation.keys import SiteKeys
from moderation.store import CommentStore

DAY = 86400.0
_BATCH = 500


class SpamFolder:
    def __init__(self, client: redis.Redis, site: str = "default",
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.client = client
        self.site = site
        self.store = CommentStore(client, site, clock=clock)
        self.clock = clock

    def count_older(self, days: int) -> int:
        """Spam filed more than ``days`` days ago (0: all of it)."""
        return len(self._older(days))

    def empty(self, days: int, by: str) -> int:
        """Delete the spam filed more than ``days`` days ago (0: all of it);
        audited with the count. Returns how many were deleted."""
        deleted = 0
        for comment in self._older(days):
            deleted += self.store.erase(comment)
        AuditLog(self.client, self.site, clock=self.clock).event(
            by, "spam_emptied", count=str(deleted), older_than_days=str(days))
        return deleted

    def purge_daily(self, days: int) -> bool:
        """The retention purge, once a day across all workers; 0 days: never."""
        if days <= 0:
            return False
        if not self.client.set(SiteKeys(self.site).spam_purge, "1", nx=True, ex=int(DAY)):
            return False
        self.empty(days, "retention")
        return True

    def _older(self, days: int) -> list:
        """Spam comments filed as spam (their last change) before the cut-off."""
        cut = self.clock() - days * DAY
        ids = self.client.zrange(self.store.keys.status("spam"), 0, -1)
        found = []
        for start in range(0, len(ids), _BATCH):
            for comment in self.store.comments(ids[start : start + _BATCH]):
                since = float(comment.updated_at or comment.created_at)
                if not days or since < cut:
                    found.append(comment)
        return found
