"""Moderator accounts, their roles and sites, and API tokens.

Two roles: an **owner** sees and decides every site and manages the team; a
**moderator** sees and decides the sites granted to them, nothing else.
Accounts made before roles existed have no role field: they read as owners,
so an upgrade locks nobody out.

Passwords are hashed with scrypt (memory-hard, through werkzeug); API tokens
are random 256-bit strings shown once and stored as SHA-256 digests, so a
copy of Redis gives neither. A token may be narrowed to some of its account's
sites; what it may see is worked out on every request from the account's
grants of the moment. All keys share the hash tag ``{accounts}``.
"""

import hashlib
import json
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash

from moderation import keys
from moderation.i18n import LANGUAGES

P = keys.ACCOUNTS
PASSWORD_MIN = 12
OWNER, MODERATOR = "owner", "moderator"
ROLES = (OWNER, MODERATOR)
# Checked against when an account does not exist, so both cases cost the same.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(ValueError):
    """A request about accounts that cannot be satisfied; the message says why."""


@dataclass(frozen=True)
class Account:
    email: str
    role: str
    sites: frozenset[str]  # a moderator's sites; an owner sees every site
    generation: int  # bumped to end every session at once
    created_at: float
    last_login: float | None
    lang: str | None
    two_factor: bool

    @property
    def owner(self) -> bool:
        return self.role == OWNER

    def may_see(self, site: str) -> bool:
        return self.owner or site in self.sites

    def visible(self, sites: Iterable[str]) -> list[str]:
        """Of ``sites`` (every site there is), those this account may see, in order."""
        return [site for site in sites if self.may_see(site)]


@dataclass(frozen=True)
class Token:
    token_id: str
    email: str
    created_at: float
    last_used: float | None
    sites: frozenset[str] | None = None  # narrower than the account's; None: all of them


