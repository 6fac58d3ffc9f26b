import functools
import time

import pytest
from werkzeug import security

from moderation import accounts, create_app
from moderation.redis_server import RedisClusterServers, RedisServer
from moderation.services import connect
from tests import smtp_inbox

THREAD = "ministre-nord-coreen-moscou"


class Clock:
    """A clock tests move by hand; starts at the real time so ids look real."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@functools.cache
def _password_hash(password: str, method: str = "scrypt") -> str:
    return security.generate_password_hash(password, method=method)


@functools.cache
def _password_matches(stored: str, password: str) -> bool:
    return security.check_password_hash(stored, password)


@pytest.fixture(autouse=True)
def scrypt_once(monkeypatch):
    """Each password is hashed once per run, and each (hash, password) checked
    once: real scrypt hashes and answers, without paying 0.1 s of scrypt at
    every sign-in of every test (a third of the suite's time). A test that
    times scrypt itself calls ``monkeypatch.undo()``."""
    monkeypatch.setattr(accounts, "generate_password_hash", _password_hash)
    monkeypatch.setattr(accounts, "check_password_hash", _password_matches)


def pytest_addoption(parser):
    parser.addoption(
        "--redis-cluster", action="store_true",
        help="run against a three-master Redis Cluster instead of one redis-server",
    )  # fmt: skip
    parser.addoption(
        "--image", action="store_true",
        help="run the container image tests (make image-test builds the image first)",
    )  # fmt: skip


def pytest_collection_modifyitems(config, items):
    """Image tests need a built image and podman: only ``make image-test`` runs them."""
    if config.getoption("--image"):
        return
    skip = pytest.mark.skip(reason="needs the built image: make image-test")
    for item in items:
        if "image" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def redis_server(request, tmp_path_factory):
    """One real redis-server (or, with --redis-cluster, a real three-master
    cluster) for the whole run, on free ports."""
    folder = tmp_path_factory.mktemp("redis")
    if request.config.getoption("--redis-cluster"):
        server = RedisClusterServers(folder).start()
    else:
        server = RedisServer(folder, persistent=False).start()
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server):
    client = connect(redis_server.url, 5.0)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_app(redis_server, redis_client, clock, tmp_path):
    made = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "CLOCK": clock,
            # The test clock stands still, so every answer would come "too fast":
            # the fill-time trap is configured and tested in test_bot_traps.py.
            "MIN_FILL_SECONDS": 0,
            # Tests post many comments from one address; test_limits.py turns them on.
            "RATELIMIT_ENABLED": False,
        }
        config.update(overrides)
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:  # close the pools now, not whenever they are collected
        app.extensions["moderation"].redis.close()


@pytest.fixture
def own_redis(tmp_path):
    """A server of this test's own, so stopping it touches no other test."""
    server = RedisServer(tmp_path / "redis", persistent=False).start()
    yield server
    server.stop()


@pytest.fixture
def outage_app(own_redis, tmp_path, clock):
    """An app on ``own_redis`` that gives up on Redis quickly: stop the server
    to see what readers get during an outage."""
    app = create_app({
        "TESTING": True, "REDIS_URL": own_redis.url, "SECRET_KEY": "s",
        "INSTANCE_PATH": str(tmp_path / "instance"), "CLOCK": clock,
        "REDIS_SOCKET_TIMEOUT": 0.5,
    })  # fmt: skip
    yield app
    app.extensions["moderation"].redis.close()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def services(app):
    return app.extensions["moderation"]


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free port: (controller, inbox)."""
    controller, inbox = smtp_inbox.start()
    yield controller, inbox
    controller.stop()
