"""Moderators' sessions, recorded in Redis so that they can end.

A signed cookie alone cannot be taken back: a copy keeps working until it
expires. So the cookie only names the session (account, session id, the
account's generation), and every request checks it against Redis: the record
must exist, the generation must be the account's current one, the session
must have been used within the idle time and be younger than its lifetime.
Signing out, a new password, a removed grant or account, or ``moderation
moderator sessions EMAIL --end`` delete the records and move the generation
(``accounts.end_sessions``), so every copy of every cookie of the account is
refused on its next request.

One hash per account, ``acct:{accounts}:sessions:<email>``: session id → JSON
``{"created", "seen", "agent"}``.
"""

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from moderation.accounts import Account, Accounts, P, end_sessions


@dataclass(frozen=True)
class SessionRecord:
    sid: str
    created_at: float
    seen_at: float
    agent: str


class Sessions:
    def __init__(
        self,
        client: redis.Redis,
        accounts: Accounts,
        *,
        idle_seconds: float,
        lifetime_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.accounts = accounts
        self.idle = idle_seconds
        self.lifetime = lifetime_seconds
        self.clock = clock

    def _key(self, email: str) -> str:
        return P + f"sessions:{email}"

    def _alive(self, record: SessionRecord, now: float) -> bool:
        return now - record.seen_at <= self.idle and now - record.created_at <= self.lifetime

    def start(self, account: Account, agent: str = "") -> str:
        """A new session of ``account``; returns its id (for the cookie)."""
        now = self.clock()
        sid = secrets.token_urlsafe(18)
        stale = [record.sid for record in self.records(account.email, alive_only=False)
                 if not self._alive(record, now)]  # fmt: skip
        with self.client.pipeline(transaction=True) as pipe:
            if stale:
                pipe.hdel(self._key(account.email), *stale)
            pipe.hset(self._key(account.email), sid,
                      json.dumps({"created": now, "seen": now, "agent": agent[:200]}))  # fmt: skip
            pipe.execute()
        self.accounts.signed_in(account.email)
        return sid

    def check(self, email: str, sid: str, generation: int) -> Account | None:
        """The account if this session is still good, having recorded its use;
        None if it ended, expired or never was."""
        account = self.accounts.get(email)
        if account is None or account.generation != generation or not sid:
            return None
        raw = self.client.hget(self._key(account.email), sid)
        record = _record(sid, raw) if raw else None
        now = self.clock()
        if record is None or not self._alive(record, now):
            if record is not None:
                self.client.hdel(self._key(account.email), sid)
            return None
        self.client.hset(self._key(account.email), sid, json.dumps(
            {"created": record.created_at, "seen": now, "agent": record.agent}))  # fmt: skip
        return account

    def records(self, email: str, alive_only: bool = True) -> list[SessionRecord]:
        now = self.clock()
        found = [_record(sid, raw) for sid, raw in self.client.hgetall(self._key(email)).items()]
        return sorted((record for record in found if not alive_only or self._alive(record, now)),
                      key=lambda record: record.seen_at, reverse=True)  # fmt: skip

    def end(self, email: str, sid: str) -> None:
        """End one session (signing out ends them all: see ``end_all``)."""
        self.client.hdel(self._key(email), sid)

    def end_all(self, email: str) -> int:
        """End every session of the account at once; how many were alive."""
        email = self.accounts.require(email).email
        alive = len(self.records(email))
        with self.client.pipeline(transaction=True) as pipe:
            end_sessions(pipe, email)
            pipe.execute()
        return alive


def _record(sid: str, raw: str) -> SessionRecord:
    data = json.loads(raw)
    return SessionRecord(sid, float(data["created"]), float(data["seen"]), str(data.get("agent")))
