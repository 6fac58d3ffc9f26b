"""Client IPs are never stored in clear: only a keyed hash, enough to group
one client's comments and too costly to reverse without the key."""

import hashlib
import hmac


def ip_hash(secret: bytes, address: str | None) -> str:
    if not address:
        return ""
    digest = hmac.new(secret, address.encode("utf-8", "replace"), hashlib.sha256)
    return digest.hexdigest()[:32]
