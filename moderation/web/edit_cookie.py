"""The edit keys of the comments this browser posted through a form, in one
signed, HTTP-only cookie (the widget keeps its own in ``localStorage``):
``{comment id: [key, window's end]}``, at most a few, none past its window."""

import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "edit_keys"
KEEP = 5  # the newest comments only: a cookie stays small


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="edit-keys")


def _now() -> float:
    return (current_app.config.get("CLOCK") or time.time)()


def entries() -> dict[str, tuple[str, float]]:
    """This browser's (edit key, window's end) whose window is still open, by comment id."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        stored = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(stored, dict):
        return {}
    now = _now()
    return {str(comment_id): (str(entry[0]), float(entry[1]))
            for comment_id, entry in stored.items()
            if isinstance(entry, list) and len(entry) == 2
            and isinstance(entry[1], int | float) and entry[1] > now}  # fmt: skip


def key_for(comment_id: str) -> str:
    """This browser's key of ``comment_id`` ('' when it has none, or its window is over)."""
    return entries().get(comment_id, ("", 0.0))[0]


def remember(response: Response, comment_id: str, key: str, until: float) -> None:
    """Add a comment's key to the cookie."""
    current = entries()
    current[comment_id] = (key, until)
    _write(response, dict(sorted(current.items())[-KEEP:]))  # ids sort by creation time


def forget(response: Response, comment_id: str) -> None:
    """Drop one comment's key (it was deleted)."""
    current = entries()
    current.pop(comment_id, None)
    _write(response, current)


def _write(response: Response, current: dict[str, tuple[str, float]]) -> None:
    if not current:
        response.delete_cookie(COOKIE)
        return
    last = max(until for _key, until in current.values())
    response.set_cookie(
        COOKIE, _serializer().dumps({cid: list(entry) for cid, entry in current.items()}),
        max_age=max(int(last - _now()), 1), httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )  # fmt: skip
