"""Who wrote a comment: their history, and the marks moderators put on them.

An author is known by their e-mail address and, apart from it, by their
client-IP hash; each is a "subject" (the address itself is never a key: a
hash of it is). Per site, ``author:{site}:<subject>`` lists the ids of the
subject's comments (the worker adds each comment it classifies) and
``authors:{site}`` holds the marks: trusted (their likely-good comments skip
review) or blocked (their comments go straight to spam, silently), each
with an optional end. Counts are read from the comments themselves, and a
comment whose address or IP hash was erased since no longer counts.
"""

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import redis

from moderation.audit import AuditLog
from moderation.keys import SiteKeys
from moderation.store import Comment, CommentStore, created_at_of

MARKS = ("trusted", "blocked")
RECENT_DAYS = 90  # the window of AUTO_APPROVE_KNOWN_AUTHORS
LOOK_BACK = 200  # comments of one author read at most when routing


def email_subject(email: str) -> str:
    return "e:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24] if email else ""


def ip_subject(ip_hash: str) -> str:
    return "i:" + ip_hash[:32] if ip_hash else ""


@dataclass(frozen=True)
class Mark:
    kind: str  # trusted or blocked
    by: str
    at: float
    until: float = 0.0  # 0: until removed


@dataclass(frozen=True)
class Standing:
    """What the worker's routing needs to know of a new comment's author."""

    mark: str = ""  # trusted, blocked or ""
    known: bool = False  # an earlier comment on this site
    approved: int = 0  # published in the last RECENT_DAYS
    refused: int = 0  # spam or rejected in the last RECENT_DAYS


@dataclass
class History:
    """One subject's comments on the sites a moderator may see."""

    counts: Counter = field(default_factory=Counter)  # status → comments
    first_seen: float | None = None
    last: list[Comment] = field(default_factory=list)  # newest first, at most five


class Authors:
    def __init__(self, client: redis.Redis, site: str = "default",
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.client = client
        self.site = site
        self.keys = SiteKeys(site)
        self.clock = clock

    def record(self, comments: Sequence[tuple[str, str, str]]) -> None:
        """Add (comment id, e-mail, IP hash) to their authors' lists."""
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id, email, ip_hash in comments:
                for subject in (email_subject(email), ip_subject(ip_hash)):
                    if subject:
                        pipe.zadd(self.keys.author(subject), {comment_id: 0})
            pipe.execute()

    def mark(self, subject: str, kind: str, by: str, days: int = 0) -> Mark:
        """Trust or block ``subject`` (for ``days``, 0: until removed); audited."""
        if kind not in MARKS:
            raise ValueError(f"not a mark: {kind!r}")
        now = self.clock()
        mark = Mark(kind, by, now, now + days * 86400 if days else 0.0)
        self.client.hset(self.keys.author_marks, subject, json.dumps(mark.__dict__))
        AuditLog(self.client, self.site, clock=self.clock).event(
            by, f"author_{kind}", subject=subject, until=repr(mark.until))
        return mark

    def clear(self, subject: str, by: str) -> bool:
        removed = bool(self.client.hdel(self.keys.author_marks, subject))
        if removed:
            AuditLog(self.client, self.site, clock=self.clock).event(
                by, "author_cleared", subject=subject)
        return removed

    def mark_of(self, subject: str) -> Mark | None:
        return _live(self.client.hget(self.keys.author_marks, subject) if subject else None,
                     self.clock())  # fmt: skip

    def standings(self, rows: Sequence[dict[str, str]], *, counted: bool) -> list[Standing]:
        """For each comment's fields, its author's standing on this site; with
        ``counted``, their recent published and refused comments too."""
        subjects = [email_subject(row.get("email", "")) for row in rows]
        with self.client.pipeline(transaction=False) as pipe:
            for subject in subjects:
                pipe.hget(self.keys.author_marks, subject or "-")
                pipe.zrange(self.keys.author(subject or "-"), -LOOK_BACK, -1)
            replies = pipe.execute()
        now = self.clock()
        found = []
        for index, subject in enumerate(subjects):
            mark = _live(replies[2 * index], now)
            ids = replies[2 * index + 1] if subject else []
            approved = refused = 0
            if counted and ids:
                recent = [i for i in ids if created_at_of(i) >= now - RECENT_DAYS * 86400]
                statuses = Counter(self._statuses(recent))
                approved, refused = statuses["approved"], statuses["spam"] + statuses["rejected"]
            found.append(Standing(mark.kind if mark else "", bool(ids), approved, refused))
        return found

    def _statuses(self, ids: Sequence[str]) -> list[str]:
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id in ids:
                pipe.hget(self.keys.comment(comment_id), "status")
            return [status for status in pipe.execute() if status]


def first_comments(client: redis.Redis, site: str, comments: Sequence[Comment]) -> set[str]:
    """The ids among ``comments`` that are their author's first on ``site``
    (the « new author » chip); one round trip."""
    keys = SiteKeys(site)
    with client.pipeline(transaction=False) as pipe:
        for comment in comments:
            pipe.zrange(keys.author(email_subject(comment.email) or "-"), 0, 0)
        firsts = pipe.execute()
    return {comment.id for comment, first in zip(comments, firsts, strict=True)
            if comment.email and (not first or first[0] >= comment.id)}  # fmt: skip


def history(client: redis.Redis, sites: Sequence[str], subject: str, *, field_name: str,
            value: str, last: int = 5) -> History:  # fmt: skip
    """``subject``'s comments on ``sites``: those still holding ``value`` in
    ``field_name`` (email or ip_hash), so an erased address counts no more."""
    found = History()
    everyone: list[Comment] = []
    for site in sites:
        ids = client.zrange(SiteKeys(site).author(subject), 0, -1) if subject else []
        for comment in CommentStore(client, site).comments(ids):
            if getattr(comment, field_name).strip().lower() == value.strip().lower():
                everyone.append(comment)
    for comment in everyone:
        found.counts[comment.status] += 1
    if everyone:
        found.first_seen = min(comment.created_at for comment in everyone)
        found.last = sorted(everyone, key=lambda c: c.created_at, reverse=True)[:last]
    return found


def _live(raw: str | None, now: float) -> Mark | None:
    if not raw:
        return None
    try:
        mark = Mark(**json.loads(raw))
    except (ValueError, TypeError):
        return None
    return None if mark.until and mark.until <= now else mark
