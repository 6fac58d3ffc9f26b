"""Reasons against an average comment: on a few hundred held-out comments the
reasons shown push the way the score went, and the little words every
comment holds are never a reason."""

from pathlib import Path

import numpy as np
import pytest

import classifiers
from classifiers import persistence
from classifiers.readers import read_examples
from classifiers.relative import baseline, reference_samples, relative_reasons

HOLDOUT = Path(classifiers.__file__).parent / "data" / "news_holdout.csv"


@pytest.fixture(scope="module")
def packaged():
    model, _metadata = persistence.load(Path(classifiers.__file__).parent / "default_model.npz")
    return model, baseline(model, reference_samples())


@pytest.fixture(scope="module")
def explained(packaged):
    model, base = packaged
    samples = [example.sample for example in read_examples(HOLDOUT)]
    assert len(samples) >= 300
    return samples, model.predict_proba(samples)[:, 1], model.decision_function(samples), \
        relative_reasons(model, samples, base, top=5)


def test_the_sign_of_every_reason_agrees_with_the_score(packaged, explained):
    _model, base = packaged
    average = 1 / (1 + np.exp(-base.margin))
    samples, scores, margins, reasons = explained
    for sample, score, margin, found in zip(samples, scores, margins, reasons, strict=True):
        assert 0 < len(found) <= 5, sample.body
        raised = margin >= base.margin
        assert all((reason.weight > 0) == raised for reason in found), (score, sample.body)
        assert [abs(r.weight) for r in found] == sorted((abs(r.weight) for r in found),
                                                        reverse=True)  # fmt: skip
        # Clear calls on either side read the way the score says.
        if score >= 0.9:
            assert raised and score > average
        if score <= 0.1:
            assert not raised


def test_an_ordinary_length_is_no_reason_and_little_words_never_are(packaged, explained):
    _model, base = packaged
    assert {"the", "de", "est", "is"} <= base.common
    _samples, _scores, _margins, reasons = explained
    shown = [reason for found in reasons for reason in found]
    words = {reason.feature.strip(".,;:!?") for reason in shown if reason.kind != "signal"}
    assert not words & base.common
    assert all(len(word) > 2 for word in words)
    signals = [reason for reason in shown if reason.kind == "signal"]
    assert signals and all(reason.signal and reason.above is not None for reason in signals)


def test_the_parts_add_up_to_the_distance_from_the_average(packaged):
    """Linear model: with every part kept (no little-word filter, all signals),
    the parts are exactly this comment's margin minus the average one's,
    less the average comment's own words (the n-grams this comment lacks)."""
    model, base = packaged
    sample = reference_samples(limit=3)[1]
    row = model.featuriser_.transform([sample])
    weights = model.sgd_.coef_[0]
    present = row.indices
    exact = float(weights[present] @ (row.data - base.means[present]))
    absent = np.ones(len(weights), dtype=bool)
    absent[present] = False
    lacking = float(weights[absent] @ base.means[absent])
    margin = float(model.decision_function([sample])[0])
    assert exact - lacking == pytest.approx(margin - base.margin, abs=1e-6)
