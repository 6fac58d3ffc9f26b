"""Security headers on every response.

Our pages run no inline script: the Content-Security-Policy allows scripts
from our origin only. The widget's stylesheet is injected as a <style>
element inside its shadow root, so its exact content is allowed by hash on
our own pages (the /embed example). Moderator pages may not be framed.
"""

import base64
import hashlib

from flask import Flask, Response, request

from moderation.web.widget import widget_css


def _style_hash() -> str:
    digest = hashlib.sha256(widget_css().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(frame_ancestors: str) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' {_style_hash()}",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])  # fmt: skip


def register(app: Flask) -> None:
    pages = policy("'self'")
    moderator_pages = policy("'none'")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if response.mimetype == "text/html":
            moderator = request.path.startswith("/moderation")
            response.headers["Content-Security-Policy"] = moderator_pages if moderator else pages
            if moderator:
                response.headers["X-Frame-Options"] = "DENY"
        return response
