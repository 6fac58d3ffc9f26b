"""Request bodies read as JSON: one parser for every view and hook.

Whatever arrives (any nesting, bad UTF-8, a 5,000-digit number), the
answer is a value or a 400 ``invalid_json``/``invalid_utf8`` in the API's
error shape, never a 500. The app's request class routes ``request.get_json``
(Flask-WTF, the rate limiter's key functions, any view) through it too.
"""

import json
from typing import Any

from flask import Request
from flask_babel import gettext as _

from moderation.web.api_errors import ApiError

# Our bodies nest two levels; a limit far below the interpreter's stack keeps
# any later walk over a parsed body (validation, logging) from recursing deep.
MAX_DEPTH = 32


def _too_deep(value: object) -> bool:
    """Nesting deeper than MAX_DEPTH, found without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(raw: bytes) -> Any:
    """``raw`` as JSON; :class:`ApiError` 400 for anything that is not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, "invalid_utf8", _("The body is not valid UTF-8.")) from error
    try:
        # RecursionError: the C parser's own guard against deep nesting.
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, "invalid_json", _("The body is not valid JSON.")) from error
    if _too_deep(value):
        raise ApiError(400, "invalid_json", _("The body is not valid JSON."))
    return value


def json_object(request: Request) -> dict[str, Any]:
    """A JSON API request's body, which must be one object: 415 when it is not
    JSON, 400 when incomplete or not an object (and see :func:`parse_json`)."""
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            _("The request body must be JSON (Content-Type: application/json)."),
        )
    raw = request.get_data(cache=False)  # 413 above MAX_CONTENT_LENGTH
    if request.content_length is not None and len(raw) != request.content_length:
        # The client went away mid-body; gunicorn hands over what came.
        raise ApiError(400, "incomplete_body", _("The request body is incomplete."))
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", _("The body must be a JSON object."))
    return body


class JSONSafeRequest(Request):
    """Flask's request whose ``get_json`` goes through :func:`parse_json`:
    ``None`` when silent, else the same 400 (or 415) as the API's own views."""

    def get_json(  # type: ignore[override] - the same call, one return type
        self, force: bool = False, silent: bool = False, cache: bool = True
    ) -> Any:
        if not (force or self.is_json):
            if silent:
                return None
            raise ApiError(
                415,
                "unsupported_media_type",
                _("The request body must be JSON (Content-Type: application/json)."),
            )
        try:
            return parse_json(self.get_data(cache=cache))
        except ApiError:
            if silent:
                return None
            raise
