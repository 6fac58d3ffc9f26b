import json
import os
import signal
import subprocess
import sys
import time

import pytest

from bench.processes import is_stopped
from classifiers import persistence
from classifiers.model import SpamClassifier
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.queue import ReviewQueue
from moderation.redis_server import RedisServer, free_port
from moderation.services import connect
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

pytestmark = pytest.mark.cluster

SPAM = CommentInput(
    author="casino777",
    email="win@bonus-casino.top",
    url="https://bonus-casino.top",
    body="Casino en ligne : 200 tours gratuits !!! https://bonus-casino.top",
)
HAM = CommentInput(
    author="Claire",
    email="claire@example.org",
    url="",
    body="La ministre était déjà venue il y a six semaines, l’article le rappelle.",
)


@pytest.fixture
def store(redis_client, clock):
    return CommentStore(redis_client, clock=clock)


@pytest.fixture
def registry(redis_client, clock):
    registry = ModelRegistry(redis_client, clock=clock)
    registry.ensure_default()
    return registry


def make_worker(redis_client, registry, **overrides):
    options = {"name": "w1", "reclaim_after": 60.0, "max_deliveries": 5}
    options.update(overrides)
    return Worker(redis_client, models=ModelCache(registry), policy=Policy(), **options)


def test_a_burst_run_classifies_every_queued_comment(redis_client, store, registry):
    spam = [store.save("t", SPAM).id for _ in range(3)]
    ham = [store.save("t", HAM).id for _ in range(4)]
    stats = make_worker(redis_client, registry, batch_size=2).run(burst=True)
    assert stats.classified == 7
    for comment_id in spam:
        comment = store.get(comment_id)
        assert comment.status == "spam"
        assert float(comment.score) >= 0.9
        assert comment.model_version == registry.active_version()
    for comment_id in ham:
        comment = store.get(comment_id)
        assert comment.status == "review"  # pre-moderation: likely good, still reviewed
        assert json.loads(comment.rules) == ["likely_good"]
    assert store.count("pending") == 0 and store.count("spam") == 3 and store.count("review") == 4
    queue = ReviewQueue(redis_client)
    assert queue.pending() == 0
    assert queue.length() == 0  # acknowledged entries are trimmed


def test_auto_approve_publishes_likely_good_comments(redis_client, store, registry):
    comment_id = store.save("t", HAM).id
    worker = Worker(redis_client, models=ModelCache(registry), name="w",
                    policy=Policy(auto_approve=True))  # fmt: skip
    worker.run(burst=True)
    assert store.get(comment_id).status == "approved"
    assert [c.id for c in store.approved("t")[0]] == [comment_id]


def test_an_entry_delivered_twice_is_classified_once(redis_client, store, registry):
    comment_id = store.save("t", HAM).id
    worker = make_worker(redis_client, registry)
    worker.queue.ensure_group()
    entries = worker.queue.read("w1")
    worker.process(entries)
    redis_client.xadd(worker.queue.keys.queue, {"comment": comment_id})  # a duplicate entry
    worker.run(burst=True)
    assert redis_client.hget(store.keys.comment(comment_id), "classifications") == "1"
    assert worker.stats.classified == 1 and worker.stats.skipped == 1


def test_a_moderated_comment_is_not_reclassified(redis_client, store, registry):
    comment_id = store.save("t", SPAM).id
    store.set_status(comment_id, "approved")  # a moderator was faster than the worker
    make_worker(redis_client, registry).run(burst=True)
    assert store.get(comment_id).status == "approved"


def test_a_poison_entry_is_dead_lettered_and_its_comment_reviewed(redis_client, store, registry):
    good = store.save("t", HAM).id
    poison = "0" * 25 + "P"
    key = store.keys.comment(poison)
    redis_client.hset(key, mapping={"id": poison, "status": "pending", "created_at": "1"})
    redis_client.xadd(store.keys.queue, {"comment": poison})
    redis_client.xadd(store.keys.queue, {"comment": "0" * 25 + "Z"})  # no such comment
    stats = make_worker(redis_client, registry, reclaim_after=0, max_deliveries=3).run(burst=True)
    dead = redis_client.xrange(store.keys.dead_letters)
    reasons = {fields["comment"]: fields["reason"] for _id, fields in dead}
    assert reasons == {poison: "failed 3 deliveries", "0" * 25 + "Z": "comment not found"}
    assert redis_client.hget(key, "status") == "review"
    assert json.loads(redis_client.hget(key, "rules")) == ["dead_letter"]
    assert store.get(good).status == "review"
    assert stats.dead_lettered == 2 and stats.failed == 3
    assert ReviewQueue(redis_client).pending() == 0


def test_without_a_usable_model_comments_go_to_review(redis_client, store, clock):
    registry = ModelRegistry(redis_client, clock=clock)  # nothing published
    comment_id = store.save("t", SPAM).id
    make_worker(redis_client, registry).run(burst=True)
    comment = store.get(comment_id)
    assert comment.status == "review"
    assert "unscored" in json.loads(comment.rules)
    assert comment.score == ""


