import io
import json
import logging

import pytest

from moderation import logs


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logs.configure("json", stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


def test_each_response_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first and second and first != second
    given = client.get("/healthz", headers={"X-Request-ID": "lb-1234.5"})
    assert given.headers["X-Request-ID"] == "lb-1234.5"
    forged = client.get("/healthz", headers={"X-Request-ID": 'x", "level": "ERROR'})
    assert forged.headers["X-Request-ID"] != 'x", "level": "ERROR'


def test_json_lines_carry_the_request_id(app, json_lines):
    with app.test_request_context(headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        logging.getLogger("moderation.test").warning("Redis unavailable: %s", "refused")
    logging.getLogger("moderation.test").info("outside a request")
    first, second = (json.loads(line) for line in json_lines.getvalue().splitlines())
    assert first["request_id"] == "req-42" and first["level"] == "WARNING"
    assert first["message"] == "Redis unavailable: refused"
    assert first["logger"] == "moderation.test" and "time" in first
    assert second["request_id"] == "-"


def test_the_json_access_log_format_is_json_once_filled():
    filled = logs.ACCESS_LOG_JSON % {
        "t": "[28/Nov/2026:17:00:00 +0000]", "{x-request-id}o": "abc", "m": "GET",
        "U": "/healthz", "s": "200", "B": "15", "D": "812", "h": "127.0.0.1",
    }  # fmt: skip
    entry = json.loads(filled)
    assert entry["request_id"] == "abc" and entry["status"] == 200
