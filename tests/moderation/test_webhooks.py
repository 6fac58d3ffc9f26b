"""Webhooks delivered over real HTTP to a receiver on a local port."""

import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.webhooks import P, Webhooks, sign
from tests.conftest import THREAD

DATA = CommentInput("Léa", "lea@example.org", "Bonjour.", "")


class Receiver:
    """Records what it is sent; answers with the statuses it is told to."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        # A short poll: shutdown() waits up to one interval (0.5 s by default).
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()  # fmt: skip

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def verify(secret: str, delivery: dict) -> dict:
    headers, body = delivery["headers"], delivery["body"]
    stamp = int(headers["X-Comments-Timestamp"])
    expected = sign(secret, stamp, body)
    assert hmac.compare_digest(headers["X-Comments-Signature"], expected)
    assert sign("another secret", stamp, body) != expected
    return json.loads(body)


def test_new_comments_and_decisions_are_delivered_signed(redis_client, clock, receiver):
    hooks = Webhooks(redis_client, clock)
    hook = hooks.add(receiver.url, ["comment.created", "comment.decided"])
    store = CommentStore(redis_client, clock=clock)
    comment = store.save(THREAD, DATA)
    store.set_status(comment.id, "review")
    store.decide(comment.id, "approved", "mod@example.org")
    assert hooks.deliver_due() == 2
    created, decided = (verify(hook.secret, item) for item in receiver.received)
    assert created["event"] == "comment.created" and created["data"]["id"] == comment.id
    assert "email" not in created["data"]  # never sent out
    assert decided["data"] == {"site": "default", "id": comment.id, "thread": THREAD,
                               "status": "approved", "previous": "review",
                               "moderator": "mod@example.org", "via": "page"}  # fmt: skip
    headers = receiver.received[0]["headers"]
    assert headers["X-Comments-Event"] == "comment.created" and headers["X-Comments-Delivery"]


def test_only_subscribed_events_are_queued(redis_client, clock, receiver):
    Webhooks(redis_client, clock).add(receiver.url, ["comment.decided"])
    CommentStore(redis_client, clock=clock).save(THREAD, DATA)
    assert redis_client.xlen(P + "queue") == 0


def test_failed_deliveries_are_retried_with_growing_waits(redis_client, clock, receiver):
    hooks = Webhooks(redis_client, clock)
    hook = hooks.add(receiver.url, ["comment.created"])
    CommentStore(redis_client, clock=clock).save(THREAD, DATA)
    receiver.statuses = [500, 503]
    hooks.deliver_due()
    assert len(receiver.received) == 1
    hooks.deliver_due()
    assert len(receiver.received) == 1  # not due yet
    clock.advance(10)
    hooks.deliver_due()
    assert len(receiver.received) == 2
    clock.advance(10)
    hooks.deliver_due()
    assert len(receiver.received) == 2  # the second wait is 20 s
    clock.advance(10)
    hooks.deliver_due()
    assert len(receiver.received) == 3
    ids = {item["headers"]["X-Comments-Delivery"] for item in receiver.received}
    assert len(ids) == 1  # one delivery, three attempts
    verify(hook.secret, receiver.received[-1])
    assert redis_client.zcard(P + "retry") == 0


@pytest.mark.slow
def test_a_running_worker_delivers_webhooks(redis_server, redis_client, receiver):
    Webhooks(redis_client).add(receiver.url, ["comment.created"])
    env = {**os.environ, "REDIS_URL": redis_server.url}
    worker = subprocess.Popen([sys.executable, "-m", "moderation.cli", "worker", "--name", "h"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        CommentStore(redis_client).save(THREAD, DATA)
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.received
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)


def test_the_webhook_commands(redis_server, redis_client, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    runner = CliRunner()
    added = runner.invoke(main, ["webhook", "add", "https://hooks.example/in",
                                 "--event", "comment.created", "--event", "comment.decided"])
    assert added.exit_code == 0, added.output
    hook_id = added.output.split()[0]
    assert "secret: " in added.output
    assert hook_id in runner.invoke(main, ["webhook", "list"]).output
    bad = runner.invoke(main, ["webhook", "add", "ftp://x", "--event", "comment.created"])
    assert bad.exit_code == 2
    assert runner.invoke(main, ["webhook", "remove", hook_id]).exit_code == 0
    assert runner.invoke(main, ["webhook", "list"]).output == ""


def test_a_delivery_whose_sender_died_is_sent_again_after_its_lease(
    redis_client, clock, receiver
):
    from moderation.webhooks import LEASE

    hooks = Webhooks(redis_client, clock)
    hooks.add(receiver.url, ["comment.created"])
    CommentStore(redis_client, clock=clock).save(THREAD, DATA)
    # A worker claims the delivery and dies before sending it.
    claimed = hooks._claim(keys=[P + "queue", P + "retry"], args=[repr(clock()), LEASE])
    assert claimed and redis_client.xlen(P + "queue") == 0
    assert hooks.deliver_due() == 0 and receiver.received == []  # still leased
    clock.advance(LEASE + 1)
    assert hooks.deliver_due() == 1
    assert len(receiver.received) == 1
    assert redis_client.zcard(P + "retry") == 0
