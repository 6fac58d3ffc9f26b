"""The data-format version kept in Redis, checked at start-up, and the
migrations that bring older data up to it.

The version is a number under ``keys.DATA_FORMAT``. Migration *n* turns
format *n − 1* into format *n*; each is idempotent (running it twice, or
over data partly migrated, changes nothing more), so a run interrupted
half-way is simply run again; each also says how much it would change
(``needed``).

Data with no version was written before versions existed (format 0), or by
this code before anything stamped it (a new installation, a first account
made from the CLI before the first start). If no migration would change
anything in it, it is stamped with the current format; otherwise it is
format 0.
"""

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import redis

from moderation import keys
from moderation.migrations import m001_roles, m002_author_lists

log = logging.getLogger(__name__)

MIGRATIONS: tuple[ModuleType, ...] = (m001_roles, m002_author_lists)  # the n-th makes format n
CURRENT = len(MIGRATIONS)
LOCK_SECONDS = 300


class DataFormatError(RuntimeError):
    """The data in Redis is not in the format this code reads; the message says what to do."""


@dataclass(frozen=True)
class Status:
    stored: int  # the data's format (0: written before versions)
    current: int = CURRENT

    @property
    def pending(self) -> list[int]:
        return list(range(self.stored + 1, self.current + 1))

    @property
    def newer(self) -> bool:
        return self.stored > self.current


def status(client: redis.Redis) -> Status:
    """The data's format; stamps unversioned data that needs nothing as current."""
    stored = client.get(keys.DATA_FORMAT)
    if stored is None:
        if any(step.needed(client) for step in MIGRATIONS):
            return Status(0)
        client.set(keys.DATA_FORMAT, CURRENT, nx=True)
        stored = client.get(keys.DATA_FORMAT)
    return Status(int(stored))


def migrate(client: redis.Redis, report: Callable[[str], None] = log.info,
            wait_seconds: float = 60.0) -> Status:  # fmt: skip
    """Run the pending migrations, one at a time, each then recorded."""
    token = secrets.token_hex(8)
    deadline = time.monotonic() + wait_seconds
    while not client.set(keys.MIGRATION_LOCK, token, nx=True, ex=LOCK_SECONDS):
        if time.monotonic() > deadline:  # another process is migrating
            raise DataFormatError("another process is running the migrations; retry later")
        time.sleep(0.1)
    try:
        found = status(client)
        if found.newer:
            raise DataFormatError(_newer(found))
        for number in found.pending:
            step = MIGRATIONS[number - 1]
            changed = step.apply(client)
            client.set(keys.DATA_FORMAT, number)
            report(f"format {number}: {step.DESCRIPTION} ({changed} changed)")
        return status(client)
    finally:
        if client.get(keys.MIGRATION_LOCK) == token:
            client.delete(keys.MIGRATION_LOCK)


def ensure_current(client: redis.Redis, auto_migrate: bool) -> None:
    """At start-up: migrate (with ``AUTO_MIGRATE``) or refuse data of another format."""
    found = status(client)
    if found.newer:
        raise DataFormatError(_newer(found))
    if not found.pending:
        return
    if auto_migrate:
        migrate(client)
        return
    raise DataFormatError(
        f"the data in Redis is in format {found.stored}; this version of the service "
        f"reads format {found.current}. Back it up (moderation backup FILE), then run "
        "`moderation migrate`, or set AUTO_MIGRATE=true to migrate at start-up"
    )


def _newer(found: Status) -> str:
    return (
        f"the data in Redis is in format {found.stored}, newer than this version of the "
        f"service reads ({found.current}): run the release that wrote it, or restore a "
        "backup made before the upgrade"
    )
