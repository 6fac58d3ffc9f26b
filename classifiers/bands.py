"""Where the score bands start, chosen by what a mistake costs.

A legitimate comment filed as spam is hidden where nobody looks; a spam left
for review only costs a moderator a click. So the ``spam`` threshold is the
lowest score above which spam makes up at least ``precision`` of the
comments (0.99: one legitimate comment in a hundred at most), and the
``likely good`` threshold the highest score below which at most
``max_spam_below`` of all spam falls (1 %). Both are chosen on scores of
comments the model did not learn from, and kept with the model.
"""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

PRECISION = 0.99
MAX_SPAM_BELOW = 0.01
NEVER = 1.0  # no score reaches the band (sigmoid scores stay below 1)


@dataclass(frozen=True, slots=True)
class Bands:
    spam: float  # a comment scoring at least this is filed as spam
    likely_good: float  # at most this, it is marked likely good
    # What the choice gives on the set it was made on:
    n: int
    spam_precision: float  # share of spam among comments at or above ``spam``
    spam_recall: float  # share of all spam at or above ``spam``
    ham_in_spam_band: int  # legitimate comments at or above ``spam``
    spam_below_good: float  # share of all spam at or below ``likely_good``
    ham_below_good: float  # share of legitimate comments at or below ``likely_good``

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _floor(value: float) -> float:
    return math.floor(value * 1000) / 1000


def _ceil(value: float) -> float:
    return math.ceil(value * 1000) / 1000


def choose(labels: Sequence[int], probability: Sequence[float], *, precision: float = PRECISION,
           max_spam_below: float = MAX_SPAM_BELOW) -> Bands:  # fmt: skip
    truth = np.asarray(labels, dtype=np.int64)
    score = np.asarray(probability, dtype=np.float64)
    spam, ham = score[truth == 1], score[truth == 0]
    if not len(spam) or not len(ham):
        raise ValueError("choosing bands needs both spam and ham examples")
    spam_at = NEVER
    candidates = np.unique(score)
    for index, candidate in enumerate(candidates):  # ascending: the first that holds
        threshold = _ceil(float(candidate))
        caught, wrong = int((spam >= threshold).sum()), int((ham >= threshold).sum())
        if caught and caught / (caught + wrong) >= precision:
            # As low as the same comments allow: just above the score below,
            # so spam scoring in between later is caught too.
            below = float(candidates[index - 1]) if index else 0.0
            spam_at = min(threshold, _ceil(below + 1e-9))
            break
    allowed = int(max_spam_below * len(spam))  # spam that may fall in the good band
    first_kept = float(np.sort(spam)[allowed])  # the lowest spam score that must stay out
    below = score[score < first_kept]
    good_at = _floor(float(below.max())) if len(below) else 0.0
    good_at = min(good_at, _floor(spam_at - 0.001))
    caught, wrong = int((spam >= spam_at).sum()), int((ham >= spam_at).sum())
    return Bands(
        spam=spam_at,
        likely_good=max(good_at, 0.0),
        n=len(truth),
        spam_precision=round(caught / (caught + wrong), 4) if caught + wrong else 1.0,
        spam_recall=round(caught / len(spam), 4),
        ham_in_spam_band=wrong,
        spam_below_good=round(float((spam <= good_at).mean()), 4),
        ham_below_good=round(float((ham <= good_at).mean()), 4),
    )


def from_metadata(metadata: dict[str, Any]) -> tuple[float, float] | None:
    """(spam, likely good) stored with a model, or None for a model without them."""
    bands = metadata.get("bands") or {}
    try:
        return float(bands["spam"]), float(bands["likely_good"])
    except (KeyError, TypeError, ValueError):
        return None
