"""The comment store: the only code that writes comment keys.

A comment is a hash; per-thread and per-site sorted sets index it by status;
every change of status, and saving with queueing for review, is one Lua
script (``lua/``), so one atomic step and one round trip.
"""

import hashlib
import logging
import time
from collections.abc import Callable

import redis

from captcha import ChallengeStore
from moderation import queue
from moderation.keys import SiteKeys
from moderation.reply_subscriptions import reply_listener
from moderation.store import layout
from moderation.store.ids import created_at_of, is_comment_id, new_comment_id
from moderation.store.listing import CommentListing
from moderation.store.records import (
    STATUSES,
    Comment,
    CommentInput,
    CommentNotFound,
    InvalidParent,
    StatusConflict,
    Submission,
    Verdict,
    comment_from,
)
from moderation.store.scripts import Scripts
from moderation.webhooks import Webhooks

log = logging.getLogger(__name__)

# What identifies a comment's author beyond the name they chose to show.
PERSONAL_FIELDS = ("email", "agent", "ip_hash")

def _agent(user_agent: str) -> tuple[str, str]:
    """(digest, text) of a user agent, kept once per site under its digest."""
    agent = user_agent[:256]
    return (hashlib.blake2b(agent.encode(), digest_size=8).hexdigest() if agent else ""), agent


