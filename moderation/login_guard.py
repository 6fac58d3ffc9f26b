"""Slow down, then lock out, repeated sign-in failures per account and per IP.

After ``slow_after`` failures within ``window`` seconds each new attempt must
wait an exponentially growing delay; after ``lock_after`` failures the key is
locked until the window ends. Keys share the hash tag ``{accounts}``.
"""

from dataclasses import dataclass

import redis

P = "acct:{accounts}:login:"


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds


class LoginGuard:
    def __init__(
        self, client: redis.Redis, *, window: int = 900, slow_after: int = 3, lock_after: int = 10
    ) -> None:
        self.client = client
        self.window = window
        self.slow_after = slow_after
        self.lock_after = lock_after

    def _keys(self, account: str, ip: str) -> list[str]:
        return [P + f"account:{account.strip().lower()}", P + f"ip:{ip}"]

    def check(self, account: str, ip: str) -> Refusal | None:
        """Whether an attempt may go ahead now; the same answer for unknown accounts."""
        waits = []
        with self.client.pipeline(transaction=False) as pipe:
            for key in self._keys(account, ip):
                pipe.get(key + ":fails")
                pipe.pttl(key + ":wait")
                pipe.ttl(key + ":fails")
            replies = pipe.execute()
        for index in range(0, len(replies), 3):
            fails, wait_ms, window_left = replies[index : index + 3]
            if fails and int(fails) >= self.lock_after:
                waits.append(max(int(window_left), 1))
            elif wait_ms and wait_ms > 0:
                waits.append(max(-(-wait_ms // 1000), 1))
        return Refusal(max(waits)) if waits else None

    def failed(self, account: str, ip: str) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for key in self._keys(account, ip):
                # The window starts at the first failure (SET NX works on Redis 6.2,
                # EXPIRE NX needs 7).
                pipe.set(key + ":fails", 0, ex=self.window, nx=True)
                pipe.incr(key + ":fails")
            replies = pipe.execute()
        for key, fails in zip(self._keys(account, ip), replies[1::2], strict=True):
            if fails >= self.slow_after:
                delay = min(2 ** (fails - self.slow_after), self.window)
                self.client.set(key + ":wait", "1", ex=delay)

    def succeeded(self, account: str, ip: str) -> None:
        """A right password clears the account's count (not the IP's)."""
        key = self._keys(account, ip)[0]
        self.client.delete(key + ":fails", key + ":wait")
