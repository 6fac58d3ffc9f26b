"""Keep each answer in Redis under an opaque token and check it exactly once."""

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis

from captcha.answer import normalise_answer
from captcha.errors import Expired, raise_for
from captcha.question import RandomSource, make_question

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

# The whole check as a Lua function, so that a caller keeping its data in the
# same Redis Cluster slot can check an answer and write in one script, one
# round trip (moderation's comment submission does). It reads the stored
# answer and leaves a tombstone in its place, keeping the TTL, so a replay is
# told "used" rather than "expired"; any outcome burns the token.
# captcha_check(key, now, thread, answer) -> outcome, issued_at ('' if unknown)
# where answer is the normalised answer as text ('' when it is no number).
# The check as a Lua function, so a caller (the comment store) can fold it
# into its own atomic script without this package knowing about comments.
CHECK_LUA = (Path(__file__).parent / "lua" / "check.lua").read_text(encoding="utf-8")
_CHECK = CHECK_LUA + "return {captcha_check(KEYS[1], ARGV[1], ARGV[2], ARGV[3])}"

# A question is written without going to the append-only file or replicas: it
# is worth nothing after a crash (the reader is asked another), and on a
# server that fsyncs every write it would cost a disk sync per question. Its
# answer, once checked, is written by the checking script as usual.
_ISSUE = """
redis.set_repl(redis.REPL_NONE)
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""


@dataclass(frozen=True, slots=True)
class Challenge:
    """What the page or the API shows: never the answer."""

    token: str
    question: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class Passed:
    """A successful check; ``issued_at`` lets callers measure fill time."""

    thread: str
    issued_at: float


class ChallengeStore:
    """Issues and checks arithmetic challenges kept in Redis.

    ``namespace`` becomes a Redis Cluster hash tag so a caller can keep a
    challenge in the same slot as the data it protects.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        ttl: int = 600,
        clock: Callable[[], float] = time.time,
        rng: RandomSource | None = None,
        allow_multiply: bool = False,
        prefix: str = "captcha",
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self.rng = rng
        self.allow_multiply = allow_multiply
        self.prefix = prefix
        self._check = client.register_script(_CHECK)
        self._issue = client.register_script(_ISSUE)
        # Called with each challenge issued: a web app marks the response that
        # carries it as not to be cached (the token is good for one comment).
        self.on_issue: list[Callable[[Challenge], None]] = []

    def key(self, token: str, namespace: str = "default") -> str:
        return f"{self.prefix}:{{{namespace}}}:{token}"

    def issue(self, thread: str, namespace: str = "default") -> Challenge:
        """Make a question for ``thread`` and remember its answer for ``ttl``
        seconds (in memory only: see _ISSUE)."""
        question = make_question(self.rng, allow_multiply=self.allow_multiply)
        token = secrets.token_urlsafe(24)  # 192 bits
        issued_at = self.clock()
        value = f"{question.answer}|{issued_at + self.ttl!r}|{issued_at!r}|{thread}"
        self._issue(keys=[self.key(token, namespace)], args=[value, self.ttl])
        challenge = Challenge(token=token, question=question.text, expires_in=self.ttl)
        for listener in self.on_issue:
            listener(challenge)
        return challenge

    def key_for(self, token: object, namespace: str = "default") -> str:
        """The key of ``token``; :class:`Expired` for what cannot be one of ours."""
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            raise Expired()
        return self.key(token, namespace)

    @staticmethod
    def check_args(now: float, thread: str, answer: object) -> list[str]:
        """ARGV of ``captcha_check`` (see CHECK_LUA) after ``key``."""
        normalised = normalise_answer(answer)
        return [repr(now), thread, "" if normalised is None else str(normalised)]

    def check(
        self, token: object, thread: str, answer: object, namespace: str = "default"
    ) -> Passed:
        """Consume ``token`` and return normally only for the right answer on ``thread``.

        Raises :class:`Expired`, :class:`Used`, :class:`WrongThread` or
        :class:`Wrong`. Whatever the outcome the token cannot be used again.
        """
        key = self.key_for(token, namespace)
        outcome, issued_at = self._check(
            keys=[key], args=self.check_args(self.clock(), thread, answer)
        )
        raise_for(outcome)
        return Passed(thread=thread, issued_at=float(issued_at))
