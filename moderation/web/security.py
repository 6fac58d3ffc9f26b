"""Security headers on every response.

Our pages run no inline script: the Content-Security-Policy allows scripts
from our origin only. The widget's stylesheet is injected as a <style>
element inside its shadow root, so its exact content is allowed by hash on
our own pages (the /embed example). Moderator pages may not be framed.

A response that carries a CSRF token or a CAPTCHA question is the reader's
own (the token is tied to their session, the question is good for one
comment): it is sent ``Cache-Control: no-store``, so that no shared cache
hands it to someone else and no browser shows it again from its history.
"""

import base64
import hashlib

from flask import Flask, Response, g, has_request_context, request

from captcha import Challenge
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


QUESTION_ISSUED = "captcha_question_issued"  # set in ``g`` when a question was made


def _question_issued(_challenge: Challenge) -> None:
    if has_request_context():
        setattr(g, QUESTION_ISSUED, True)


def register(app: Flask) -> None:
    pages = policy("'self'")
    moderator_pages = policy("'none'")
    app.extensions["moderation"].challenges.on_issue.append(_question_issued)

    @app.after_request
    def private(response: Response) -> Response:
        # Flask-WTF keeps the token it generated for this request in g.
        csrf_issued = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g
        if csrf_issued or g.get(QUESTION_ISSUED):
            response.headers["Cache-Control"] = "no-store"
        return response

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
