"""One way to submit a comment, for the JSON API and the forms alike.

Everything the service checks of a reader's comment happens in one atomic
script (``store/lua/submit.lua``): a closed thread, the wrong-answer lock-out, the CAPTCHA
answer (the token burnt, a wrong answer counted), the bot traps, the save and
the queueing. This module gathers what a request brings, runs it, and counts
the outcome in the metrics, in this one place. The edges only turn the
outcome into their answer: JSON and a status code, or a page with the
reader's text kept and a field-level error.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import redis

from moderation import metrics
from moderation.client_ip import ip_hash
from moderation.keys import SiteKeys
from moderation.reply_subscriptions import ReplySubscriptions
from moderation.store import CommentInput, CommentStore, Submission
from moderation.store.edits import new_edit_key

# What a refused answer's outcome is called by the metrics (CAPTCHA_CHECKS).
CAPTCHA_OUTCOMES = {"wrong", "used", "expired", "thread"}


@dataclass(frozen=True, slots=True)
class Attempt:
    """A reader's comment as a request brought it, its fields already checked."""

    site: str
    thread: str
    data: CommentInput
    token: str
    answer: object
    client: str  # the client as limits see it (limits.client_key)
    remote_addr: str | None = None
    user_agent: str = ""
    honeypot: bool = False
    parent: str = ""
    notify: bool = False  # e-mail me replies (double opt-in: reply_subscriptions.py)
    lang: str = "fr"  # the language of the page the reader wrote on


@dataclass(frozen=True, slots=True)
class Rules:
    wrong_limit: int  # WRONG_ANSWERS_LIMIT
    wrong_window: int  # WRONG_ANSWERS_WINDOW
    min_fill_seconds: float  # MIN_FILL_SECONDS


class Submitter:
    def __init__(
        self,
        client: redis.Redis,
        store_for: Callable[[str], CommentStore],
        challenge_key: Callable[[str, str], str],
        ip_secret: bytes,
        rules: Rules,
        clock: Callable[[], float] = time.time,
        past_closing: Callable[[str, str], bool] = lambda site, thread: False,
    ) -> None:
        self.client = client
        self.past_closing = past_closing  # (site, thread) -> closed by the automatic rule
        self.store_for = store_for
        self.challenge_key = challenge_key  # (token, site) -> the challenge's key
        self.ip_secret = ip_secret
        self.rules = rules
        self.clock = clock

    def submit(self, attempt: Attempt) -> Submission:
        """Check, save and queue in one step; may raise ``InvalidParent`` (the
        answer then stays unburnt) or a Redis error."""
        store = self.store_for(attempt.site)
        # Every accepted-looking answer carries a key, a trapped one too (a bot
        # must not tell them apart); only a saved comment keeps its hash.
        edit_key, key_hash = new_edit_key()
        submission = store.submit(
            attempt.thread, attempt.data,
            challenge_key=self.challenge_key(attempt.token, attempt.site),
            answer=attempt.answer,
            wrong_answers_key=SiteKeys(attempt.site).wrong_answers(attempt.client),
            wrong_limit=self.rules.wrong_limit, wrong_window=self.rules.wrong_window,
            honeypot=attempt.honeypot, min_fill_seconds=self.rules.min_fill_seconds,
            ip_hash=ip_hash(self.ip_secret, attempt.remote_addr, self.clock()),
            user_agent=attempt.user_agent, parent=attempt.parent,
            past_closing=self.past_closing(attempt.site, attempt.thread),
            edit_key_hash=key_hash,
        )  # fmt: skip
        if submission.outcome not in {"locked", "closed"}:  # the answer was not checked
            checked = submission.outcome if submission.outcome in CAPTCHA_OUTCOMES else "ok"
            metrics.CAPTCHA_CHECKS.labels(checked).inc()
        for trap in submission.traps:
            metrics.BOT_TRAPS.labels(trap).inc()
        if attempt.notify and submission.comment is not None:  # never for a trapped bot
            ReplySubscriptions(self.client, attempt.site, self.clock).ask(
                attempt.data.email, attempt.thread, submission.comment.id, attempt.lang)
        return replace(submission, edit_key=edit_key)

    def locked_out(self, site: str, client: str) -> int:
        """Seconds ``client`` must wait before answering (or being asked) again
        on ``site``; 0 when it may."""
        if self.rules.wrong_limit <= 0:
            return 0
        key = SiteKeys(site).wrong_answers(client)
        with self.client.pipeline(transaction=False) as pipe:
            pipe.get(key)
            pipe.ttl(key)
            count, ttl = pipe.execute()
        if count is None or int(count) < self.rules.wrong_limit:
            return 0
        return max(int(ttl), 1)
