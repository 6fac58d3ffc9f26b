"""Whether a refined or newly trained model replaces the current one, without the CLI."""

from moderation import retraining
from moderation.models import ModelRegistry
from moderation.store import CommentStore
from moderation.validation import CommentInput

FIGURES = {"f1": 0.9, "ham_flagged": 2, "ham_flagged_at_band": 1}


def test_held_back_figures_refuse_a_drop_in_f1_or_more_false_alarms():
    assert retraining.held_back_refusals(FIGURES, FIGURES, -0.01) == []
    worse = {**FIGURES, "f1": 0.85}
    assert retraining.held_back_refusals(FIGURES, worse, -0.01) == [
        "held-back F1 fell from 0.9 to 0.85"
    ]
    assert retraining.held_back_refusals(FIGURES, worse, -0.1) == []
    noisier = {**FIGURES, "ham_flagged_at_band": 2}
    assert retraining.held_back_refusals(FIGURES, noisier, -0.01) == [
        "held-back ham flagged at band rose from 1 to 2"
    ]


def test_no_figures_no_held_back_refusal():
    assert retraining.held_back_refusals(None, FIGURES, 1.0) == []
    assert retraining.held_back_refusals(FIGURES, None, 1.0) == []


def test_no_current_model_no_regression():
    assert retraining.regressions(object(), {}, [], None) == []


def test_nothing_new_to_learn_publishes_nothing(redis_client):
    done = retraining.refine_from_decisions(redis_client, min_improvement=-0.01)
    assert done == retraining.Refinement(decisions=0)
    assert [entry.version for entry in ModelRegistry(redis_client).versions()] == ["v1"]


def test_a_refused_refinement_is_kept_but_not_activated_unless_forced(redis_client):
    store = CommentStore(redis_client)
    for index in range(20):
        for body, status in ((f"Gagnez un iPhone, cliquez vite, offre {index}", "spam"),
                             (f"Merci pour cet article, point {index} très juste.", "approved")):
            data = CommentInput(author="A", email="a@example.org", url="", body=body)
            store.decide(store.save("t", data).id, status, "mod@example.org")
    seen = []
    refused = retraining.refine_from_decisions(redis_client, min_improvement=2.0,
                                               on_refined=seen.append)  # fmt: skip
    registry = ModelRegistry(redis_client)
    assert refused.decisions == 40 and seen and seen[0]["before"]
    assert not refused.activated and refused.version == "v2"
    assert any("held-back F1" in reason for reason in refused.refusals)
    assert registry.active_version() == "v1"
    assert registry.load("v2")[1]["refusals"] == refused.refusals

    # v2 was not activated: the active v1 has not learnt these decisions yet.
    forced = retraining.refine_from_decisions(redis_client, min_improvement=2.0, force=True)
    assert forced.activated and forced.version == "v3" and forced.refusals
    assert registry.active_version() == "v3"
