"""Client IPs are never stored in clear: only keyed hashes.

The hash stored with a comment uses a key that changes every day (UTC):
within a day one client's comments group together; across days nothing links
them, and without the secret nothing reverses them.

Rate-limit and lock-out counters use another key that does not rotate: a
counter must not start again at midnight, and they live only as long as their
window (minutes to an hour), so they link nothing from one day to the next
that is still stored. Their key is not the comments' one either, so a counter
cannot be matched with a stored comment.
"""

import hashlib
import hmac
import ipaddress
import time


def network_of(address: str | None) -> str:
    """The address as one client: IPv6 grouped by /64 (one subscriber's network)."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def day_key(secret: bytes, now: float) -> bytes:
    """Today's key, derived from the secret: nothing to store or rotate by hand."""
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    return hmac.new(secret, b"client-ip:" + day.encode(), hashlib.sha256).digest()


def ip_hash(secret: bytes, address: str | None, now: float) -> str:
    if not address:
        return ""
    digest = hmac.new(day_key(secret, now), address.encode("utf-8", "replace"), hashlib.sha256)
    return digest.hexdigest()[:32]


def limit_key(secret: bytes) -> bytes:
    """The key of rate-limit and lock-out hashes, derived from the secret; never
    a day's key (``day_key`` mixes in the date, this does not)."""
    return hmac.new(secret, b"client-limits", hashlib.sha256).digest()


def limit_hash(secret: bytes, address: str) -> str:
    """A client as counters see it: the same hash every day (see the module's note)."""
    digest = hmac.new(limit_key(secret), address.encode("utf-8", "replace"), hashlib.sha256)
    return digest.hexdigest()[:32]
