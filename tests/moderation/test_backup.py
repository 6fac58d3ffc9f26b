"""Backups that restore: a populated service (accounts, sites, webhooks,
models, audit logs, comments in every state, a question with its expiry, the
review queue with an entry nobody read and one a dead worker held) goes
through ``moderation backup``, then ``moderation restore`` into an empty
Redis, single or three-master Cluster; every key reads back the same, and
the worker classifies each pending comment exactly once afterwards."""

import gzip
import json
import threading
import time

import pytest
from click.testing import CliRunner

from moderation import migrations
from moderation.backup import BackupError, backup, restore
from moderation.backup.archive import Writer, records
from moderation.backup.nodes import Nodes
from moderation.backup.reading import read_key
from moderation.cli import main
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.queue import ReviewQueue
from moderation.redis_server import RedisClusterServers, RedisServer
from moderation.services import connect
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker
from tests.conftest import THREAD

pytestmark = pytest.mark.cluster

PASSWORD = "correct horse battery"


def comment(body: str) -> CommentInput:
    return CommentInput(author="Lecteur", email="l@example.org", url="", body=body)


@pytest.fixture
def target(request, tmp_path):
    """A second, empty Redis of the same kind as the run's (single or Cluster)."""
    if request.config.getoption("--redis-cluster"):
        server = RedisClusterServers(tmp_path / "target").start()
    else:
        server = RedisServer(tmp_path / "target", persistent=False).start()
    yield server
    server.stop()


def contents(url: str) -> dict:
    """Every key's backup line, pending entries without their idle time (a clock)."""
    found = {}
    with Nodes(url) as nodes:
        for node in nodes.primaries:
            for key in node.scan_iter():
                record = read_key(node, key)
                if record["type"] == "stream":
                    for group in record["value"]["groups"]:
                        group["pending"] = [[i, c, n] for i, c, _idle, n in group["pending"]]
                found[json.dumps(record["key"])] = record
    return found


def key_count(url: str) -> int:
    """Keys on every primary (a Cluster client's DBSIZE asks one node)."""
    with Nodes(url) as nodes:
        return sum(node.dbsize() for node in nodes.primaries)


@pytest.fixture
def populated(make_app, redis_client, clock):
    """A service with a bit of everything it keeps; returns the queued comment ids."""
    app = make_app()
    services = app.extensions["moderation"]
    services.sites.add("news", ["https://news.example"])
    services.accounts.add("owner@example.org", PASSWORD)
    services.accounts.add("mod@example.org", PASSWORD, role="moderator", sites=["news"])
    from moderation.webhooks import Webhooks

    Webhooks(redis_client).add("https://hooks.example/in", ["comment.created"])
    ModelRegistry(redis_client, clock=clock).ensure_default()
    services.audit.event("owner@example.org", "approved", comment="x")
    client = app.test_client()
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 200  # has a TTL

    store = services.comments
    decided = store.save(THREAD, comment("Déjà décidé, avec des accents : é, ç, œ."))
    store.set_status(decided.id, "approved")  # a moderator was faster than the worker
    held = store.save(THREAD, comment("Lu par un worker mort, jamais acquitté."))
    queue = ReviewQueue(redis_client)
    queue.ensure_group()
    assert [entry.comment_id for entry in queue.read("dead-worker", count=2)] == [
        decided.id, held.id]  # fmt: skip
    unread = store.save(THREAD, comment("Encore dans la file, lu par personne."))
    CommentStore(redis_client, site="news").save("une-histoire", comment("Sur l’autre site."))
    # What the service does not write, but a backup must hold all the same.
    redis_client.set("test:{raw}:bytes", b"\xff\x00not utf-8")
    redis_client.zadd("test:{raw}:scores", {"inf": float("inf"), "tenth": 0.1})
    redis_client.xgroup_create("test:{raw}:empty-stream", "g", id="$", mkstream=True)
    return {"held": held.id, "unread": unread.id, "decided": decided.id}


def test_a_populated_service_round_trips_and_the_queue_resumes(
    populated, redis_server, redis_client, target, tmp_path
):
    path = tmp_path / "service.jsonl.gz"
    runner = CliRunner()
    written = runner.invoke(main, ["backup", str(path)], env={"REDIS_URL": redis_server.url})
    assert written.exit_code == 0, written.output
    before = contents(redis_server.url)
    assert {record["type"] for record in before.values()} == {
        "string", "hash", "list", "set", "zset", "stream"}  # fmt: skip
    assert f"{len(before)} keys written" in written.output
    with gzip.open(path, "rt") as file:
        head = json.loads(file.readline())
    assert head["format"] == "moderation-backup" and head["version"] == 1
    assert head["data_format"] == migrations.CURRENT  # stamped when the app started

    restored = runner.invoke(main, ["restore", str(path)], env={"REDIS_URL": target.url})
    assert restored.exit_code == 0, restored.output + repr(restored.exception)
    assert contents(target.url) == before
    source, copy = connect(redis_server.url, 5.0), connect(target.url, 5.0)
    try:  # and read through the service's own client, not only the backup's reader
        assert copy.zscore("test:{raw}:scores", "tenth") == 0.1
        assert copy.zscore("test:{raw}:scores", "inf") == float("inf")
        held = CommentStore(copy).keys.comment(populated["held"])
        assert copy.hgetall(held) == source.hgetall(held)
        assert copy.pexpiretime(held) == -1
        assert copy.xinfo_groups("test:{raw}:empty-stream")[0]["name"] == "g"
    finally:
        source.close()
        copy.close()

    # The comment a dead worker held and the one nobody read: each classified once.
    copy = connect(target.url, 5.0)
    try:
        registry = ModelRegistry(copy)
        worker = Worker(copy, models=ModelCache(registry), policy=Policy(), name="after",
                        reclaim_after=0)  # fmt: skip
        worker.run(burst=True)
        store = CommentStore(copy)
        for name in ("held", "unread"):
            assert copy.hget(store.keys.comment(populated[name]), "classifications") == "1", name
        assert store.get(populated["decided"]).status == "approved"
        assert copy.hget(store.keys.comment(populated["decided"]), "classifications") is None
        assert ReviewQueue(copy).pending() == 0
        assert (worker.stats.classified, worker.stats.skipped) == (2, 1)
    finally:
        copy.close()


