"""Errors as JSON ``{"error": {"code", "message", "field"?}}`` under /api/,
as a page elsewhere."""

import logging

import redis
from flask import Flask, Response, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from moderation.limits import retry_after
from moderation.store import is_comment_id
from moderation.web.api_errors import ApiError, api_error
from moderation.web.body import JSONSafeRequest

__all__ = ["ApiError", "api_error"]  # where most callers look for them

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
    503: "store_unavailable",
}
MESSAGES = {
    400: _l("The request is invalid."),
    401: _l("Authentication is required."),
    403: _l("Access is forbidden."),
    404: _l("This page does not exist."),
    405: _l("Method not allowed."),
    413: _l("The request is too large."),
    415: _l("The request body must be JSON (Content-Type: application/json)."),
    429: _l("Too many requests: wait a little before trying again."),
    500: _l("Internal error."),
    503: _l("The comment service is unavailable for a moment. Try again shortly."),
}


def page_args(cursor_field: str, default_limit: int, maximum: int) -> tuple[str | None, int]:
    """A list request's cursor (a comment id, or None) and limit (1 to
    ``maximum``); 400 naming the parameter otherwise."""
    cursor = request.args.get(cursor_field) or None
    if cursor is not None and not is_comment_id(cursor):
        raise ApiError(400, "invalid_cursor", _("Invalid cursor."), cursor_field)
    limit = request.args.get("limit", str(default_limit))
    if not limit.isdecimal() or not 1 <= int(limit) <= maximum:
        message = _("limit must be between 1 and %(max)d.", max=maximum)
        raise ApiError(400, "invalid_limit", message, "limit")
    return cursor, int(limit)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, message: str) -> tuple[str, int]:
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
    # Every request.get_json of the app (our views, Flask-WTF, the limiter's key
    # functions) parses through web/body.py: no body gets a 500, however nested.
    app.request_class = JSONSafeRequest

    @app.errorhandler(ApiError)
    def on_api_error(error: ApiError) -> Response:
        return api_error(error.status, error.code, error.message, error.field)

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException) -> Response:
        status = error.code or 500
        # A 400 of ours (abort(400, description=…)) names the field; other
        # descriptions (werkzeug's, the rate limiter's) are English jargon.
        custom = status == 400 and error.description != type(error).description and (
            error.description)  # fmt: skip
        message = str(custom or MESSAGES.get(status) or error.description or _("Error."))
        if _wants_json():
            response = api_error(status, CODES.get(status, "error"), message)
        else:
            response = make_response(_page(status, message))
        allowed = getattr(error, "valid_methods", None)
        if allowed:  # a 405, API or page (see also web/conditional.py)
            response.headers["Allow"] = ", ".join(allowed)
        if status == 429:
            response.headers["Retry-After"] = str(retry_after(error))
        return response

    app.errorhandler(redis.RedisError)(store_error)


def store_error(error: redis.RedisError) -> Response | tuple[str, int]:
    """Redis is out of reach: 503, as JSON for the API, else a page (the
    comment pages give the reader's text back: see pages.py)."""
    log.warning("Redis unavailable: %s", error)
    if _wants_json():
        return api_error(503, "store_unavailable", str(MESSAGES[503]))
    return _page(503, str(MESSAGES[503]))
