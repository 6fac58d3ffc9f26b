"""A newcomer's first minutes without a browser: ``moderation serve`` with
its embedded Redis, the sign-in page saying how to make the first account (in
both languages), ``moderation moderator add`` with no ``REDIS_URL`` finding
that Redis, then a sign-in over HTTP. (tests/browser/test_first_owner.py does
the same in Chromium.)"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from html import unescape

import pytest

from tests.moderation.test_serve import Serve, accepts_connections

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"


def add_owner(instance, cwd) -> subprocess.CompletedProcess:
    """``moderation moderator add`` as an operator types it: no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["INSTANCE_PATH"] = str(instance)
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "moderation.cli", "moderator", "add", "me@example.org",
         "--owner", "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, env=env, cwd=cwd, timeout=60,
        check=False,
    )  # fmt: skip


def browser_like():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                       urllib.request.HTTPCookieProcessor(jar))  # fmt: skip


def page(opener, url, lang="fr", data=None):
    request = urllib.request.Request(url, data=data, headers={"Accept-Language": lang})
    with opener.open(request, timeout=10) as response:
        return response.geturl(), response.read().decode()


def test_the_first_owner_made_beside_serve_signs_in(tmp_path):
    instance = tmp_path / "instance"
    serve = Serve(instance, tmp_path, "serve")
    try:
        serve.wait_ready()
        record = json.loads((instance / "redis.json").read_text())
        assert record["pid"] == serve.process.pid
        assert record["port"] == serve.redis_port()

        login = serve.base + "/moderation/login"
        _, french = page(browser_like(), login, "fr")
        assert "Aucun compte n’existe encore" in french
        assert "Depuis une copie du projet" in french
        _, english = page(browser_like(), login, "en")
        assert "No account exists yet" in english
        assert "make moderator EMAIL=you@example.org" in english

        added = add_owner(instance, tmp_path)
        assert added.returncode == 0, added.stderr
        assert "owner me@example.org added" in added.stdout
        assert "started for this command" not in added.stderr  # serve's Redis was used

        opener = browser_like()
        _, form = page(opener, login)
        assert "Aucun compte" not in form
        token = unescape(re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', form)[1])
        fields = {"csrf_token": token, "email": "me@example.org", "password": PASSWORD}
        landed, queue = page(opener, login, data=urllib.parse.urlencode(fields).encode())
        assert landed == serve.base + "/moderation/"
        assert "File de modération" in queue

        redis_port = serve.redis_port()
        assert serve.terminate() == 0, serve.output
        assert not (instance / "redis.json").exists(), "the record outlived serve"
        assert not accepts_connections(redis_port)
    finally:
        serve.cleanup()
