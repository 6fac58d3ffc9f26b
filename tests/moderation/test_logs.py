import io
import json
import logging
import re
import socket
from datetime import timedelta
from urllib.parse import unquote_to_bytes

import pytest

from bench.processes import Web
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


# A path as an attacker sends it: quotes and backslashes as they are, control
# characters, a line separator and bytes that are not UTF-8 percent-encoded.
NASTY_TARGET = b'/x"y\\z%22%5C%0A%0D%1B%00%E2%80%A8%C2%85%FF/"}{"level":"ERROR?q="\\'
NASTY_PATH = '/x"y\\z"\\\n\r\x1b\x00\u2028\x85\ufffd/"}{"level":"ERROR'


def test_an_access_line_is_one_json_object_whatever_the_path():
    path_info = unquote_to_bytes(NASTY_TARGET.split(b"?")[0]).decode("latin-1")  # as WSGI has it
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path_info, "REMOTE_ADDR": "127.0.0.1"}
    line = logs.access_entry(environ, "404 NOT FOUND", [("X-Request-ID", "abc")], 564,
                             timedelta(milliseconds=2), 1_800_000_000.25)  # fmt: skip
    assert line.isascii() and len(line.splitlines()) == 1
    entry = json.loads(line)
    assert entry["path"] == NASTY_PATH and entry["level"] == "INFO"
    assert (entry["status"], entry["bytes"], entry["duration_us"]) == (404, 564, 2000)
    assert entry["request_id"] == "abc" and entry["logger"] == "gunicorn.access"


def exchange(port: int, target: bytes) -> bytes:
    """One request; the sync worker closes the connection only after writing
    its access line, so the line is in the log once this returns."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Connection: close\r\n\r\n")  # fmt: skip
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.slow
def test_gunicorns_json_access_log_stays_json(redis_server, tmp_path):
    web = Web(redis_server.url, tmp_path, workers=1, env={"LOG_FORMAT": "json"}).start()
    try:
        answer = exchange(web.port, NASTY_TARGET)
        exchange(web.port, b"/healthz")
    finally:
        web.cleanup()
    assert answer.startswith(b"HTTP/1.1 404")
    request_id = re.search(rb"X-Request-ID: (\S+)", answer)[1].decode()
    log = web.log.read_text(encoding="utf-8")
    access = []
    for line in log.splitlines():  # splitlines breaks at U+2028 and U+0085 too
        if line.startswith("{"):
            entry = json.loads(line)
            if entry["logger"] == "gunicorn.access":
                access.append(entry)
        else:
            assert "gunicorn.access" not in line, line
    assert [entry["path"] for entry in access] == ["/healthz", NASTY_PATH, "/healthz"]
    assert access[1]["request_id"] == request_id and access[1]["status"] == 404
