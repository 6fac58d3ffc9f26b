"""Log lines as text or JSON (``LOG_FORMAT``), each carrying the id of the
request it belongs to, so one request can be followed through every line."""

import json
import logging
import re
import secrets
import sys
import time
from datetime import timedelta
from typing import Any, TextIO

from flask import Flask, Response, g, has_request_context, request
from gunicorn.glogging import Logger as GunicornLogger

HEADER = "X-Request-ID"
_GIVEN = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # a proxy's id is kept if it looks sane


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


def _stamp(seconds: float) -> str:
    """Local time to the millisecond, as :class:`JsonFormatter` writes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds)) + (
        f".{int(seconds * 1000) % 1000:03d}"
    )


def _wsgi_text(value: str) -> str:
    """A WSGI environ string (bytes as Latin-1) as the UTF-8 text it carries."""
    return value.encode("latin-1", "replace").decode("utf-8", "replace")


def access_entry(
    environ: dict[str, Any], status: object, headers: list[tuple[str, str]], sent: int | None,
    request_time: timedelta, now: float,
) -> str:  # fmt: skip
    """One access-log line as a JSON object, with the request id read back from
    our response header. Written by the JSON encoder, never by a format
    string, and ASCII only: whatever the path holds (quotes, backslashes,
    control characters, line separators) the line stays one valid object."""
    code = str(status).split(None, 1)[0]
    request_id = next((value for name, value in headers if name.lower() == "x-request-id"), "-")
    entry = {
        "time": _stamp(now),
        "level": "INFO",
        "logger": "gunicorn.access",
        "request_id": request_id,
        "method": _wsgi_text(environ.get("REQUEST_METHOD", "-")),
        "path": _wsgi_text(environ.get("PATH_INFO", "")),
        "status": int(code) if code.isdigit() else code,
        "bytes": sent,
        "duration_us": request_time // timedelta(microseconds=1),
        "remote": environ.get("REMOTE_ADDR", "-"),
    }
    return json.dumps(entry, ensure_ascii=True)


class JsonAccessLogger(GunicornLogger):
    """gunicorn's logger with the access log in JSON (``LOG_FORMAT=json``); set
    as ``logger_class`` by :mod:`moderation.gunicorn_conf`."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        line = access_entry(environ, resp.status, list(resp.headers),
                            getattr(resp, "sent", None), request_time, time.time())  # fmt: skip
        self.access_log.info("%s", line)


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
