"""A second factor for moderators: time-based one-time codes (TOTP, RFC 6238,
through ``pyotp``) from any authenticator app, and ten one-time recovery codes.

Enrolment keeps the new secret apart (``totp_pending``) until a code made
from it is typed back, so a half-done enrolment locks nobody out. A code is
good for its 30-second step and the neighbouring ones (clocks drift), and
once: the last step used is kept, so a code seen over a shoulder cannot be
replayed. Recovery codes are stored as SHA-256 digests (they are random, 50
bits each) and each works once. The QR code is drawn on the server as SVG
(``segno``): the secret never leaves for a third-party image service.
"""

import hashlib
import secrets
import time
from collections.abc import Callable

import pyotp
import redis
import segno

from moderation.accounts import Accounts, P

RECOVERY_CODES = 10
ISSUER = "Comments moderation"


def _recovery_key(email: str) -> str:
    return P + f"recovery:{email}"


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class TwoFactor:
    def __init__(self, client: redis.Redis, accounts: Accounts,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.client = client
        self.accounts = accounts
        self.clock = clock

    def begin(self, email: str) -> str:
        """A secret pending until confirmed (the same one until then, so the
        app set up on a first try still works); returns its otpauth:// URI."""
        account = self.accounts.require(email)
        key = P + f"user:{account.email}"
        self.client.hsetnx(key, "totp_pending", pyotp.random_base32())
        secret = self.client.hget(key, "totp_pending")
        return pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)

    def pending_uri(self, email: str) -> str | None:
        account = self.accounts.require(email)
        secret = self.client.hget(P + f"user:{account.email}", "totp_pending")
        if not secret:
            return None
        return pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)

    def confirm(self, email: str, code: str) -> list[str] | None:
        """Turn the pending secret on if ``code`` was made from it; returns the
        recovery codes (shown once), or None for a wrong code."""
        account = self.accounts.require(email)
        key = P + f"user:{account.email}"
        secret = self.client.hget(key, "totp_pending")
        step = self._step(secret, code) if secret else None
        if step is None:
            return None
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"totp": secret, "totp_last": step})
            pipe.hdel(key, "totp_pending")
            pipe.delete(_recovery_key(account.email))
            pipe.sadd(_recovery_key(account.email), *(_digest(c) for c in codes))
            pipe.execute()
        return codes

    def verify(self, email: str, code: str) -> bool:
        """Whether ``code`` is a good, unused one-time code of the account."""
        account = self.accounts.get(email)
        if account is None:
            return False
        key = P + f"user:{account.email}"
        secret, last = self.client.hmget(key, ["totp", "totp_last"])
        step = self._step(secret, code) if secret else None
        if step is None or step <= int(last or -1):
            return False
        # Only one request may spend a step: the first to move "totp_last" wins.
        with self.client.pipeline() as pipe:
            try:
                pipe.watch(key)
                if int(pipe.hget(key, "totp_last") or -1) >= step:
                    return False
                pipe.multi()
                pipe.hset(key, "totp_last", step)
                pipe.execute()
            except redis.WatchError:
                return False
        return True

    def use_recovery_code(self, email: str, code: str) -> bool:
        account = self.accounts.get(email)
        if account is None or not code:
            return False
        return bool(self.client.srem(_recovery_key(account.email), _digest(code)))

    def recovery_codes_left(self, email: str) -> int:
        return int(self.client.scard(_recovery_key(self.accounts.require(email).email)))

    def disable(self, email: str) -> None:
        account = self.accounts.require(email)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hdel(P + f"user:{account.email}", "totp", "totp_last", "totp_pending")
            pipe.delete(_recovery_key(account.email))
            pipe.execute()

    def _step(self, secret: str, code: str) -> int | None:
        """The time step ``code`` belongs to (now or a neighbour), else None."""
        code = "".join(code.split())
        if not (code.isdigit() and len(code) == 6):
            return None
        totp = pyotp.TOTP(secret)
        now = self.clock()
        for drift in (0, -1, 1):
            moment = now + drift * totp.interval
            if secrets.compare_digest(totp.at(moment), code):
                return int(moment // totp.interval)
        return None


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#111", light="#fff")

