"""Debian's nginx in front of the service (gunicorn), with the sample
configuration the README shows (``deploy/nginx.conf``, only its ports and
folder filled in): gzip on, and revalidation still answered 304.

nginx makes the ETag of a response it compresses weak (``W/"…"``), and its
clients send that back; the app must compare ``If-None-Match`` weakly or
never answer 304 through such a proxy (what was seen before)."""

import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import string
import subprocess
from pathlib import Path

import pytest

from bench.processes import Web, until
from moderation.redis_server import free_port
from moderation.validation import CommentInput
from tests.conftest import THREAD

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx.conf"
LIST = f"/api/v1/threads/{THREAD}/comments"
FEED = f"/articles/{THREAD}/comments.atom"


def nginx_binary() -> str:
    found = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    assert found, "install Debian's nginx (make nginx; make test does)"
    return found


def render(listen: int, app: int, run: Path) -> str:
    """The sample with its placeholders filled, as envsubst would."""
    text = string.Template(CONFIG.read_text()).safe_substitute(
        LISTEN=f"127.0.0.1:{listen}", APP=f"127.0.0.1:{app}", RUN=str(run))
    assert "${" not in text
    return text


class Nginx:
    """nginx in the foreground, everything it writes under ``run``."""

    def __init__(self, app_port: int, run: Path) -> None:
        self.port = free_port()
        self.run = run
        run.mkdir(parents=True, exist_ok=True)
        conf = run / "nginx.conf"
        conf.write_text(render(self.port, app_port, run))
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx, our config
            [nginx_binary(), "-p", str(run), "-c", str(conf), "-e", str(run / "error.log"),
             "-g", "daemon off; master_process off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        until(self._listening, "nginx to listen", 30)

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError((self.run / "error.log").read_text(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def get(self, path: str, headers: dict[str, str], method: str = "GET"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def proxied(redis_server, redis_client, tmp_path):
    web = Web(redis_server.url, tmp_path, workers=1, env={"PROXY_COUNT": "1"}).start()
    try:
        nginx = Nginx(web.port, tmp_path / "nginx")
        try:
            yield nginx
        finally:
            nginx.stop()
    finally:
        web.cleanup()


def publish(make_app, body: str) -> None:
    store = make_app().extensions["moderation"].comments
    comment = store.save(THREAD, CommentInput("Léa", "lea@example.org", body, ""))
    store.set_status(comment.id, "approved")


GZIP = {"Accept-Encoding": "gzip"}


@pytest.mark.slow
def test_a_gzipped_list_revalidates_through_nginx(proxied, make_app):
    publish(make_app, "Premier commentaire, assez long pour que nginx le compresse. " * 3)

    def dated():  # Last-Modified is given once the second of the change is over
        return "Last-Modified" in proxied.get(LIST, GZIP)[0].headers

    until(dated, "a Last-Modified on the list", 10, every=0.05)
    response, raw = proxied.get(LIST, GZIP)
    assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
    tag = response.headers["ETag"]
    assert tag.startswith('W/"'), "weak: the same, compressed by nginx or not"
    assert response.headers["Cache-Control"] == "public, max-age=10, stale-while-revalidate=60"
    assert "Accept-Encoding" in ", ".join(response.headers.get_all("Vary"))
    assert len(json.loads(gzip.decompress(raw))["comments"]) == 1

    again, body = proxied.get(LIST, {**GZIP, "If-None-Match": tag})
    assert again.status == 304 and body == b""
    assert again.headers["ETag"] == tag
    stamp = response.headers["Last-Modified"]
    by_date, body = proxied.get(LIST, {**GZIP, "If-Modified-Since": stamp})
    assert by_date.status == 304 and body == b""
    head, body = proxied.get(LIST, GZIP, method="HEAD")
    assert head.status == 200 and body == b"" and head.headers["ETag"] == tag

    publish(make_app, "Un second.")
    changed, raw = proxied.get(LIST, {**GZIP, "If-None-Match": tag})
    assert changed.status == 200 and changed.headers["ETag"] != tag
    assert len(json.loads(gzip.decompress(raw))["comments"]) == 2


@pytest.mark.slow
def test_a_gzipped_feed_revalidates_through_nginx(proxied, make_app):
    publish(make_app, "Dans le flux. " * 20)
    response, raw = proxied.get(FEED, GZIP)
    assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
    assert b"<feed" in gzip.decompress(raw)
    again, body = proxied.get(FEED, {**GZIP, "If-None-Match": response.headers["ETag"]})
    assert again.status == 304 and body == b""


def test_the_readme_shows_the_tested_configuration():
    readme = (ROOT / "README.md").read_text()
    assert CONFIG.read_text().strip() in readme
