"""Errors as JSON ``{"error": {"code", "message", "field"?}}`` under /api/,
as a page elsewhere."""

import logging

import redis
from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from moderation.limits import retry_after

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
    404: "Cette page n’existe pas.",
    405: "Méthode non autorisée.",
    413: "La requête est trop volumineuse.",
    415: "Le corps de la requête doit être du JSON (Content-Type: application/json).",
    429: "Trop de requêtes : patientez un peu avant de réessayer.",
    500: "Erreur interne.",
    503: "Le service de commentaires est momentanément indisponible. Réessayez dans un instant.",
}


THREAD_PAGES = {"pages.article", "pages.site_thread"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def api_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    error: dict[str, str] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    response = jsonify({"error": error})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, message: str) -> tuple[str, int]:
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def on_api_error(error: ApiError) -> Response:
        return api_error(error.status, error.code, error.message, error.field)

    @app.errorhandler(HTTPException)
    def on_http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = MESSAGES.get(status) or error.description or "Erreur."
        if _wants_json():
            response = api_error(status, CODES.get(status, "error"), message)
            allowed = getattr(error, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        else:
            response = make_response(_page(status, message))
        if status == 429:
            response.headers["Retry-After"] = str(retry_after(error))
        return response

    @app.errorhandler(redis.RedisError)
    def on_store_error(error: redis.RedisError) -> Response | tuple[str, int]:
        log.warning("Redis unavailable: %s", error)
        if _wants_json():
            return api_error(503, "store_unavailable", MESSAGES[503])
        if request.method == "POST" and request.endpoint in THREAD_PAGES:
            # Raised before the view (the rate limiter could not reach Redis):
            # still give the reader their text back.
            from moderation.web.pages import store_down

            return store_down()
        return _page(503, MESSAGES[503])
