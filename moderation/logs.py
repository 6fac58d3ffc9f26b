"""Log lines as text or JSON (``LOG_FORMAT``), each carrying the id of the
request it belongs to, so one request can be followed through every line."""

import json
import logging
import re
import secrets
import sys
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_GIVEN = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # a proxy's id is kept if it looks sane
# gunicorn's access log in JSON: the same request id, read back from our response header.
ACCESS_LOG_JSON = (
    '{"time": "%(t)s", "level": "INFO", "logger": "gunicorn.access", "request_id": '
    '"%({x-request-id}o)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_us": %(D)s, "remote": "%(h)s"}'
)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(log_format: str, stream: TextIO | None = None) -> None:
    """Send every logger's lines to ``stream`` (stderr) as ``text`` or ``json``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
        ))  # fmt: skip
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Give each request an id (the proxy's ``X-Request-ID`` if sane, else a
    new one) and send it back in the response."""

    @app.before_request
    def assign() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _GIVEN.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def echo(response: Response) -> Response:
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response