def test_restore_refuses_a_redis_that_holds_keys_unless_forced(
    populated, redis_server, target, tmp_path
):
    path = tmp_path / "service.jsonl.gz"
    runner = CliRunner()
    assert runner.invoke(main, ["backup", str(path)],
                         env={"REDIS_URL": redis_server.url}).exit_code == 0  # fmt: skip
    client = connect(target.url, 5.0)
    try:
        client.set("acct:{accounts}:users", "in the way")
        client.set("test:{other}:kept", "1")
        refused = CliRunner().invoke(main, ["restore", str(path)], env={"REDIS_URL": target.url})
        assert refused.exit_code == 1
        assert "holds 2 keys" in refused.output
        assert key_count(target.url) == 2
        forced = CliRunner().invoke(main, ["restore", str(path), "--force"],
                                    env={"REDIS_URL": target.url})  # fmt: skip
        assert forced.exit_code == 0, forced.output
        assert client.type("acct:{accounts}:users") == "set"
        assert client.get("test:{other}:kept") == "1"
    finally:
        client.close()
    restored = contents(target.url)
    restored.pop(json.dumps("test:{other}:kept"))
    assert restored == contents(redis_server.url)


def test_a_damaged_backup_writes_nothing(populated, redis_server, target, tmp_path):
    path = tmp_path / "service.jsonl.gz"
    assert CliRunner().invoke(main, ["backup", str(path)],
                              env={"REDIS_URL": redis_server.url}).exit_code == 0  # fmt: skip
    with gzip.open(path, "rt") as file:
        lines = file.readlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt") as file:
        file.writelines(lines[:-2])  # the last key and the end line lost
    with pytest.raises(BackupError, match="truncated"):
        restore(target.url, cut)
    newer = tmp_path / "newer.jsonl.gz"
    with gzip.open(newer, "wt") as file:
        file.write(json.dumps({"format": "moderation-backup", "version": 2}) + "\n")
    with pytest.raises(BackupError, match="version 2"):
        restore(target.url, newer)
    other = tmp_path / "other.jsonl.gz"
    with gzip.open(other, "wt") as file:
        file.write('{"hello": "world"}\n')
    with pytest.raises(BackupError, match="not a moderation-backup file"):
        restore(target.url, other)
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(BackupError, match="image.png"):
        restore(target.url, binary)
    assert key_count(target.url) == 0


def test_keys_whose_expiry_passed_since_the_snapshot_stay_gone(target, tmp_path):
    path = tmp_path / "hand-made.jsonl.gz"
    with Writer(path, {"created_at": 0}) as writer:
        writer.add({"key": "test:{t}:gone", "type": "string", "expire_at_ms": 1000, "value": "x"})
        writer.add({"key": "test:{t}:kept", "type": "string", "expire_at_ms": 32503680000000,
                    "value": "y"})  # fmt: skip
    done = restore(target.url, path)
    assert (done.keys, done.expired) == (1, 1)
    client = connect(target.url, 5.0)
    try:
        assert client.get("test:{t}:kept") == "y"
        assert client.pexpiretime("test:{t}:kept") == 32503680000000
        assert not client.exists("test:{t}:gone")
    finally:
        client.close()


def test_the_snapshot_is_one_moment_while_writes_go_on(redis_server, redis_client, tmp_path):
    """A writer sets k00, k01, ... k39 to its round number, one command each,
    round after round: at any one moment the values fall along the keys by at
    most one. A backup read key by key without pausing writes would see later
    rounds in keys it reads later."""
    names = [f"test:{{k{index:02d}}}" for index in range(40)]  # spread over every node
    for name in names:
        redis_client.set(name, 0)
    stop = threading.Event()
    rounds = []

    def write() -> None:
        writer = connect(redis_server.url, 30.0)
        number = 0
        while not stop.is_set():
            number += 1
            for name in names:
                writer.set(name, number)
            rounds.append(number)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(rounds) < 3:  # the writer is well under way
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.001)
        path = tmp_path / "moving.jsonl.gz"
        backup(redis_server.url, path, pause_seconds=10)
        written = len(rounds)
    finally:
        stop.set()
        thread.join(timeout=30)
    values = {record["key"]: int(record["value"]) for record in records(path)}
    seen = [values[name] for name in names]
    assert seen == sorted(seen, reverse=True), seen
    assert seen[0] - seen[-1] <= 1, seen
    assert len(rounds) > written, "writes did not resume after the snapshot"
