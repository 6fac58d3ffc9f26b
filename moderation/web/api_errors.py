"""The JSON error every API route answers with: ``{"error": {"code",
"message", "field"?}}``. ``code`` and ``field`` are for programs and never
change with the language; ``message`` is for people."""

from flask import Response, jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def api_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    error: dict[str, str] = {"code": code, "message": str(message)}
    if field is not None:
        error["field"] = field
    response = jsonify({"error": error})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Language")  # the message is in the asked language
    return response
