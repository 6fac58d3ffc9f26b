"""Format 1: every account states its role.

Accounts made before roles existed have no ``role`` field (nor ``sites`` or
``generation``); the code has read them as owners so that an upgrade locked
nobody out. This writes what it read: ``role=owner``, ``sites=[]``,
``generation=0``, only where a field is missing (HSETNX), so an account given
a role since, and a second run, are left as they are.
"""

import redis

from moderation import keys

DESCRIPTION = "accounts made before roles become owners, in so many words"
DEFAULTS = {"role": "owner", "sites": "[]", "generation": "0"}


def _accounts(client: redis.Redis) -> list[str]:
    """Keys of the accounts (an address being created or removed has no password yet)."""
    found = []
    for email in sorted(client.smembers(keys.ACCOUNTS + "users")):
        key = keys.ACCOUNTS + f"user:{email}"
        if client.hexists(key, "password"):
            found.append(key)
    return found


def needed(client: redis.Redis) -> int:
    """How many accounts lack one of the fields (what :func:`apply` would change)."""
    return sum(1 for key in _accounts(client) if None in client.hmget(key, list(DEFAULTS)))


def apply(client: redis.Redis) -> int:
    """Fill in the missing fields; returns how many accounts changed."""
    changed = 0
    for key in _accounts(client):
        with client.pipeline(transaction=True) as pipe:  # one slot: {accounts}
            for field, value in DEFAULTS.items():
                pipe.hsetnx(key, field, value)
            changed += any(pipe.execute())
    return changed
