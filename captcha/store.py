"""Keep each answer in Redis under an opaque token and check it exactly once."""

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from captcha.answer import normalise_answer
from captcha.errors import Expired, Used, Wrong, WrongThread
from captcha.question import RandomSource, make_question

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_USED = "used"

# Read the stored answer and leave a tombstone in its place, keeping the TTL,
# so that a replay is told "used" rather than "expired". One round trip, atomic.
_CONSUME = """
local value = redis.call('GET', KEYS[1])
if not value then return false end
if value == ARGV[1] then return value end
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return value
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
        self._consume = client.register_script(_CONSUME)

    def key(self, token: str, namespace: str = "default") -> str:
        return f"{self.prefix}:{{{namespace}}}:{token}"

    def issue(self, thread: str, namespace: str = "default") -> Challenge:
        """Make a question for ``thread`` and remember its answer for ``ttl`` seconds."""
        question = make_question(self.rng, allow_multiply=self.allow_multiply)
        token = secrets.token_urlsafe(24)  # 192 bits
        issued_at = self.clock()
        value = f"{question.answer}|{issued_at + self.ttl!r}|{issued_at!r}|{thread}"
        self.client.set(self.key(token, namespace), value, ex=self.ttl)
        return Challenge(token=token, question=question.text, expires_in=self.ttl)

    def check(
        self, token: object, thread: str, answer: object, namespace: str = "default"
    ) -> Passed:
        """Consume ``token`` and return normally only for the right answer on ``thread``.

        Raises :class:`Expired`, :class:`Used`, :class:`WrongThread` or
        :class:`Wrong`. Whatever the outcome the token cannot be used again.
        """
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            raise Expired()
        stored = self._consume(keys=[self.key(token, namespace)], args=[_USED])
        if stored is None:
            raise Expired()
        stored = stored.decode() if isinstance(stored, bytes) else stored
        if stored == _USED:
            raise Used()
        expected, expires_at, issued_at, bound_thread = stored.split("|", 3)
        if self.clock() >= float(expires_at):
            raise Expired()
        if bound_thread != thread:
            raise WrongThread()
        if normalise_answer(answer) != int(expected):
            raise Wrong()
        return Passed(thread=thread, issued_at=float(issued_at))
