"""Slow down, then lock out, repeated sign-in failures: per (account,
client) pair and per client, never per account alone.

Counting per account would let any stranger lock the owner out by failing
on purpose. So a client that keeps failing on an account is slowed down, then
locked out of that account; a client that keeps failing on many accounts is
locked out of all; and a correct password from a client that has not been
failing signs in, whatever others are doing. After ``slow_after`` failures
within ``window`` seconds each new attempt must wait an exponentially
growing delay; after ``lock_after`` failures the key is locked until the
window ends. Accounts are counted under the same spelling they are looked
up by (``accounts.login_key``). Keys share the hash tag ``{accounts}``.
"""

import hashlib
from dataclasses import dataclass

import redis

from moderation import keys
from moderation.accounts import login_key

P = keys.LOGIN_GUARD


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds


@dataclass(frozen=True)
class _Rule:
    suffix: str
    slow_after: int
    lock_after: int


class LoginGuard:
    def __init__(
        self,
        client: redis.Redis,
        *,
        window: int = 900,
        slow_after: int = 3,
        lock_after: int = 10,
        client_slow_after: int = 10,
        client_lock_after: int = 30,
    ) -> None:
        self.client = client
        self.window = window
        self.slow_after = slow_after
        self.lock_after = lock_after
        self.client_slow_after = client_slow_after
        self.client_lock_after = client_lock_after

    def _rules(self, account: str, who: str) -> list[tuple[str, int, int]]:
        # The account's spelling is hashed into the key: no address in key names.
        name = hashlib.sha256(login_key(account).encode()).hexdigest()[:32]
        return [
            (P + f"pair:{name}:{who}", self.slow_after, self.lock_after),
            (P + f"client:{who}", self.client_slow_after, self.client_lock_after),
        ]

    def check(self, account: str, who: str) -> Refusal | None:
        """Whether an attempt may go ahead now; the same answer for unknown accounts."""
        rules = self._rules(account, who)
        with self.client.pipeline(transaction=False) as pipe:
            for key, _slow, _lock in rules:
                pipe.get(key + ":fails")
                pipe.pttl(key + ":wait")
                pipe.ttl(key + ":fails")
            replies = pipe.execute()
        waits = []
        for index, (_key, _slow, lock_after) in enumerate(rules):
            fails, wait_ms, window_left = replies[3 * index : 3 * index + 3]
            if fails and int(fails) >= lock_after:
                waits.append(max(int(window_left), 1))
            elif wait_ms and wait_ms > 0:
                waits.append(max(-(-wait_ms // 1000), 1))
        return Refusal(max(waits)) if waits else None

    def failed(self, account: str, who: str) -> None:
        rules = self._rules(account, who)
        with self.client.pipeline(transaction=False) as pipe:
            for key, _slow, _lock in rules:
                # The window starts at the first failure (SET NX works on Redis 6.2,
                # EXPIRE NX needs 7).
                pipe.set(key + ":fails", 0, ex=self.window, nx=True)
                pipe.incr(key + ":fails")
            replies = pipe.execute()
        for (key, slow_after, _lock), fails in zip(rules, replies[1::2], strict=True):
            if fails >= slow_after:
                delay = min(2 ** (fails - slow_after), self.window)
                self.client.set(key + ":wait", "1", ex=delay)

    def succeeded(self, account: str, who: str) -> None:
        """A right password clears this client's count on this account (not
        the client's count over all accounts)."""
        key = self._rules(account, who)[0][0]
        self.client.delete(key + ":fails", key + ":wait")
