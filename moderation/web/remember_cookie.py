"""« Se souvenir de moi » on the form without JavaScript: with the box ticked,
the name, e-mail and website go into a signed, HTTP-only cookie that fills
the next form; unticked, the cookie is removed and nothing is kept."""

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "remember_me"
FIELDS = ("author", "email", "url")
YEAR = 365 * 86400


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="remember-me")


def remembered() -> dict[str, str]:
    """The fields kept by this browser, or {}."""
    raw = request.cookies.get(COOKIE)
    try:
        kept = _serializer().loads(raw) if raw else {}
    except BadSignature:
        return {}
    if not isinstance(kept, dict):
        return {}
    return {name: kept[name] for name in FIELDS if isinstance(kept.get(name), str)}


def keep(response: Response, wanted: bool, fields: dict[str, str]) -> None:
    """After a comment was sent: keep ``fields`` if the reader asked, else forget."""
    if not wanted:
        if COOKIE in request.cookies:
            response.delete_cookie(COOKIE)
        return
    response.set_cookie(COOKIE, _serializer().dumps({n: fields.get(n, "") for n in FIELDS}),
                        max_age=YEAR, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])  # fmt: skip