class CommentStore(CommentListing):
    """Writes, and (through :class:`CommentListing`) the reads of lists."""

    def __init__(
        self,
        client: redis.Redis,
        site: str = "default",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.site = site
        self.keys = SiteKeys(site)
        self.clock = clock
        self.scripts = Scripts(client)
        self.webhooks = Webhooks(client, clock)
        # Who hears of each change made ("comment.created", "comment.decided",
        # "comment.approved" whoever approved it): the webhooks and the reply
        # notifications always; services.py adds the metrics of the web processes.
        self.listeners: list[Callable[[str, dict[str, str]], object]] = [
            self.webhooks.emit, reply_listener(client, site, clock)]

    def _script_keys(self, comment_id: str, thread: str, *extra: str) -> list[str]:
        """The comment's run of keys (``layout.py``), then the script's own ``extra``."""
        return [*layout.comment_keys(self.keys, comment_id, thread), *extra]

    def _new(
        self, thread: str, data: CommentInput, now: float, ip_hash: str, user_agent: str,
        parent: str = "", edit_key_hash: str = "",
    ) -> tuple[Comment, list[str], list[str]]:  # fmt: skip
        """A new pending comment, its hash fields flattened for a script, and
        its user agent as [digest, text] (kept once per site: they repeat)."""
        comment_id = new_comment_id(now)
        digest, agent = _agent(user_agent)
        comment = Comment(
            id=comment_id,
            site=self.site,
            thread=thread,
            author=data.author,
            email=data.email,
            url=data.url,
            body=data.body,
            status="pending",
            created_at=created_at_of(comment_id),
            ip_hash=ip_hash,
            agent=digest,
            parent=parent,
        )
        flat = ["thread", thread, "author", data.author, "email", data.email,
                "body", data.body, "status", "pending"]  # fmt: skip
        # Empty optional fields are left out of the hash to save memory.
        for name, value in (("url", data.url), ("ip_hash", ip_hash), ("agent", digest),
                            ("parent", parent), ("edit_key_hash", edit_key_hash)):  # fmt: skip
            if value:
                flat += [name, value]
        return comment, flat, [digest, agent]

    def save(
        self, thread: str, data: CommentInput, *, ip_hash: str = "", user_agent: str = "",
        parent: str = "",
    ) -> Comment:  # fmt: skip
        """Store a new ``pending`` comment and queue it for review, atomically.
        Raises :class:`InvalidParent` for a reply to a comment it cannot answer."""
        comment, flat, agent = self._new(thread, data, self.clock(), ip_hash, user_agent, parent)
        reply = self.scripts.save(
            keys=self._script_keys(comment.id, thread, self.keys.queue, self.keys.agents,
                                   *self._parent_key(parent)),
            args=[comment.id, queue.FIELD, *agent, thread, *flat],
        )  # fmt: skip
        if reply[0] == "parent":
            raise InvalidParent(reply[1])
        self._created(comment)
        return comment

    def _created(self, comment: Comment) -> None:
        self._announce("comment.created", {**comment.public(), "site": self.site,
                                           "status": comment.status})  # fmt: skip

    def _announce(self, event: str, payload: dict[str, str]) -> None:
        """Tell the listeners about a change already made: a listener's failure
        is logged, never allowed to undo or hide the change."""
        for listener in self.listeners:
            try:
                listener(event, payload)
            except redis.RedisError:
                log.exception("%s of comment %s done, but a listener failed", event,
                              payload["id"])  # fmt: skip

    def restore(self, comment: Comment, user_agent: str = "") -> bool:
        """Store an imported or exported comment as it was (its id, status,
        time and parent); False when a comment with that id already exists."""
        if comment.status not in STATUSES or not is_comment_id(comment.id):
            raise ValueError(f"cannot restore {comment.id!r} as {comment.status!r}")
        fields = {"thread": comment.thread, "author": comment.author, "email": comment.email,
                  "body": comment.body, "status": comment.status, "url": comment.url,
                  "ip_hash": comment.ip_hash, "score": comment.score,
                  "model_version": comment.model_version, "rules": comment.rules,
                  "updated_at": comment.updated_at, "parent": comment.parent}  # fmt: skip
        if user_agent:
            fields["agent"], agent = _agent(user_agent)
            self.client.hsetnx(self.keys.agents, fields["agent"], agent)
        flat = [item for name, value in fields.items() if value for item in (name, value)]
        keys = self._script_keys(comment.id, comment.thread)
        return bool(self.scripts.restore(keys=keys, args=[comment.id, comment.status, *flat]))

    def all_ids(self) -> list[str]:
        """Every comment id of the site, oldest first (from the status indexes)."""
        ids: set[str] = set()
        for status in STATUSES:
            ids.update(self.client.zrange(self.keys.status(status), 0, -1))
        return sorted(ids)

    def _parent_key(self, parent: str) -> list[str]:
        if not parent:
            return []
        if not is_comment_id(parent):
            raise InvalidParent("invalid_parent")
        return [self.keys.comment(parent)]

    def erase(self, comment: Comment) -> bool:
        """Remove a comment entirely, its reports with it (privacy). False if it was
        already gone."""
        keys = self._script_keys(comment.id, comment.thread, self.keys.reports(comment.id))
        return bool(self.scripts.erase(keys=keys, args=[comment.id]))

    def anonymise(self, comment: Comment, author: str) -> bool:
        """Keep the text under ``author``; drop e-mail, website, agent, IP hash."""
        keys = self._script_keys(comment.id, comment.thread)
        return bool(self.scripts.anonymise(keys=keys, args=[comment.id, author]))

    def forget_personal(self, comment_ids: list[str]) -> int:
        """Erase the e-mail, user agent and IP hash of these comments (their
        text and name stay: the retention purge); how many had any."""
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id in comment_ids:
                pipe.hdel(self.keys.comment(comment_id), *PERSONAL_FIELDS)
            return sum(1 for removed in pipe.execute() if removed)

    def ids_before(self, status: str, before_id: str, after_id: str = "") -> list[str]:
        """Ids in ``status`` created after ``after_id`` and before ``before_id``
        (ids sort by creation time)."""
        low = f"({after_id}" if after_id else "-"
        return self.client.zrangebylex(self.keys.status(status), low, f"({before_id}")

    def user_agent(self, comment: Comment) -> str:
        """The user agent a comment was posted with ('' if unknown or erased)."""
        if not comment.agent:
            return ""
        return self.client.hget(self.keys.agents, comment.agent) or ""

    def user_agents(self) -> dict[str, str]:
        """Every user agent of the site by digest, for reading many comments'."""
        return self.client.hgetall(self.keys.agents)

    def submit(
        self, thread: str, data: CommentInput, *, challenge_key: str, answer: object,
        wrong_answers_key: str | None = None, wrong_limit: int = 0, wrong_window: int = 900,
        honeypot: bool = False, min_fill_seconds: float = 0.0, ip_hash: str = "",
        user_agent: str = "", parent: str = "", past_closing: bool = False,
        edit_key_hash: str = "",
    ) -> Submission:  # fmt: skip
        """A reader's comment behind its CAPTCHA answer, in one round trip: the
        wrong-answer lock-out applied, the answer checked (the token burnt, a
        wrong one counted under ``wrong_answers_key``), the bot traps sprung,
        and only then the comment saved and queued; a closed thread refuses
        it before anything (``past_closing``: the automatic rule has closed
        it, unless a moderator reopened it). ``challenge_key`` and
        ``wrong_answers_key`` must carry this site's hash tag; without a
        ``wrong_limit`` there is no lock-out and nothing is counted."""
        now = self.clock()
        wrong_answers_key = wrong_answers_key or self.keys.wrong_answers("-")
        comment, flat, agent = self._new(thread, data, now, ip_hash, user_agent, parent,
                                         edit_key_hash)
        reply = self.scripts.submit(
            keys=self._script_keys(comment.id, thread, self.keys.queue, challenge_key,
                                   self.keys.traps, self.keys.agents, wrong_answers_key,
                                   self.keys.closed, *self._parent_key(parent)),
            args=[comment.id, queue.FIELD, *ChallengeStore.check_args(now, thread, answer),
                  "1" if honeypot else "", repr(min_fill_seconds), *agent,
                  str(wrong_limit), str(wrong_window), "1" if past_closing else "", *flat],
        )  # fmt: skip
        if reply[0] == "saved":
            self._created(comment)
            return Submission("saved", comment=comment, at=now)
        if reply[0] == "trapped":
            return Submission("trapped", traps=reply[1].split(","), at=now)
        if reply[0] == "locked":
            return Submission("locked", at=now, retry_after=int(reply[1]))
        if reply[0] == "closed":
            return Submission("closed", at=now)
        if reply[0] == "parent":
            raise InvalidParent(reply[1])
        return Submission(reply[0], at=now)

    def get(self, comment_id: str) -> Comment | None:
        if not is_comment_id(comment_id):
            return None
        fields = self.client.hgetall(self.keys.comment(comment_id))
        return comment_from(fields, comment_id, self.site) if fields else None

    def status(self, comment_id: str) -> str | None:
        if not is_comment_id(comment_id):
            return None
        return self.client.hget(self.keys.comment(comment_id), "status")

    def set_status(self, comment_id: str, status: str, expected: str | None = None) -> str:
        """Move a comment to ``status``; return the status it had.

        With ``expected``, the move happens only if the comment is still in
        that status (else :class:`StatusConflict`): two moderators cannot
        silently overwrite each other.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        if not is_comment_id(comment_id):
            raise CommentNotFound(comment_id)
        thread = self.client.hget(self.keys.comment(comment_id), "thread")
        if thread is None:
            raise CommentNotFound(comment_id)
        outcome, previous = self.scripts.set_status(
            keys=self._script_keys(comment_id, thread),
            args=[comment_id, status, expected or "", repr(self.clock())],
        )
        if outcome == 0:
            raise CommentNotFound(comment_id)
        if outcome == 2:
            raise StatusConflict(previous)
        return previous

    def decide(
        self, comment_id: str, status: str, moderator: str, *, expected: str | None = None,
        via: str = "page",
    ) -> str:  # fmt: skip
        """A moderator moves a comment; audited and fed back to the classifier
        in the same atomic step. Returns the previous status.

        Raises :class:`StatusConflict` when ``expected`` is given and is no
        longer the comment's status (someone else decided first).
        """
        if status not in STATUSES or status == "pending":
            raise ValueError(f"not a decision: {status!r}")
        known = is_comment_id(comment_id)
        thread = self.client.hget(self.keys.comment(comment_id), "thread") if known else None
        if thread is None:
            raise CommentNotFound(comment_id)
        keys = self._script_keys(comment_id, thread, self.keys.audit, self.keys.feedback)
        outcome, previous = self.scripts.decide(
            keys=keys, args=[comment_id, status, expected or "", repr(self.clock()), moderator, via]
        )
        if outcome == 0:
            raise CommentNotFound(comment_id)
        if outcome == 2:
            raise StatusConflict(previous)
        self._announce("comment.decided", {
            "site": self.site, "id": comment_id, "thread": thread, "status": status,
            "previous": previous, "moderator": moderator, "via": via,
        })  # fmt: skip
        if status == "approved" and previous != "approved":
            self._approved([(comment_id, thread)])
        return previous

    def _approved(self, comments: list[tuple[str, str]]) -> None:
        """The one place a comment's publication is announced, whether a
        moderator or the classifier worker published it."""
        parents = [row.get("parent") for row in self.get_many([c for c, _t in comments])]
        for (comment_id, thread), parent in zip(comments, parents, strict=True):
            self._announce("comment.approved", {"site": self.site, "id": comment_id,
                                                "thread": thread, "parent": parent or ""})

    def apply_verdicts(
        self, group: str, items: list[tuple[str, str, str, Verdict]]
    ) -> list[str | None]:
        """For each (entry id, comment id, thread, verdict): write the verdict if
        the comment is still pending, and acknowledge the entry; one script.

        Returns each comment's status before, ``None`` if it no longer exists.
        """
        if not items:
            return []
        now = self.clock()
        keys: list[str] = []
        args: list[str] = [group, repr(now)]
        for entry_id, comment_id, thread, verdict in items:
            keys += self._script_keys(comment_id, thread)
            fields = verdict.fields(now)
            args += [comment_id, entry_id, verdict.status, str(len(fields)), *fields]
        keys.append(self.keys.queue)
        before = [value or None for value in self.scripts.verdicts(keys=keys, args=args)]
        published = [(comment_id, thread) for (_e, comment_id, thread, verdict), was
                     in zip(items, before, strict=True)
                     if was == "pending" and verdict.status == "approved"]  # fmt: skip
        if published:
            self._approved(published)
        return before

    def dead_letter(
        self, group: str, entry_id: str, comment_id: str, thread: str, reason: str,
        deliveries: int,
    ) -> str | None:  # fmt: skip
        """Give up on an entry: record it, send its comment to review, acknowledge."""
        previous = self.scripts.dead_letter(
            keys=self._script_keys(comment_id, thread, self.keys.queue, self.keys.dead_letters),
            args=[comment_id, group, entry_id, repr(self.clock()), reason[:500], deliveries],
        )
        return previous or None
