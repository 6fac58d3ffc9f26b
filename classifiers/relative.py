"""Why a comment's score differs from an average comment's.

The model is linear in its features, so a comment's margin minus the
average comment's margin splits exactly into one part per feature:
``w · (x − mean)``. Words an average comment does not hold count as they
are; each form signal counts by how far this comment is from the average
(a comment of ordinary length is not "pushed" by its length at all). The
reasons shown are those that moved the score the way it went from the
average: a comment scored low is explained by what made it look good.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.features import META, Featuriser
from classifiers.model import HISTORY_LABEL, HISTORY_WEIGHT, Contribution, SpamClassifier
from classifiers.readers import read_examples
from classifiers.sample import Sample

REFERENCE = Path(__file__).parent / "data" / "news_train.csv"
# A word found in this share of comments says nothing about this one (a
# language's little words), even when the model leans on it a little.
COMMON_SHARE = 0.05


@dataclass(frozen=True)
class Baseline:
    """The average comment, as the model sees it."""

    means: np.ndarray  # mean of every column of the matrix (n-grams and signals)
    margin: float  # mean margin (log-odds of spam)
    common: frozenset[str] = frozenset()  # words in many comments: "the", "des", "is"


def reference_samples(limit: int = 400, path: Path = REFERENCE) -> list[Sample]:
    """Comments of the packaged news corpus, spam and legitimate, every n-th
    up to ``limit``: an ordinary mix of what a site receives."""
    examples = read_examples(path)
    step = max(1, len(examples) // limit)
    return [example.sample for example in examples[::step][:limit]]


def baseline(model: SpamClassifier, samples: Sequence[Sample]) -> Baseline:
    samples = list(samples)
    matrix = model.featuriser_.transform(samples)
    means = np.asarray(matrix.mean(axis=0)).ravel()
    seen = Counter(word for sample in samples for word in set(Featuriser.text(sample).split()))
    common = frozenset(word for word, n in seen.items() if n >= COMMON_SHARE * len(samples))
    return Baseline(means=means, margin=float(model._margin(matrix, samples).mean()),
                    common=common)  # fmt: skip


def relative_reasons(model: SpamClassifier, samples: Sequence[Sample], base: Baseline,
                     top: int = 5) -> list[list[Contribution]]:  # fmt: skip
    """For each comment, the ``top`` features that moved its score most away
    from the average comment's, in the direction the score went; strongest
    first. One featurisation for the batch."""
    samples = list(samples)
    matrix = model.featuriser_.transform(samples)
    margins = model._margin(matrix, samples)
    return [_reasons(model, sample, matrix[index], float(margins[index]), base, top)
            for index, sample in enumerate(samples)]  # fmt: skip


def _telling(word: str, base: Baseline) -> bool:
    """A word a moderator learns from: not one of the little words every
    comment holds, not a lone letter, not a number (digits are folded to 0)."""
    bare = word.strip(".,;:!?«»\"'()")
    return len(bare) > 2 and bare not in base.common and bare.strip("0") != ""


def _reasons(model: SpamClassifier, sample: Sample, row: object, margin: float, base: Baseline,
             top: int) -> list[Contribution]:  # fmt: skip
    weights = model.sgd_.coef_[0]
    # w·(x − mean) for each n-gram present, as w'·x with w' = w·(1 − mean / x):
    # a word every comment holds moves nothing; one no other comment holds, all.
    centred = weights.copy()
    present, values = row.indices, row.data
    centred[present] = weights[present] * (1.0 - base.means[present] / values)
    totals = model.featuriser_.contributions(sample, row, centred)
    found = [Contribution(name, kind, weight) for (name, kind), weight in totals.items()
             if kind != "signal" and _telling(name, base)]  # fmt: skip
    start = row.shape[1] - len(META)
    signals = row[:, start:].toarray().ravel()
    for position, (name, label) in enumerate(META):
        delta = float(signals[position] - base.means[start + position])
        found.append(Contribution(label, "signal", float(weights[start + position]) * delta,
                                  signal=name, above=delta > 0))  # fmt: skip
    history = sample.link_history
    if history:
        found.append(Contribution(HISTORY_LABEL, "signal", HISTORY_WEIGHT * history,
                                  signal="link_history", above=history > 0))  # fmt: skip
    direction = 1.0 if margin >= base.margin else -1.0
    chosen = sorted((c for c in found if c.weight * direction >= 1e-4),
                    key=lambda c: abs(c.weight), reverse=True)[:top]  # fmt: skip
    return [Contribution(c.feature, c.kind, round(c.weight, 4), c.signal, c.above)
            for c in chosen]  # fmt: skip
