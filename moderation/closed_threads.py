"""Closed threads: a discussion that shows its comments but takes no more.

A moderator closes or reopens any thread (the queue page, the moderation
API); an article's own discussion also closes by itself ``CLOSE_AFTER_DAYS``
after the article's date. What moderators chose is kept per site in one hash
(``SiteKeys.closed``): "closed", or "open" for a thread reopened after its
automatic closing (it then stays open). The submission script reads that
hash in the same atomic step that saves a comment (``store/lua/submit.lua``),
so no way of posting gets past a closing; this module only says what the
automatic rule decides and writes the moderators' choices.
"""

import time
from collections.abc import Callable, Iterable

import redis

from moderation.articles import ArticleLibrary
from moderation.audit import AuditLog
from moderation.keys import SiteKeys
from moderation.sites import DEFAULT

DAY = 86400.0
CLOSED, OPEN = "closed", "open"  # the hash's values; no field: the automatic rule decides


class ClosedThreads:
    def __init__(
        self, client: redis.Redis, articles: ArticleLibrary, close_after_days: int,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.client = client
        self.articles = articles
        self.close_after_days = close_after_days
        self.clock = clock

    def past_closing(self, site: str, thread: str) -> bool:
        """Whether the automatic rule closes ``thread`` now: only our own
        articles have a date to count from."""
        if self.close_after_days <= 0 or site != DEFAULT:
            return False
        article = self.articles.get(thread)
        if article is None:
            return False
        return self.clock() >= article.date.timestamp() + self.close_after_days * DAY

    def is_closed(self, site: str, thread: str) -> bool:
        return self._decides(self.client.hget(SiteKeys(site).closed, thread), site, thread)

    def closed_among(self, site: str, threads: Iterable[str]) -> set[str]:
        """Which of ``threads`` are closed, in one round trip (the queue page)."""
        wanted = sorted(set(threads))
        if not wanted:
            return set()
        states = self.client.hmget(SiteKeys(site).closed, wanted)
        return {thread for thread, state in zip(wanted, states, strict=True)
                if self._decides(state, site, thread)}  # fmt: skip

    def _decides(self, state: str | None, site: str, thread: str) -> bool:
        return state == CLOSED or (state != OPEN and self.past_closing(site, thread))

    def set_closed(self, site: str, thread: str, closed: bool, who: str, via: str) -> None:
        """Close or reopen ``thread``, with its audit entry, in one transaction
        (both keys carry the site's hash tag)."""
        keys = SiteKeys(site)
        audit = AuditLog(self.client, site, clock=self.clock)
        with self.client.pipeline(transaction=True) as pipe:
            if closed:
                pipe.hset(keys.closed, thread, CLOSED)
            elif self.past_closing(site, thread):
                pipe.hset(keys.closed, thread, OPEN)  # overrides the automatic rule
            else:
                pipe.hdel(keys.closed, thread)
            pipe.xadd(audit.key, {"at": repr(self.clock()), "moderator": who,
                                  "event": "thread_closed" if closed else "thread_reopened",
                                  "thread": thread, "via": via})  # fmt: skip
            pipe.execute()
