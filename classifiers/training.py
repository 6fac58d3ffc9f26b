"""Train a model from examples and describe it; refine it with new examples."""

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from classifiers.evaluation import scores
from classifiers.model import SpamClassifier
from classifiers.readers import Example


def summary(examples: Sequence[Example]) -> dict[str, Any]:
    labels = Counter(example.label for example in examples)
    return {
        "n": len(examples),
        "spam": labels[1],
        "ham": labels[0],
        "sources": dict(Counter(example.source or "?" for example in examples)),
    }


def evaluate(model: SpamClassifier, examples: Sequence[Example], threshold: float = 0.5) -> dict:
    probability = model.predict_proba([example.sample for example in examples])[:, 1]
    return scores([example.label for example in examples], probability, threshold)


def train(
    examples: Sequence[Example],
    *,
    params: dict[str, Any] | None = None,
    holdout: float = 0.2,
    random_state: int = 0,
    clock: Callable[[], float] = time.time,
    progress: Callable[[int], object] = lambda steps: None,
) -> tuple[SpamClassifier, dict[str, Any]]:
    """Measure on a stratified held-out share, then fit on everything.

    Returns the model and the metadata to store with it.
    """
    labels = np.array([example.label for example in examples])
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both spam and ham examples")
    figures: dict[str, Any] = {}
    if holdout:
        train_part, test_part = train_test_split(
            list(examples), test_size=holdout, stratify=labels, random_state=random_state
        )
        probe = SpamClassifier(**(params or {})).fit(
            [example.sample for example in train_part], [example.label for example in train_part]
        )
        figures = {"holdout": evaluate(probe, test_part), "holdout_share": holdout}
    progress(1)
    model = SpamClassifier(**(params or {})).fit([example.sample for example in examples], labels)
    progress(1)
    return model, {"trained_at": clock(), "training": summary(examples), "evaluation": figures}


def refine(
    model: SpamClassifier,
    examples: Sequence[Example],
    *,
    holdback: float = 0.2,
    epochs: int = 3,
    random_state: int = 0,
) -> tuple[SpamClassifier, dict[str, Any]]:
    """``partial_fit`` on new examples; figures before and after on a held-back share.

    The caller decides from the figures whether to activate the result.
    """
    examples = list(examples)
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(examples))
    cut = int(len(examples) * holdback) if len(examples) >= 10 else 0
    held = [examples[i] for i in order[:cut]]
    learn = [examples[i] for i in order[cut:]]
    before = evaluate(model, held) if held else None
    for _ in range(epochs):
        model.partial_fit([e.sample for e in learn], [e.label for e in learn])
    after = evaluate(model, held) if held else None
    return model, {"before": before, "after": after, "learned": summary(learn), "held": len(held)}
