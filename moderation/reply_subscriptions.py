"""Readers who asked to hear of replies to their comments, one site at a time.

Double opt-in: the first time an address asks, a confirmation e-mail is
queued and nothing else is ever sent to it until it confirms (the link is
good for :data:`CONFIRM_SECONDS`). What is kept: the address, its state
(``pending``, ``confirmed``, ``disabled`` after a permanent bounce), the
threads it follows with the language of the page it asked on, and which of
its comments it follows. Keys are the site's (``notify:{site}:…``, named in
``keys.py``); an address appears in key names only as a digest.

When a reply to a followed comment is approved, :meth:`reply_approved`
adds it to the address's batch for that thread and makes the e-mail due;
``reply_mail.py`` sends what is due (at most one e-mail per thread per
``REPLY_DIGEST_MINUTES``).
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from moderation.keys import SiteKeys

CONFIRM_SECONDS = 48 * 3600
LEASE = 120  # seconds a due e-mail is one worker's while it sends it


def digest_of(email: str) -> str:
    """What stands for an address in key names and tokens."""
    return hashlib.blake2b(email.strip().lower().encode(), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class Due:
    """An e-mail to send: ``confirm`` (thread empty) or ``replies``."""

    kind: str
    h: str
    thread: str

    @property
    def member(self) -> str:
        return json.dumps([self.kind, self.h, self.thread])

    @classmethod
    def of(cls, member: str) -> "Due":
        kind, h, thread = json.loads(member)
        return cls(kind, h, thread)


class ReplySubscriptions:
    def __init__(
        self, client: redis.Redis, site: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.client = client
        self.site = site
        self.keys = SiteKeys(site)
        self.clock = clock

    # -- a reader asks, confirms, leaves -----------------------------------

    def ask(self, email: str, thread: str, comment_id: str, lang: str) -> bool:
        """Follow replies to ``comment_id``; True when a confirmation e-mail
        was queued (a first request, or the last one's link has expired)."""
        h, now = digest_of(email), self.clock()
        address = self.client.hgetall(self.keys.reply_address(h))
        if address.get("state") == "disabled":
            return False
        confirm = not address or (
            address.get("state") == "pending"
            and now - float(address.get("asked_at", 0)) > CONFIRM_SECONDS
        )
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self.keys.reply_address(h), mapping={"email": email.strip()})
            if not address or confirm:
                pipe.hset(self.keys.reply_address(h), mapping={
                    "state": address.get("state") or "pending", "asked_at": repr(now),
                    "lang": lang})  # fmt: skip
            pipe.hset(self.keys.reply_threads(h), thread, lang)
            pipe.sadd(self.keys.reply_comments(h), comment_id)
            pipe.hset(self.keys.reply_watch, comment_id, h)
            if confirm:
                pipe.zadd(self.keys.reply_due, {Due("confirm", h, "").member: now})
            pipe.execute()
        return confirm

    def confirm(self, h: str, asked_at: float) -> bool:
        """Confirm the request a link was made for; False when it is no longer
        there (unsubscribed or erased since) or was made again later."""
        address = self.client.hgetall(self.keys.reply_address(h))
        if not address or address.get("state") == "disabled":
            return False
        if address.get("state") == "confirmed":
            return True
        if abs(float(address.get("asked_at", 0)) - asked_at) > 0.001:
            return False
        self.client.hset(self.keys.reply_address(h), "state", "confirmed")
        return True

    def address(self, h: str) -> dict[str, str]:
        return self.client.hgetall(self.keys.reply_address(h))

    def threads(self, h: str) -> dict[str, str]:
        """Threads followed -> the language each was asked in."""
        return self.client.hgetall(self.keys.reply_threads(h))

    def unsubscribe(self, h: str, thread: str | None = None) -> None:
        """Stop one thread's e-mails, or (``thread`` None) forget the address."""
        if thread is not None:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.hdel(self.keys.reply_threads(h), thread)
                pipe.delete(self.keys.reply_batch(h, thread))
                pipe.zrem(self.keys.reply_due, Due("replies", h, thread).member)
                pipe.execute()
            return
        self.forget(h)

    def forget(self, h: str) -> None:
        """Everything kept about the address ``h`` on this site, gone."""
        threads = self.client.hkeys(self.keys.reply_threads(h))
        comments = list(self.client.smembers(self.keys.reply_comments(h)))
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(self.keys.reply_address(h), self.keys.reply_threads(h),
                        self.keys.reply_comments(h))  # fmt: skip
            if comments:
                pipe.hdel(self.keys.reply_watch, *comments)
            for thread in threads:
                pipe.delete(self.keys.reply_batch(h, thread))
                pipe.zrem(self.keys.reply_due, Due("replies", h, thread).member)
                pipe.hdel(self.keys.reply_sent, f"{h} {thread}")
            pipe.zrem(self.keys.reply_due, Due("confirm", h, "").member)
            pipe.execute()

    def export(self, email: str) -> dict | None:
        """What is kept about ``email`` here, for a privacy export."""
        h = digest_of(email)
        address = self.address(h)
        if not address:
            return None
        return {"site": self.site, "email": address.get("email", ""),
                "state": address.get("state", ""), "threads": self.threads(h),
                "comments": sorted(self.client.smembers(self.keys.reply_comments(h)))}  # fmt: skip

    # -- replies come in ----------------------------------------------------

    def reply_approved(self, reply_id: str, parent_id: str, thread: str) -> bool:
        """A reply to ``parent_id`` was published: add it to its follower's
        batch if that address confirmed and still follows the thread."""
        h = self.client.hget(self.keys.reply_watch, parent_id)
        if not h:
            return False
        address = self.address(h)
        if address.get("state") != "confirmed":
            return False
        if not self.client.hexists(self.keys.reply_threads(h), thread):
            return False
        author = self.client.hget(self.keys.comment(reply_id), "email") or ""
        if author and digest_of(author) == h:
            return False  # one's own reply to oneself
        with self.client.pipeline(transaction=True) as pipe:
            pipe.sadd(self.keys.reply_batch(h, thread), reply_id)
            # NX: a batch already due keeps its time; the sender holds it to the window.
            pipe.zadd(self.keys.reply_due, {Due("replies", h, thread).member: self.clock()},
                      nx=True)  # fmt: skip
            pipe.execute()
        return True

    # -- the sender's side (reply_mail.py) ----------------------------------

    def due(self, limit: int = 50) -> list[Due]:
        members = self.client.zrangebyscore(self.keys.reply_due, "-inf", self.clock(),
                                            start=0, num=limit)  # fmt: skip
        return [Due.of(member) for member in members]

    def claim(self, due: Due) -> bool:
        """Take one due e-mail for :data:`LEASE` seconds (one worker sends it)."""
        lock = self.keys.reply_lock(hashlib.blake2b(due.member.encode(), digest_size=8).hexdigest())
        return bool(self.client.set(lock, "1", nx=True, ex=LEASE))

    def release(self, due: Due) -> None:
        lock = self.keys.reply_lock(hashlib.blake2b(due.member.encode(), digest_size=8).hexdigest())
        self.client.delete(lock)

    def batch(self, due: Due) -> list[str]:
        return sorted(self.client.smembers(self.keys.reply_batch(due.h, due.thread)))

    def last_sent(self, due: Due) -> float:
        return float(self.client.hget(self.keys.reply_sent, f"{due.h} {due.thread}") or 0)

    def postpone(self, due: Due, until: float, failed: bool = False) -> int:
        """Make ``due`` due again at ``until``; with ``failed``, count a try.
        Returns the failed tries so far."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(self.keys.reply_due, {due.member: until}, xx=True)
            if failed:
                pipe.hincrby(self.keys.reply_tries, due.member, 1)
            else:
                pipe.hget(self.keys.reply_tries, due.member)
            tries = pipe.execute()[1]
        return int(tries or 0)

    def tries(self, due: Due) -> int:
        return int(self.client.hget(self.keys.reply_tries, due.member) or 0)

    def done(self, due: Due, sent_ids: list[str]) -> None:
        """``due`` went out with ``sent_ids``; replies come in since stay due."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zrem(self.keys.reply_due, due.member)
            pipe.hdel(self.keys.reply_tries, due.member)
            if due.kind == "replies":
                pipe.hset(self.keys.reply_sent, f"{due.h} {due.thread}", repr(self.clock()))
                if sent_ids:
                    pipe.srem(self.keys.reply_batch(due.h, due.thread), *sent_ids)
            pipe.execute()
        if due.kind == "replies" and self.batch(due):
            self.client.zadd(self.keys.reply_due, {due.member: self.clock()}, nx=True)

    def drop(self, due: Due) -> None:
        """Nothing to send after all (unsubscribed, erased, empty batch)."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zrem(self.keys.reply_due, due.member)
            pipe.hdel(self.keys.reply_tries, due.member)
            pipe.execute()

    def disable(self, h: str) -> None:
        """A permanent failure: this address gets nothing more."""
        self.client.hset(self.keys.reply_address(h), "state", "disabled")
        for thread in self.client.hkeys(self.keys.reply_threads(h)):
            self.client.zrem(self.keys.reply_due, Due("replies", h, thread).member)
        self.client.zrem(self.keys.reply_due, Due("confirm", h, "").member)


def reply_listener(
    client: redis.Redis, site: str, clock: Callable[[], float]
) -> Callable[[str, dict[str, str]], object]:
    """A comment store's listener: a published reply joins its follower's batch."""
    subscriptions = ReplySubscriptions(client, site, clock)

    def hear(event: str, payload: dict[str, str]) -> object:
        if event == "comment.approved" and payload.get("parent"):
            return subscriptions.reply_approved(payload["id"], payload["parent"],
                                                payload["thread"])  # fmt: skip
        return None

    return hear
