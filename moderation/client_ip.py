"""Client IPs are never stored in clear: only a keyed hash whose key changes
every day (UTC). Within a day one client's comments group together and rate
limits work; across days nothing links them, and without the secret nothing
reverses them."""

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
