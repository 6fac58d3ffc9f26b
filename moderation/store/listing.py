"""The read side of the comment store: lists by status and by thread, pages,
and the published list's version. Mixed into :class:`CommentStore`, whose
``client``, ``keys`` and ``site`` it reads."""

import redis

from moderation.keys import SiteKeys
from moderation.store.records import Comment, comment_from


class CommentListing:
    client: redis.Redis
    keys: SiteKeys
    site: str

    def get_many(self, comment_ids: list[str]) -> list[dict[str, str]]:
        """Raw fields of each comment, ``{}`` for a missing one; one round trip."""
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id in comment_ids:
                pipe.hgetall(self.keys.comment(comment_id))
            return pipe.execute()

    def count(self, status: str) -> int:
        return self.client.zcard(self.keys.status(status))

    def in_status(
        self, status: str, after: str | None = None, limit: int = 50, thread: str | None = None
    ) -> tuple[list[Comment], str | None]:
        """Comments in ``status`` (of one thread if given), oldest first, and the
        cursor of the next page."""
        index = self.keys.thread_status(thread, status) if thread else self.keys.status(status)
        return self._page(index, after, limit)

    def most_uncertain(self, offset: int = 0, limit: int = 50) -> tuple[list[Comment], int | None]:
        """Comments in review whose score is nearest 0.5 first; unscored ones are
        not in this order. Returns the offset of the next page."""
        ids = self.client.zrange(self.keys.uncertain, offset, offset + limit)
        more = len(ids) > limit
        return self.comments(ids[:limit]), (offset + limit if more else None)

    def approved(
        self, thread: str, after: str | None = None, limit: int = 200
    ) -> tuple[list[Comment], str | None]:
        """Approved comments of ``thread``, oldest first, and the cursor of the next page.

        Ids sort by creation time, so the index is ordered by member name and
        the cursor is simply the last id seen.
        """
        return self._page(self.keys.approved(thread), after, limit)

    def latest_approved(self, thread: str, limit: int = 50) -> list[Comment]:
        """The ``limit`` newest approved comments of ``thread``, newest first."""
        ids = self.client.zrevrangebylex(self.keys.approved(thread), "+", "-", start=0, num=limit)
        return self.comments(ids)

    def approved_count(self, thread: str) -> int:
        return self.client.zcard(self.keys.approved(thread))

    def approved_version(self, thread: str) -> int:
        """Changes whenever the thread's approved list does (0 before the first)."""
        return int(self.client.get(self.keys.approved_version(thread)) or 0)

    def approved_state(self, thread: str) -> tuple[int, float | None]:
        """The version and when the list last changed (None: not since this
        was recorded), in one round trip."""
        version, changed = self.client.mget(
            self.keys.approved_version(thread), self.keys.approved_changed(thread))
        return int(version or 0), (float(changed) if changed else None)

    def _page(self, index: str, after: str | None, limit: int) -> tuple[list[Comment], str | None]:
        low = f"({after}" if after else "-"
        ids = self.client.zrangebylex(index, low, "+", start=0, num=limit + 1)
        more = len(ids) > limit
        ids = ids[:limit]
        return self.comments(ids), (ids[-1] if more and ids else None)

    def comments(self, ids: list[str]) -> list[Comment]:
        """The comments of these ids that exist, in the same order."""
        rows = self.get_many(ids)
        return [comment_from(row, i, self.site) for i, row in zip(ids, rows, strict=True) if row]
