import json

import pytest

from classifiers.simhash import distance, simhash
from moderation.bursts import BurstDetector
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

BASE = ("Je trouve cet article très intéressant mais il manque le point de vue des "
        "habitants de Koursk sur la présence des soldats étrangers")  # fmt: skip


def test_near_identical_texts_have_close_fingerprints():
    edited = BASE.replace("très intéressant", "tres interessant") + " !!!"
    assert distance(simhash(BASE), simhash(edited)) <= 6
    assert distance(simhash(BASE), simhash(BASE + " vraiment")) <= 6
    other = "La ministre est arrivée à Moscou mercredi selon les médias d’État, sans annonce."
    assert distance(simhash(BASE), simhash(other)) > 16
    assert simhash("") == 0


def test_the_detector_counts_earlier_copies_within_the_window(redis_client, clock):
    detector = BurstDetector(redis_client, window=3600, threshold=3, clock=clock)
    assert detector.observe([("a", BASE)]) == {"a": 0}
    clock.advance(10)
    assert detector.observe([("b", BASE + " vraiment"), ("c", BASE.upper())]) == {"b": 1, "c": 2}
    assert detector.is_burst(2) and not detector.is_burst(1)
    assert detector.observe([("short", "Merci !")]) == {"short": 0}
    clock.advance(3601)
    assert detector.observe([("d", BASE)]) == {"d": 0}  # the earlier ones are forgotten


def test_sites_do_not_share_bursts(redis_client, clock):
    BurstDetector(redis_client, "one", clock=clock).observe([("a", BASE), ("b", BASE)])
    assert BurstDetector(redis_client, "two", clock=clock).observe([("c", BASE)]) == {"c": 0}


@pytest.fixture
def registry(redis_client):
    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    return registry


def test_the_worker_flags_a_burst_for_review(redis_client, registry, clock):
    store = CommentStore(redis_client, clock=clock)
    ids = []
    for index, thread in enumerate(("t1", "t2", "t3", "t4")):
        clock.advance(1)
        data = CommentInput(author=f"Nom{index}", email=f"n{index}@example.org", url="",
                            body=BASE + (" " + "!" * index))  # fmt: skip
        ids.append(store.save(thread, data).id)
    worker = Worker(redis_client, models=ModelCache(registry), name="w", clock=clock,
                    policy=Policy(auto_approve=True),
                    bursts=BurstDetector(redis_client, threshold=3, clock=clock))  # fmt: skip
    worker.run(burst=True)
    rules = [json.loads(redis_client.hget(store.keys.comment(i), "rules")) for i in ids]
    statuses = [store.status(i) for i in ids]
    assert statuses[:2] == ["approved", "approved"]  # two alike are not yet a burst
    assert statuses[2:] == ["review", "review"]
    assert rules[2] == ["burst"] and rules[3] == ["burst"]
