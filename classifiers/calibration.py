"""Calibrated probabilities: a score of 0.9 should mean about nine in ten are spam.

The model's raw margin is trained with balanced class weights, so it says
nothing true about odds. A sigmoid (Platt scaling) fitted on out-of-fold
margins, data the model did not see, maps margins to probabilities; it is
monotone, so it keeps the ranking (and ROC AUC) and needs only two numbers,
stored in the model file. ``reliability`` and ``reliability_svg`` show how
well it holds on any labelled set.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from sklearn.linear_model import LogisticRegression

IDENTITY = (1.0, 0.0)  # an uncalibrated model: p = sigmoid(margin)


def fit_sigmoid(margins: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """(slope, intercept) of p = sigmoid(slope · margin + intercept), fitted by
    maximum likelihood with Platt's smoothed targets (no 0/1 overconfidence)."""
    x = np.asarray(margins, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(labels, dtype=np.int64)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if not n_pos or not n_neg:
        raise ValueError("calibration needs both spam and ham examples")
    # Platt's targets: (n+ + 1)/(n+ + 2) and 1/(n- + 2) instead of 1 and 0,
    # fitted as two weighted copies of the data.
    high, low = (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2)
    target = np.where(y == 1, high, low)
    xx = np.vstack([x, x])
    yy = np.concatenate([np.ones(len(y)), np.zeros(len(y))]).astype(np.int64)
    weights = np.concatenate([target, 1 - target])
    fit = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    fit.fit(xx, yy, sample_weight=weights)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def apply(margins: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    slope, intercept = calibration
    z = np.clip(slope * np.asarray(margins, dtype=np.float64) + intercept, -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True, slots=True)
class Bin:
    low: float
    high: float
    n: int
    mean_score: float  # what the model said
    spam_share: float  # what was true


def as_dict(item: Bin) -> dict[str, float | int]:
    return {"low": item.low, "high": item.high, "n": item.n,
            "mean_score": round(item.mean_score, 4), "spam_share": round(item.spam_share, 4)}


def reliability(labels: Sequence[int], probability: Sequence[float], bins: int = 10
                ) -> list[Bin]:  # fmt: skip
    """Examples in equal-width score bins: the mean score beside the share of spam."""
    truth = np.asarray(labels, dtype=np.float64)
    score = np.asarray(probability, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(score, edges[1:-1], right=False), 0, bins - 1)
    table = []
    for index in range(bins):
        inside = which == index
        n = int(inside.sum())
        table.append(Bin(
            float(edges[index]), float(edges[index + 1]), n,
            float(score[inside].mean()) if n else 0.0,
            float(truth[inside].mean()) if n else 0.0,
        ))  # fmt: skip
    return table


def expected_calibration_error(table: Sequence[Bin]) -> float:
    total = sum(item.n for item in table)
    if not total:
        return 0.0
    return sum(item.n * abs(item.mean_score - item.spam_share) for item in table) / total


def reliability_svg(table: Sequence[Bin], title: str = "Reliability") -> str:
    """A self-contained SVG: share of spam against mean score per bin, the
    diagonal for perfect calibration, each point sized by its count."""
    size, pad = 320, 40
    inner = size - 2 * pad

    def x(value: float) -> float:
        return pad + value * inner

    def y(value: float) -> float:
        return size - pad - value * inner

    most = max((item.n for item in table), default=1) or 1
    points = [item for item in table if item.n]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(item.mean_score):.1f},{y(item.spam_share):.1f}"
        for i, item in enumerate(points)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" font-family="sans-serif" font-size="11" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="#fff" '
        'stroke="#888"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#999" '
        'stroke-dasharray="4 3"/>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<text x="{x(tick):.1f}" y="{size - pad + 14}" '
                     f'text-anchor="middle">{tick:g}</text>')  # fmt: skip
        parts.append(f'<text x="{pad - 6}" y="{y(tick) + 4:.1f}" '
                     f'text-anchor="end">{tick:g}</text>')  # fmt: skip
    parts.append(f'<text x="{size / 2}" y="{size - 6}" text-anchor="middle">'
                 "mean score in the bin</text>")  # fmt: skip
    parts.append(f'<text x="12" y="{size / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {size / 2})">share that was spam</text>')  # fmt: skip
    parts.append(f'<text x="{size / 2}" y="{pad - 14}" text-anchor="middle" '
                 f'font-size="13">{escape(title)}</text>')  # fmt: skip
    if path:
        parts.append(f'<path d="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for item in points:
        radius = 3 + 6 * (item.n / most) ** 0.5
        parts.append(
            f'<circle cx="{x(item.mean_score):.1f}" cy="{y(item.spam_share):.1f}" '
            f'r="{radius:.1f}" fill="#1f5fa8" fill-opacity="0.6">'
            f"<title>{item.low:.1f}–{item.high:.1f}: {item.n} comments, "
            f"mean score {item.mean_score:.2f}, spam {item.spam_share:.2f}</title></circle>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
