"""What HTTP caches and clients rely on (RFC 9110, RFC 9111): validators
compared the way the RFC says, ``Cache-Control`` for the public reads, and an
``Allow`` header on every 405.

A proxy that compresses an answer (nginx with gzip on) turns its ETag weak,
``W/"…"``, and its clients send that back: ``If-None-Match`` is compared
weakly, so such a revalidation still gets its 304.
"""

import math
from datetime import UTC, datetime

from flask import Flask, Request, Response, current_app, request


def last_modified(changed: float | None, now: float) -> datetime | None:
    """The ``Last-Modified`` of a list that last changed at ``changed``
    (epoch seconds), or None.

    HTTP dates count whole seconds, so a date is only given once its second
    is over: a change later in the same second would otherwise carry the same
    date, and a client asking ``If-Modified-Since`` would miss it."""
    if changed is None:
        return None
    second = math.floor(changed)
    if now < second + 1:
        return None
    return datetime.fromtimestamp(second, UTC)


def not_modified(req: Request, tag: str, modified: datetime | None) -> bool:
    """Whether the client's copy is current, so a 304 will do (RFC 9110,
    section 13.2.2): ``If-None-Match`` decides when sent, by weak comparison
    (``W/"x"`` matches ``"x"``, ``*`` matches any, lists are searched);
    ``If-Modified-Since`` is read only without it."""
    if "If-None-Match" in req.headers:
        return req.if_none_match.contains_weak(tag)
    since = req.if_modified_since
    return modified is not None and since is not None and modified <= since


def public_cache_control() -> str:
    """For the public comment lists and feeds: any cache may keep them for
    ``CACHE_MAX_AGE`` seconds, then serve them while it revalidates, for at
    most ``CACHE_STALE_WHILE_REVALIDATE`` more. A change to a thread shows
    within those seconds without any purge: the ETag follows its version."""
    config = current_app.config
    return (f"public, max-age={config['CACHE_MAX_AGE']}, "
            f"stale-while-revalidate={config['CACHE_STALE_WHILE_REVALIDATE']}")  # fmt: skip


def allowed_methods() -> list[str]:
    """The methods the URL map has for the requested path."""
    adapter = current_app.create_url_adapter(request)
    return sorted(adapter.allowed_methods()) if adapter is not None else []


def register(app: Flask) -> None:
    @app.after_request
    def allow(response: Response) -> Response:
        """Every 405 names what is allowed (RFC 9110, section 15.5.6),
        whichever handler or view made it."""
        if response.status_code == 405 and "Allow" not in response.headers:
            response.headers["Allow"] = ", ".join(allowed_methods())
        return response
