"""Rate limits (Flask-Limiter, moving window, stored in the same Redis).

Each limit on readers is one budget, however it is reached: comments per
client and per e-mail address are shared scopes of the JSON API and both forms
(``comment_limits``); questions per client are spent by the API and by every
page that shows the form (``spend_question``).

Clients are keyed by IP, IPv6 grouped by /64 (one subscriber's whole
network), under a keyed hash that does not rotate (``client_ip.limit_hash``),
so no counter starts again at midnight; comment posting is also keyed by a
keyed hash of the e-mail address.
When Redis cannot be reached the limiter's error is not swallowed, so posting
fails closed with a 503 rather than going unlimited.
"""

import hashlib
import hmac
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse_many

from moderation import keys
from moderation.client_ip import limit_hash, network_of
from moderation.validation import InvalidField, clean_email

COMMENTS = "comments"  # the shared scopes: one bucket whichever route is used
COMMENTS_BY_EMAIL = "comments-by-email"
QUESTIONS = "questions"
REPORTS = "reports"
PREFIX = keys.LIMITS

View = TypeVar("View", bound=Callable[..., object])


def client_key() -> str:
    """The client as rate limits and lock-outs see it (the sign-in guard too):
    its network (IPv6 by /64) under a keyed hash that is the same every day,
    so no address is written to Redis and no count resets at midnight."""
    secret = current_app.config["SECRET_KEY"].encode()
    return limit_hash(secret, network_of(request.remote_addr))


def email_key() -> str:
    """A keyed hash of the e-mail in the JSON body or the form, normalised as
    the address is stored (so case or a Unicode domain do not make another
    address); the client without a valid one."""
    # get_json is the app's safe parser (web/body.py): any body gives a dict or None.
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if hasattr(body, "get") else None
    try:
        address = clean_email(email).lower()
    except InvalidField:
        return "ip:" + client_key()
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()
    return "email:" + digest[:32]


# Headers are written by our 429 handler (retry_after below): the limiter's own
# header pass reads Redis again after the view, which fails if Redis died meanwhile.
limiter = Limiter(
    key_func=client_key, strategy="moving-window", headers_enabled=False, swallow_errors=False,
    key_prefix=PREFIX,
)  # fmt: skip


def retry_after(error: Exception) -> int:
    """Seconds until a breached moving-window limit surely has room again."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    return int(limit.get_expiry()) if limit is not None else 60


def challenge_limit() -> str:
    return current_app.config["RATELIMIT_CHALLENGE"]


def post_limit() -> str:
    return current_app.config["RATELIMIT_POST"]


def report_limit() -> str:
    return current_app.config["RATELIMIT_REPORT"]


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def comment_limits(view: View) -> View:
    """The comment budgets (``RATELIMIT_POST``) on a route that posts comments:
    per client and per e-mail address, each one scope shared by every such
    route, so alternating the API and the forms buys nothing."""
    by_email = limiter.shared_limit(post_limit, scope=COMMENTS_BY_EMAIL, key_func=email_key,
                                    methods=["POST"])  # fmt: skip
    by_client = limiter.shared_limit(post_limit, scope=COMMENTS, methods=["POST"])
    return by_client(by_email(view))


def report_limits(view: View) -> View:
    """The reports budget (``RATELIMIT_REPORT``) per client, one scope for the
    API and the report pages."""
    return limiter.shared_limit(report_limit, scope=REPORTS, methods=["POST"])(view)


def spend_question() -> int:
    """Take one CAPTCHA question from the client's budget (``RATELIMIT_CHALLENGE``),
    whichever way it is issued (the API or a page with the form): 0 when the
    client may have it, else the seconds until it may. Over the limit nothing
    is taken, so asking again does not push the wait back."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return 0
    strategy, key = limiter.limiter, client_key()
    for item in sorted(parse_many(challenge_limit())):
        if not strategy.hit(item, PREFIX, key, QUESTIONS):
            reset = strategy.get_window_stats(item, PREFIX, key, QUESTIONS).reset_time
            return max(math.ceil(reset - time.time()), 1)
    return 0


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
