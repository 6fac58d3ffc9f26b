"""Invitations: an owner names an address, a role and sites; the invitee
opens a one-time link (valid 48 hours) and chooses their own password, so no
password ever passes through the owner's hands or an e-mail.

The link's token is random and only its SHA-256 digest is kept, with the
invitation, under ``acct:{accounts}:invite:<digest>`` (expiring with it);
accepting it takes it (GETDEL), so a link works once.
"""

import hashlib
import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis

from moderation.accounts import PASSWORD_MIN, AccountError, Accounts, P, check_role, normalise_email

VALID_HOURS = 48


@dataclass(frozen=True)
class Invitation:
    email: str
    role: str
    sites: tuple[str, ...]
    invited_by: str
    expires_at: float


def _key(token: str) -> str:
    return P + "invite:" + hashlib.sha256(token.encode()).hexdigest()


class Invitations:
    def __init__(self, client: redis.Redis, accounts: Accounts,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.client = client
        self.accounts = accounts
        self.clock = clock

    def create(self, email: str, role: str, sites: Iterable[str], invited_by: str) -> str:
        """A one-time sign-up token for ``email``; show it now, it is not kept."""
        email = normalise_email(email)
        if self.accounts.exists(email):
            raise AccountError(f"{email} already has an account")
        sites = check_role(role, sites)
        token = secrets.token_urlsafe(32)
        document = {"email": email, "role": role, "sites": sites, "by": invited_by,
                    "expires": self.clock() + VALID_HOURS * 3600}  # fmt: skip
        self.client.set(_key(token), json.dumps(document), ex=VALID_HOURS * 3600)
        return token

    def get(self, token: str) -> Invitation | None:
        """The invitation behind a link, if it is still good."""
        if not token or len(token) > 100:
            return None
        raw = self.client.get(_key(token))
        return _invitation(raw) if raw else None

    def accept(self, token: str, password: str) -> str:
        """Create the invited account with the invitee's password; the link is spent."""
        if len(password) < PASSWORD_MIN:
            raise AccountError(f"the password needs at least {PASSWORD_MIN} characters")
        raw = self.client.getdel(_key(token)) if token and len(token) <= 100 else None
        invitation = _invitation(raw) if raw else None
        if invitation is None or invitation.expires_at < self.clock():
            raise AccountError("this invitation is no longer valid")
        return self.accounts.add(invitation.email, password, role=invitation.role,
                                 sites=invitation.sites)  # fmt: skip


def _invitation(raw: str) -> Invitation:
    data = json.loads(raw)
    return Invitation(data["email"], data["role"], tuple(data["sites"]), data["by"],
                      float(data["expires"]))  # fmt: skip
