"""Figures per kind of comment: a model that is good on average can still be
poor on French comments, on comments with links, or on one site.

Each labelled example falls in one group of each dimension: its language,
whether it has links (and whether they all point to references), its length,
and, when the data says it, its kind, site and origin (imported or live).
``regressions`` compares two reports, slice by slice.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from classifiers.evaluation import scores
from classifiers.language import guess
from classifiers.links import REFERENCE, links_in
from classifiers.readers import Example

MIN_SLICE = 50  # fewer examples than this: figures too noisy to gate on
MAX_F1_DROP = 0.02


def length_band(body: str) -> str:
    size = len(body.strip())
    if size < 40:
        return "short (< 40 characters)"
    if size <= 300:
        return "medium (40-300)"
    return "long (> 300)"


def links_band(body: str) -> str:
    found = links_in(body)
    if not found:
        return "no links"
    if all(link.kind == REFERENCE for link in found):
        return "links to references only"
    return "other links"


def groups(example: Example) -> dict[str, str]:
    """The group of ``example`` in each dimension it can be placed in."""
    body = example.sample.body
    placed = {
        "language": example.lang if example.lang in {"fr", "en"} else (
            "other" if example.lang else guess(body)),
        "links": links_band(body),
        "length": length_band(body),
    }  # fmt: skip
    for dimension in ("kind", "site", "origin"):
        value = getattr(example, dimension)
        if value:
            placed[dimension] = value
    return placed


def report(examples: Sequence[Example], probability: Sequence[float], threshold: float = 0.5
           ) -> dict[str, Any]:  # fmt: skip
    """Overall figures and figures per slice: ``{"overall": {...}, "slices":
    {dimension: {group: {...}}}}``; a slice's figures are those of
    :func:`classifiers.evaluation.scores`."""
    labels = np.array([example.label for example in examples], dtype=np.int64)
    score = np.asarray(probability, dtype=np.float64)
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, example in enumerate(examples):
        for dimension, group in groups(example).items():
            members[dimension][group].append(index)
    slices = {
        dimension: {
            group: scores(labels[indices], score[indices], threshold)
            for group, indices in sorted(by_group.items())
        }
        for dimension, by_group in sorted(members.items())
    }
    return {"overall": scores(labels, score, threshold), "slices": slices}


def regressions(current: dict[str, Any], recorded: dict[str, Any], *, min_n: int = MIN_SLICE,
                max_drop: float = MAX_F1_DROP) -> list[str]:  # fmt: skip
    """Slices with at least ``min_n`` examples in both reports whose F1 fell by
    more than ``max_drop``, described for a person."""
    found = []
    for dimension, by_group in recorded.get("slices", {}).items():
        for group, before in by_group.items():
            after = current.get("slices", {}).get(dimension, {}).get(group)
            if not after or min(before["n"], after["n"]) < min_n:
                continue
            if not before["tp"] + before["fn"]:
                continue  # no spam in the slice: F1 means nothing (false alarms are gated apart)
            if after["f1"] < before["f1"] - max_drop:
                found.append(f"{dimension}={group}: F1 {before['f1']:.3f} → {after['f1']:.3f} "
                             f"(n={after['n']})")  # fmt: skip
    return found
