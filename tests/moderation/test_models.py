import json

import pytest
from click.testing import CliRunner

from classifiers import persistence
from classifiers.model import SpamClassifier
from moderation import feedback
from moderation.cli import main
from moderation.models import ModelCache, ModelRegistry, NoModel
from moderation.store import CommentStore
from moderation.validation import CommentInput

SEED = "classifiers/data/seed.csv"


def tiny_model_bytes(flip: bool = False) -> bytes:
    labels = [1, 0, 1, 0] if not flip else [0, 1, 0, 1]
    model = SpamClassifier(n_char_features=2**12, n_word_features=2**10).fit(
        ["buy cheap pills now", "great article thanks", "win money fast", "I disagree"], labels
    )
    return persistence.to_bytes(model, {"training": {"n": 4}})


def test_publish_activate_rollback_and_list(redis_client, clock):
    registry = ModelRegistry(redis_client, clock=clock)
    with pytest.raises(NoModel):
        registry.load_active()
    assert registry.publish(tiny_model_bytes(), {"source": "a"}) == "v1"
    clock.advance(10)
    assert registry.publish(tiny_model_bytes(True), {"source": "b"}) == "v2"
    assert registry.active_version() == "v2"
    assert registry.rollback() == "v1"
    assert registry.active_version() == "v1"
    listed = registry.versions()
    assert [(v.version, v.active) for v in listed] == [("v1", True), ("v2", False)]
    assert listed[1].metadata["source"] == "b" and listed[1].metadata["sha256"]
    registry.activate("v2")
    assert registry.load_active()[0] == "v2"
    with pytest.raises(NoModel):
        registry.activate("v9")


def test_unloadable_bytes_are_never_published(redis_client):
    registry = ModelRegistry(redis_client)
    with pytest.raises(persistence.ModelFileError):
        registry.publish(b"not a model", {})
    assert registry.versions() == []


def test_ensure_default_publishes_the_packaged_model_once(redis_client):
    registry = ModelRegistry(redis_client)
    assert registry.ensure_default() == "v1"
    assert registry.ensure_default() == "v1"
    assert registry.versions()[0].metadata["source"] == "packaged default"


def test_the_cache_reloads_only_on_a_new_version(redis_client):
    registry = ModelRegistry(redis_client)
    registry.publish(tiny_model_bytes(), {})
    cache = ModelCache(registry)
    version, model = cache.current()
    assert cache.current()[1] is model
    registry.publish(tiny_model_bytes(True), {})
    assert cache.current()[0] == "v2" and cache.current()[1] is not model


@pytest.fixture
def runner(redis_server, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    return CliRunner()


@pytest.mark.slow
def test_train_and_evaluate_commands(runner, tmp_path):
    out = tmp_path / "model.npz"
    result = runner.invoke(main, ["train", "--data", SEED, "--out", str(out)])
    assert result.exit_code == 0, result.output
    model, metadata = persistence.load(out)
    assert metadata["training"]["n"] == 494
    assert metadata["evaluation"]["out_of_fold"]["f1"] > 0.8
    assert 0 < metadata["bands"]["likely_good"] < metadata["bands"]["spam"] <= 1

    result = runner.invoke(main, ["evaluate", "--data", SEED, "--model", str(out), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    for key in ("n", "tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "f1", "mcc",
                "roc_auc"):  # fmt: skip
        assert key in figures
    assert figures["n"] == 494 and figures["accuracy"] > 0.95

    loose = runner.invoke(main, ["evaluate", "--data", SEED, "--model", str(out), "--json",
                                 "--threshold", "0.001"])  # fmt: skip
    loose_figures = json.loads(loose.output)
    assert loose_figures["threshold"] == 0.001 and loose_figures["fp"] > figures["fp"]


@pytest.mark.slow
def test_train_publishes_to_redis_by_default(runner, redis_client):
    result = runner.invoke(main, ["train", "--data", SEED])
    assert result.exit_code == 0, result.output
    assert ModelRegistry(redis_client).active_version() == "v1"


def test_bad_data_files_are_refused_clearly(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n")
    result = runner.invoke(main, ["train", "--data", str(bad)])
    assert result.exit_code == 2 and "unknown format" in result.output


def test_train_from_decisions_refines_and_keeps_the_previous_version(runner, redis_client):
    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    store = CommentStore(redis_client)

    def decided(body, status):
        data = CommentInput(author="A", email="a@example.org", url="", body=body)
        store.decide(store.save("t", data).id, status, "mod@example.org")

    for index in range(30):
        decided(f"Abonnez-vous à la lettre du club de bridge de Quimper, séance {index}", "spam")
        decided(f"Merci pour ce papier, point {index} très juste.", "approved")
    decided("hors sujet", "rejected")
    undone = CommentInput(author="A", email="a@example.org", url="", body="changed my mind")
    comment_id = store.save("t", undone).id
    store.decide(comment_id, "spam", "mod@example.org")
    store.decide(comment_id, "review", "mod@example.org")  # undo withdraws the label
    assert len(feedback.read(redis_client)) == 60

    result = runner.invoke(main, ["train", "--from-decisions"])
    assert result.exit_code == 0, result.output
    assert registry.active_version() == "v2", result.output
    _model, metadata = registry.load("v2")
    assert metadata["parent"] == "v1" and metadata["refined"]["learned"]["n"] == 48
    again = runner.invoke(main, ["train", "--from-decisions"])
    assert "no new decisions" in again.output
    result = runner.invoke(main, ["model", "rollback"])
    assert result.exit_code == 0 and registry.active_version() == "v1"
    listing = runner.invoke(main, ["model", "list"]).output
    assert "* " in listing and "v2" in listing
