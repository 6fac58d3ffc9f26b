"""Moderator accounts and API tokens.

Passwords are hashed with scrypt (memory-hard, through werkzeug); API tokens
are random 256-bit strings shown once and stored as SHA-256 digests, so a
copy of Redis gives neither. All keys share the hash tag ``{accounts}``.
"""

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.i18n import LANGUAGES

P = "acct:{accounts}:"
PASSWORD_MIN = 12
# Checked against when an account does not exist, so both cases cost the same.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(ValueError):
    """A request about accounts that cannot be satisfied; the message says why."""


@dataclass(frozen=True)
class Token:
    token_id: str
    email: str
    created_at: float
    last_used: float | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"not a valid e-mail address: {email!r}") from error


class Accounts:
    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    # -- moderators ----------------------------------------------------------

    def add(self, email: str, password: str) -> str:
        email = normalise_email(email)
        if len(password) < PASSWORD_MIN:
            raise AccountError(f"the password needs at least {PASSWORD_MIN} characters")
        fields = {
            "email": email,
            "password": generate_password_hash(password, method="scrypt"),
            "created_at": repr(self.clock()),
        }
        if not self.client.hsetnx(P + f"user:{email}", "email", email):
            raise AccountError(f"{email} is already a moderator")
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"user:{email}", mapping=fields)
            pipe.sadd(P + "users", email)
            pipe.execute()
        return email

    def set_password(self, email: str, password: str) -> None:
        email = normalise_email(email)
        if not self.exists(email):
            raise AccountError(f"no moderator {email}")
        if len(password) < PASSWORD_MIN:
            raise AccountError(f"the password needs at least {PASSWORD_MIN} characters")
        self.client.hset(P + f"user:{email}", "password",
                         generate_password_hash(password, method="scrypt"))  # fmt: skip

    def exists(self, email: str) -> bool:
        return bool(self.client.sismember(P + "users", email))

    def emails(self) -> list[str]:
        return sorted(self.client.smembers(P + "users"))

    def remove(self, email: str) -> None:
        email = normalise_email(email)
        if not self.exists(email):
            raise AccountError(f"no moderator {email}")
        for token in self.tokens(email):
            self.revoke(token.token_id)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(P + f"user:{email}")
            pipe.srem(P + "users", email)
            pipe.execute()

    def check_password(self, email: str, password: str) -> str | None:
        """The account's e-mail if the password is right, else None.

        Takes as long for an unknown account as for a wrong password.
        """
        try:
            email = normalise_email(email)
        except AccountError:
            email = ""
        stored = self.client.hget(P + f"user:{email}", "password") if email else None
        valid = check_password_hash(stored or _DUMMY_HASH, password)
        return email if valid and stored else None

    def set_language(self, email: str, lang: str) -> None:
        """Remember the moderator's language, so it follows them to any browser."""
        email = normalise_email(email)
        if lang not in LANGUAGES:
            raise AccountError(f"not a language of ours: {lang!r}")
        # Never create the hash of an account that does not exist (or was removed).
        if not self.exists(email):
            raise AccountError(f"no moderator {email}")
        self.client.hset(P + f"user:{email}", "lang", lang)

    def language(self, email: str) -> str | None:
        """The language the moderator chose, or None if they never chose one."""
        try:
            email = normalise_email(email)
        except AccountError:
            return None
        lang = self.client.hget(P + f"user:{email}", "lang")
        return lang if lang in LANGUAGES else None

    # -- API tokens ----------------------------------------------------------

    def create_token(self, email: str) -> str:
        """A new token for ``email``; only its digest is kept, so show it now."""
        email = normalise_email(email)
        if not self.exists(email):
            raise AccountError(f"no moderator {email}")
        token = secrets.token_urlsafe(32)
        digest = _digest(token)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"token:{digest}",
                      mapping={"email": email, "created_at": repr(self.clock())})  # fmt: skip
            pipe.sadd(P + f"tokens:{email}", digest)
            pipe.execute()
        return token

    def authenticate(self, token: str) -> str | None:
        """The moderator a bearer token belongs to, or None; records its use."""
        if not token or len(token) > 200:
            return None
        key = P + f"token:{_digest(token)}"
        email = self.client.hget(key, "email")
        if email is None or not self.exists(email):
            return None
        self.client.hset(key, "last_used", repr(self.clock()))
        return email

    def tokens(self, email: str) -> list[Token]:
        listed = []
        for digest in sorted(self.client.smembers(P + f"tokens:{email}")):
            fields = self.client.hgetall(P + f"token:{digest}")
            if fields:
                last = fields.get("last_used")
                listed.append(Token(digest[:12], email, float(fields["created_at"]),
                                    float(last) if last else None))  # fmt: skip
        return listed

    def revoke(self, token_id: str) -> str:
        """Revoke a token by the id shown in listings (its digest's first characters)."""
        if len(token_id) < 8:
            raise AccountError("give at least 8 characters of the token id")
        for email in self.emails():
            for digest in self.client.smembers(P + f"tokens:{email}"):
                if digest.startswith(token_id):
                    with self.client.pipeline(transaction=True) as pipe:
                        pipe.delete(P + f"token:{digest}")
                        pipe.srem(P + f"tokens:{email}", digest)
                        pipe.execute()
                    return email
        raise AccountError(f"no token {token_id}")
