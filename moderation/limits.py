"""Rate limits (Flask-Limiter, moving window, stored in the same Redis).

Clients are keyed by IP, IPv6 grouped by /64 (one subscriber's whole
network), hashed with a key that changes daily, and comment posting also by a
keyed hash of the e-mail address.
When Redis cannot be reached the limiter's error is not swallowed, so posting
fails closed with a 503 rather than going unlimited.
"""

import hashlib
import hmac

from flask import Flask, current_app, request
from flask_limiter import Limiter

from moderation.client_ip import ip_hash, network_of
from moderation.services import services


def client_key() -> str:
    """The client as rate limits and lock-outs see it: its network (IPv6 by
    /64), hashed with today's key, so no address is written to Redis."""
    secret = current_app.config["SECRET_KEY"].encode()
    return ip_hash(secret, network_of(request.remote_addr), services().clock())


def email_key() -> str:
    """A keyed hash of the e-mail in the JSON body or the form; the IP without one."""
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if hasattr(body, "get") else None
    if not isinstance(email, str) or not email.strip():
        return "ip:" + client_key()
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return "email:" + digest[:32]


# Headers are written by our 429 handler (retry_after below): the limiter's own
# header pass reads Redis again after the view, which fails if Redis died meanwhile.
limiter = Limiter(
    key_func=client_key, strategy="moving-window", headers_enabled=False, swallow_errors=False,
    key_prefix="limits",
)  # fmt: skip


def retry_after(error: Exception) -> int:
    """Seconds until a breached moving-window limit surely has room again."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    return int(limit.get_expiry()) if limit is not None else 60


def challenge_limit() -> str:
    return current_app.config["RATELIMIT_CHALLENGE"]


def post_limit() -> str:
    return current_app.config["RATELIMIT_POST"]


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
