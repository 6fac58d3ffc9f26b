"""Figures for a model on labelled examples."""

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix, roc_auc_score


def scores(labels: Sequence[int], spam_probability: Sequence[float], threshold: float = 0.5
           ) -> dict[str, float | int | None]:  # fmt: skip
    """Counts and rates with spam predicted at ``probability >= threshold``."""
    truth = np.asarray(labels, dtype=np.int64)
    probability = np.asarray(spam_probability, dtype=np.float64)
    predicted = (probability >= threshold).astype(np.int64)
    tn, fp, fn, tp = (
        int(value) for value in confusion_matrix(truth, predicted, labels=[0, 1]).ravel()
    )
    n = len(truth)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    both_classes = len(set(truth.tolist())) == 2
    return {
        "n": n,
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "accuracy": round((tp + tn) / n, 4) if n else 0.0,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "mcc": round(_mcc(tp, fp, tn, fn), 4),
        "roc_auc": round(float(roc_auc_score(truth, probability)), 4) if both_classes else None,
        "ham_flagged": round(fp / (fp + tn), 4) if fp + tn else 0.0,
        "threshold": threshold,
    }


def _mcc(tp: int, fp: int, tn: int, fn: int) -> float:
    """Matthews correlation from the counts; 0 when a margin is empty (one
    class only, as in a small slice), as scikit-learn defines it."""
    denominator = float((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator**0.5 if denominator else 0.0
