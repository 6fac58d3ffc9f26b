"""What only a real socket can send: lengths that lie, bodies cut short, huge
or broken header lines. gunicorn (as in production) in front of the app."""

import json
import socket

import pytest

from bench.http_reader import solve
from bench.processes import Web
from tests.conftest import THREAD

pytestmark = pytest.mark.slow

COMMENTS = f"/api/v1/threads/{THREAD}/comments"


@pytest.fixture(scope="module")
def web(redis_server, tmp_path_factory):
    server = Web(redis_server.url, tmp_path_factory.mktemp("web"), workers=1).start()
    yield server
    server.cleanup()


def exchange(web, head: bytes, body: bytes = b"", *, close_write: bool = False) -> bytes:
    """Send raw bytes; return everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", web.port), timeout=10) as sock:
        sock.sendall(head + body)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_and_json(raw: bytes) -> tuple[int, dict | None]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def post_head(length: int, extra: bytes = b"") -> bytes:
    return (
        f"POST {COMMENTS} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n".encode()
        + extra + b"Connection: close\r\n\r\n"
    )  # fmt: skip


def valid_body(web) -> bytes:
    status, issued = web.reader().request("GET", f"/api/v1/challenge?thread={THREAD}")
    assert status == 200
    return json.dumps({
        "author": "Camille", "email": "camille@example.org", "body": "Bien vu.",
        "captcha": {"token": issued["token"], "answer": solve(issued["question"])},
    }).encode()  # fmt: skip


def stored(redis_client) -> list[str]:
    return list(redis_client.scan_iter("comment:*"))


def test_a_body_cut_short_is_400_and_writes_nothing(web, redis_client):
    body = valid_body(web)
    status, payload = status_and_json(
        exchange(web, post_head(len(body) + 100), body, close_write=True)
    )
    assert status == 400 and payload["error"]["code"] == "incomplete_body"
    assert stored(redis_client) == []


def test_a_shorter_declared_length_reads_only_that_much(web, redis_client):
    body = valid_body(web)
    status, payload = status_and_json(exchange(web, post_head(len(body) - 5), body))
    assert status == 400 and payload["error"]["code"] == "invalid_json"
    assert stored(redis_client) == []


def test_a_huge_declared_length_is_413_without_waiting_for_the_body(web, redis_client):
    status, payload = status_and_json(exchange(web, post_head(10**9), b"{}"))
    assert status == 413 and payload["error"]["code"] == "too_large"
    assert stored(redis_client) == []


def test_a_chunked_body_is_read_like_any_other(web, redis_client):
    body = valid_body(web)
    head = (
        f"POST {COMMENTS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    status, payload = status_and_json(exchange(web, head, chunked))
    assert status == 202 and payload["status"] == "pending"
    assert len(stored(redis_client)) == 1


@pytest.mark.parametrize(
    "extra",
    [
        b"X-Padding: " + b"a" * 9000 + b"\r\n",  # one header line over gunicorn's 8190
        b"X-Bad: a\x00b\r\n",
        b"Content-Length: 3\r\n",  # a second, different length
        b"Bad Header Name: x\r\n",
    ],
)
def test_broken_header_lines_are_refused_before_the_app(web, redis_client, extra):
    body = valid_body(web)
    status, _ = status_and_json(exchange(web, post_head(len(body), extra), body))
    assert 400 <= status < 500
    assert stored(redis_client) == []