@dataclass(frozen=True)
class Bearer:
    """Who a token speaks for, and to which sites it was narrowed (None: not)."""

    email: str
    sites: frozenset[str] | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The one spelling of an address: lookups, sign-in counters and
    invitations all use it. NFKC first, so full-width letters and the
    ideographic full stop reach the same account as their ASCII twins."""
    folded = unicodedata.normalize("NFKC", email).strip()
    try:
        return validate_email(folded, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"not a valid e-mail address: {email!r}") from error


def login_key(email: str) -> str:
    """What the sign-in counters count: the account's address as looked up,
    or, for an address that cannot be one, the same folding of what was typed."""
    try:
        return normalise_email(email)
    except AccountError:
        return unicodedata.normalize("NFKC", email).strip().casefold()[:320]


def _sites_field(sites: Iterable[str]) -> str:
    return json.dumps(sorted(set(sites)))


class Accounts:
    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    # -- moderators ----------------------------------------------------------

    def add(self, email: str, password: str, *, role: str = OWNER,
            sites: Iterable[str] = ()) -> str:  # fmt: skip
        """A new account; a moderator needs at least one site."""
        email = normalise_email(email)
        if len(password) < PASSWORD_MIN:
            raise AccountError(f"the password needs at least {PASSWORD_MIN} characters")
        sites = check_role(role, sites)
        fields = {
            "email": email,
            "password": generate_password_hash(password, method="scrypt"),
            "created_at": repr(self.clock()),
            "role": role,
            "sites": _sites_field(sites),
            "generation": "0",
        }
        if not self.client.hsetnx(P + f"user:{email}", "email", email):
            raise AccountError(f"{email} is already a moderator")
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"user:{email}", mapping=fields)
            pipe.sadd(P + "users", email)
            pipe.execute()
        return email

    def set_password(self, email: str, password: str) -> None:
        """A new password ends every session of the account (see sessions.py)."""
        email = normalise_email(email)
        if not self.exists(email):
            raise AccountError(f"no moderator {email}")
        if len(password) < PASSWORD_MIN:
            raise AccountError(f"the password needs at least {PASSWORD_MIN} characters")
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"user:{email}", "password",
                      generate_password_hash(password, method="scrypt"))  # fmt: skip
            end_sessions(pipe, email)
            pipe.execute()

    def get(self, email: str) -> Account | None:
        """The account, or None. An account of before roles reads as an owner."""
        try:
            email = normalise_email(email)
        except AccountError:
            return None
        fields = self.client.hgetall(P + f"user:{email}")
        if not fields or "password" not in fields:
            return None
        role = fields.get("role") or OWNER
        last = fields.get("last_login")
        return Account(
            email=email,
            role=role if role in ROLES else MODERATOR,
            sites=frozenset(json.loads(fields.get("sites") or "[]")),
            generation=int(fields.get("generation") or 0),
            created_at=float(fields.get("created_at") or 0),
            last_login=float(last) if last else None,
            lang=fields.get("lang") if fields.get("lang") in LANGUAGES else None,
            two_factor=bool(fields.get("totp")),
        )

    def require(self, email: str) -> Account:
        account = self.get(email)
        if account is None:
            raise AccountError(f"no moderator {email}")
        return account

    def accounts(self) -> list[Account]:
        return [account for email in self.emails() if (account := self.get(email))]

    def set_role(self, email: str, role: str, sites: Iterable[str] = ()) -> Account:
        """Make ``email`` an owner, or a moderator of exactly ``sites``. Taking
        anything away ends the account's sessions."""
        account = self.require(email)
        sites = check_role(role, sites)
        narrower = account.owner and role != OWNER or not set(account.sites) <= set(sites)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"user:{account.email}",
                      mapping={"role": role, "sites": _sites_field(sites)})  # fmt: skip
            if narrower and role != OWNER:
                end_sessions(pipe, account.email)
            pipe.execute()
        return self.require(account.email)

    def grant(self, email: str, site: str) -> Account:
        account = self.require(email)
        if account.owner:
            raise AccountError(f"{account.email} is an owner: every site already")
        return self.set_role(account.email, MODERATOR, {*account.sites, site})

    def revoke_site(self, email: str, site: str) -> Account:
        """Take ``site`` away; the account's sessions end (its tokens lose the site)."""
        account = self.require(email)
        if account.owner:
            raise AccountError(f"{account.email} is an owner: make it a moderator of some "
                               "sites instead")  # fmt: skip
        if site not in account.sites:
            raise AccountError(f"{account.email} has no grant for {site}")
        if account.sites == {site}:
            raise AccountError(f"{site} is the only site of {account.email}: remove the "
                               "account instead")  # fmt: skip
        return self.set_role(account.email, MODERATOR, account.sites - {site})

    def signed_in(self, email: str) -> None:
        self.client.hset(P + f"user:{normalise_email(email)}", "last_login", repr(self.clock()))

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
            pipe.delete(P + f"user:{email}", P + f"sessions:{email}")
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

    def create_token(self, email: str, sites: Iterable[str] | None = None) -> str:
        """A new token for ``email``, narrowed to ``sites`` if given (which
        the account must see); only its digest is kept, so show it now."""
        account = self.require(email)
        email = account.email
        fields = {"email": email, "created_at": repr(self.clock())}
        if sites is not None:
            sites = set(sites)
            outside = sorted(site for site in sites if not account.may_see(site))
            if not sites or outside:
                raise AccountError(f"{email} may not see {', '.join(outside) or 'no site'}")
            fields["sites"] = _sites_field(sites)
        token = secrets.token_urlsafe(32)
        digest = _digest(token)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(P + f"token:{digest}", mapping=fields)
            pipe.sadd(P + f"tokens:{email}", digest)
            pipe.execute()
        return token

    def authenticate(self, token: str) -> Bearer | None:
        """Who a bearer token speaks for, or None; records its use."""
        if not token or len(token) > 200:
            return None
        key = P + f"token:{_digest(token)}"
        email, sites = self.client.hmget(key, ["email", "sites"])
        if email is None or not self.exists(email):
            return None
        self.client.hset(key, "last_used", repr(self.clock()))
        return Bearer(email, frozenset(json.loads(sites)) if sites else None)

    def tokens(self, email: str) -> list[Token]:
        listed = []
        for digest in sorted(self.client.smembers(P + f"tokens:{email}")):
            fields = self.client.hgetall(P + f"token:{digest}")
            if fields:
                last = fields.get("last_used")
                narrowed = frozenset(json.loads(fields["sites"])) if fields.get("sites") else None
                listed.append(Token(digest[:12], email, float(fields["created_at"]),
                                    float(last) if last else None, narrowed))  # fmt: skip
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


def check_role(role: str, sites: Iterable[str]) -> list[str]:
    if role not in ROLES:
        raise AccountError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    sites = sorted(set(sites))
    if role == MODERATOR and not sites:
        raise AccountError("a moderator needs at least one site (--site NAME), or use --owner")
    return [] if role == OWNER else sites


def end_sessions(pipe: "redis.client.Pipeline", email: str) -> None:
    """In the caller's transaction: forget the account's sessions and move its
    generation, so a cookie copied before is refused on its next request."""
    pipe.delete(P + f"sessions:{email}")
    pipe.hincrby(P + f"user:{email}", "generation", 1)