def test_a_new_model_version_is_picked_up_between_batches(redis_client, store, registry):
    worker = make_worker(redis_client, registry, batch_size=1)
    first = store.save("t", HAM).id
    worker.run(burst=True)
    assert store.get(first).model_version == "v1"

    tiny = SpamClassifier(n_char_features=2**12, n_word_features=2**10).fit(
        ["buy cheap pills now", "great article thanks", "win money fast", "I disagree"],
        [1, 0, 1, 0],
    )  # fmt: skip
    version = registry.publish(persistence.to_bytes(tiny), {"source": "test"})
    second = store.save("t", HAM).id
    worker.run(burst=True)
    assert version == "v2"
    assert store.get(second).model_version == "v2"


def _worker_process(redis_url, *args, stdout=subprocess.PIPE):
    env = {**os.environ, "REDIS_URL": redis_url}
    return subprocess.Popen(
        [sys.executable, "-m", "moderation.cli", "worker", *args],
        env=env, stdout=stdout, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing(redis_server, redis_client, store, registry):
    ids = [store.save("t", HAM if index % 3 else SPAM).id for index in range(600)]
    doomed = _worker_process(redis_server.url, "--name", "doomed", "--batch", "300",
                             stdout=subprocess.DEVNULL)  # fmt: skip
    queue = ReviewQueue(redis_client)
    queue.ensure_group()
    deadline = time.monotonic() + 120
    try:
        # Seen holding a batch it has read and not acknowledged, it is paused
        # and looked at again (after a round trip, so an acknowledgement it
        # sent before the pause has been run): killed only if it still holds it.
        while True:
            assert time.monotonic() < deadline, "the worker was never seen holding a batch"
            if queue.pending() > 0:
                doomed.send_signal(signal.SIGSTOP)
                while not is_stopped(doomed.pid):
                    assert time.monotonic() < deadline, "the worker did not stop"
                    time.sleep(0.001)
                redis_client.ping()
                if queue.pending() > 0:
                    break
                doomed.send_signal(signal.SIGCONT)
            time.sleep(0.005)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    assert queue.pending() > 0, "the worker was not caught mid-batch"

    survivor = _worker_process(redis_server.url, "--name", "survivor", "--burst",
                               "--reclaim-after", "0")  # fmt: skip
    output, _ = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, output
    assert queue.pending() == 0
    counts = [redis_client.hget(store.keys.comment(i), "classifications") for i in ids]
    assert counts == ["1"] * len(ids)
    assert store.count("pending") == 0


@pytest.mark.slow
def test_sigterm_finishes_the_batch_and_exits(redis_server, redis_client, store, registry):
    process = _worker_process(redis_server.url, "--name", "polite")
    try:
        store.save("t", HAM)
        deadline = time.monotonic() + 30
        while store.count("pending") and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "1 classified" in output


def _wait_classified(store, comment_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        comment = store.get(comment_id)
        if comment is not None and comment.status != "pending":
            return comment
        time.sleep(0.05)
    raise AssertionError(f"comment {comment_id} still pending after {timeout} s")


@pytest.mark.slow
def test_a_worker_waits_for_redis_and_survives_it_coming_back_empty(tmp_path):
    server = RedisServer(tmp_path / "redis", persistent=False)
    server.port = free_port()
    process = _worker_process(server.url, "--name", "patient", stdout=subprocess.PIPE)
    client = connect(server.url, 2.0)
    try:
        time.sleep(1.5)  # started before Redis: it waits instead of exiting
        assert process.poll() is None
        server.start()
        store = CommentStore(client)
        assert _wait_classified(store, store.save("t", HAM).id).status == "review"

        # Redis restarts without its data: the consumer group is made again.
        port = server.port
        server.stop()
        time.sleep(0.5)
        server.port = port
        server.start()
        assert _wait_classified(store, store.save("t", SPAM).id).status == "spam"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
        client.close()
        server.stop()
    assert process.returncode == 0, output
    assert "Redis unreachable" in output and "consumer group missing" in output


@pytest.mark.slow
def test_an_idle_worker_is_not_mistaken_for_an_outage(redis_server, redis_client, store, registry):
    """The web's short socket timeout must not cut the worker's blocking read."""
    env = {**os.environ, "REDIS_URL": redis_server.url, "REDIS_SOCKET_TIMEOUT": "0.3"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moderation.cli", "worker", "--name", "idle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        time.sleep(2.5)  # a few empty blocking reads
        comment = _wait_classified(store, store.save("t", HAM).id, timeout=10)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert comment.status == "review"
    assert "unreachable" not in output, output
    assert any(c.get("name") == "worker:idle" for c in redis_client.client_list()) is False
