"""Train a model from examples and describe it; refine it with new examples."""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from classifiers import bands as score_bands
from classifiers import calibration, report
from classifiers.evaluation import scores
from classifiers.model import SpamClassifier
from classifiers.readers import Example
from classifiers.report import probabilities


def summary(examples: Sequence[Example]) -> dict[str, Any]:
    labels = Counter(example.label for example in examples)
    return {
        "n": len(examples),
        "spam": labels[1],
        "ham": labels[0],
        "sources": dict(Counter(example.source or "?" for example in examples)),
    }


def evaluate(model: SpamClassifier, examples: Sequence[Example], threshold: float = 0.5) -> dict:
    return scores([example.label for example in examples], probabilities(model, examples),
                  threshold)  # fmt: skip


def train(
    examples: Sequence[Example],
    *,
    params: dict[str, Any] | None = None,
    evaluation: Sequence[Example] = (),
    clock: Callable[[], float] = time.time,
    progress: Callable[[int], object] = lambda steps: None,
) -> tuple[SpamClassifier, dict[str, Any]]:
    """Fit (with its out-of-fold calibration), choose the bands on the
    out-of-fold scores, and measure on ``evaluation`` (never trained on).

    Returns the model and the metadata to store with it.
    """
    labels = np.array([example.label for example in examples])
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both spam and ham examples")
    model = SpamClassifier(**(params or {})).fit([example.sample for example in examples],
                                                 labels)  # fmt: skip
    progress(1)
    figures: dict[str, Any] = {}
    metadata: dict[str, Any] = {
        "trained_at": clock(), "training": summary(examples), "evaluation": figures,
    }  # fmt: skip
    oof = getattr(model, "oof_proba_", None)
    if oof is not None:
        chosen = score_bands.choose(labels, oof)
        table = calibration.reliability(labels, oof)
        figures["out_of_fold"] = scores(labels, oof)
        metadata["calibration"] = {
            "method": "sigmoid", "slope": model.calibration_[0],
            "intercept": model.calibration_[1], "folds": model.cv,
            "calibration_error": round(calibration.expected_calibration_error(table), 4),
        }  # fmt: skip
        metadata["bands"] = {**chosen.as_dict(), "chosen_on": "out-of-fold scores"}
    if evaluation:
        bands = score_bands.from_metadata(metadata)
        figures["held_out"] = report.build(model, evaluation, bands=bands, mistakes=0)
    progress(1)
    return model, metadata


def refine(
    model: SpamClassifier,
    examples: Sequence[Example],
    *,
    holdback: float = 0.2,
    epochs: int = 3,
    random_state: int = 0,
    spam_threshold: float = 0.5,
    replay: Sequence[Example] = (),
    replay_share: int = 4,
) -> tuple[SpamClassifier, dict[str, Any]]:
    """``partial_fit`` on new examples; figures before and after on a
    held-back share, at 0.5 and at the model's ``spam_threshold``.

    Each pass mixes the new examples with a fresh random draw of ``replay``
    (the original training examples): ``replay_share`` times as many, at
    least 400. Learning from a few dozen decisions alone drags shared
    weights (the intercept, the text length) and floods the queue with
    false alarms; rehearsing what the model knew keeps them in place.
    The caller decides from the figures whether to activate the result.
    """
    examples = list(examples)
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(examples))
    cut = int(len(examples) * holdback) if len(examples) >= 10 else 0
    held = [examples[i] for i in order[:cut]]
    learn = [examples[i] for i in order[cut:]]

    def measure() -> dict[str, Any] | None:
        if not held:
            return None
        figures = evaluate(model, held)
        banded = evaluate(model, held, spam_threshold)
        figures["ham_flagged_at_band"] = banded["ham_flagged"]
        return figures

    before = measure()
    size = min(len(replay), max(400, replay_share * len(learn)))
    for _ in range(epochs):
        mixed = learn + [replay[i] for i in rng.choice(len(replay), size, replace=False)]
        order = rng.permutation(len(mixed))
        model.partial_fit([mixed[i].sample for i in order], [mixed[i].label for i in order])
    after = measure()
    return model, {"before": before, "after": after, "learned": summary(learn), "held": len(held),
                   "replayed_per_pass": size}  # fmt: skip
