"""Comment ids: 26 Crockford base-32 characters, 48 bits of milliseconds then
80 bits of randomness, so they are unique, URL-safe and sort by creation time;
the creation time is read back from the id rather than stored."""

import hashlib
import secrets
from datetime import UTC, datetime

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford digits to the digits int(..., 32) reads.
_TO_BASE32 = str.maketrans(_CROCKFORD, "0123456789abcdefghijklmnopqrstuv")


def _encode(value: int) -> str:
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_comment_id(now: float) -> str:
    """26 characters, sortable by time (48-bit milliseconds + 80 random bits)."""
    return _encode((int(now * 1000) << 80) | secrets.randbits(80))


def stable_id(moment: float, source: str) -> str:
    """An id with ``moment``'s time and bits derived from ``source``: the same
    imported comment gets the same id every time (imports are idempotent)."""
    bits = int.from_bytes(hashlib.sha256(source.encode()).digest()[:10], "big")
    return _encode((int(moment * 1000) << 80) | bits)


def first_id_at(moment: float) -> str:
    """The smallest id a comment created at ``moment`` can have: ids below it
    are older (ranges of comments by time)."""
    return _encode(int(moment * 1000) << 80)


def is_comment_id(value: str) -> bool:
    return len(value) == 26 and all(char in _CROCKFORD for char in value)


def created_at_of(comment_id: str) -> float:
    """Creation time (epoch seconds, to the millisecond) carried by a comment id.

    The inverse of ``new_comment_id``: its first 10 characters are 50 bits,
    the id's value shifted right by the 80 random bits, i.e. the milliseconds.
    Reading the id saves storing the time, or fetching the comment's hash.
    """
    if not is_comment_id(comment_id):
        raise ValueError(f"not a comment id: {comment_id!r}")
    return int(comment_id[:10].translate(_TO_BASE32), 32) / 1000


def iso8601(timestamp: float) -> str:
    return (
        datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )
