"""Commands find the embedded Redis of their instance folder: the one a
running ``moderation serve`` recorded, or one they start for their own run."""

import json
import re
import subprocess
import sys

import pytest
import redis
from click.testing import CliRunner

from moderation import embedded_redis
from moderation.cli import main
from moderation.redis_server import RedisServer, free_port
from tests.moderation.test_serve import accepts_connections

PASSWORD = "correct horse battery"
STARTED = re.compile(r"Embedded Redis redis://127\.0\.0\.1:(\d+)/0 started for this command")


@pytest.fixture
def instance(tmp_path):
    return tmp_path / "instance"


@pytest.fixture
def run(instance):
    def invoke(*args, stdin=None):
        env = {"INSTANCE_PATH": str(instance), "REDIS_URL": ""}
        return CliRunner().invoke(main, list(args), input=stdin, env=env)

    return invoke


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


def test_with_no_server_a_command_starts_the_embedded_redis_for_its_run(run, instance):
    added = run("moderator", "add", "me@example.org", "--owner", "--password-stdin",
                stdin=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "owner me@example.org added" in added.output
    port = int(STARTED.search(added.output)[1])
    assert not accepts_connections(port), "the command's Redis outlived it"
    assert not (instance / "redis.json").exists()
    assert list((instance / "redis").glob("appendonly*"))

    listed = run("moderator", "list")  # a second run reads what the first wrote
    assert listed.exit_code == 0, listed.output
    assert "me@example.org" in listed.output


def test_commands_use_the_redis_a_running_server_recorded(run, instance):
    server = embedded_redis.start(instance, "serve")  # as `moderation serve` does
    try:
        record = json.loads((instance / "redis.json").read_text())
        assert record["port"] == server.port and record["role"] == "serve"
        added = run("moderator", "add", "me@example.org", "--owner", "--password-stdin",
                    stdin=PASSWORD + "\n")  # fmt: skip
        assert added.exit_code == 0, added.output
        assert not STARTED.search(added.output)
        client = redis.Redis(port=server.port, decode_responses=True)
        assert client.sismember("acct:{accounts}:users", "me@example.org")
        client.close()
        with pytest.raises(embedded_redis.EmbeddedRedisBusy, match="already runs"):
            embedded_redis.start(instance, "serve")  # a second serve on the same files
    finally:
        assert embedded_redis.stop(instance, server)
    assert not (instance / "redis.json").exists()
    assert not accepts_connections(server.port)


def test_a_record_whose_owner_died_and_nothing_answers_is_stale(run, instance):
    instance.mkdir()
    silent = free_port()
    (instance / "redis.json").write_text(json.dumps(
        {"pid": dead_pid(), "redis_pid": dead_pid(), "port": silent, "role": "serve"}))
    listed = run("site", "list")
    assert listed.exit_code == 0, listed.output
    assert int(STARTED.search(listed.output)[1]) != silent
    assert not (instance / "redis.json").exists()


def test_a_record_pointing_at_another_redis_is_stale(run, instance, own_redis):
    instance.mkdir()
    (instance / "redis.json").write_text(json.dumps(
        {"pid": dead_pid(), "redis_pid": 1, "port": own_redis.port, "role": "serve"}))
    listed = run("site", "list")
    assert listed.exit_code == 0, listed.output
    assert STARTED.search(listed.output)
    assert accepts_connections(own_redis.port), "someone else's Redis was stopped"


def test_a_redis_orphaned_by_a_dead_owner_is_shut_down_not_doubled(instance):
    orphan = RedisServer(instance / "redis", persistent=True).start()
    (instance / "redis.json").write_text(json.dumps(
        {"pid": dead_pid(), "redis_pid": orphan.process.pid, "port": orphan.port,
         "role": "serve"}))  # fmt: skip
    try:
        assert embedded_redis.running(instance) is None
        assert orphan.process.wait(timeout=10) == 0  # SHUTDOWN: append-only file flushed
        assert not (instance / "redis.json").exists()
    finally:
        orphan.stop()


def test_redis_url_still_wins(instance, redis_server, redis_client):
    result = CliRunner().invoke(
        main, ["site", "add", "news", "--origin", "https://news.example"],
        env={"INSTANCE_PATH": str(instance), "REDIS_URL": redis_server.url},
    )
    assert result.exit_code == 0, result.output
    assert not STARTED.search(result.output)
    assert not (instance / "redis").exists()
