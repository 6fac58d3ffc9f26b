"""What ``moderation evaluate --report`` prints: the figures, how far the
scores can be trusted as probabilities, the figures per kind of comment, and
the mistakes the model was surest of, with their reasons."""

from collections.abc import Sequence
from typing import Any

import numpy as np

from classifiers import calibration, slices
from classifiers.evaluation import scores
from classifiers.model import SpamClassifier
from classifiers.readers import Example

MISTAKES = 10


def probabilities(model: SpamClassifier, examples: Sequence[Example]) -> np.ndarray:
    return model.predict_proba([example.sample for example in examples])[:, 1]


def band_figures(labels: np.ndarray, probability: np.ndarray, bands: tuple[float, float]
                 ) -> dict[str, Any]:  # fmt: skip
    """Where the examples fall: ham and spam in the spam band and the likely-good band."""
    spam_at, good_at = bands
    ham, spam = probability[labels == 0], probability[labels == 1]
    return {
        "spam": spam_at,
        "likely_good": good_at,
        "ham_in_spam_band": int((ham >= spam_at).sum()),
        "ham_in_spam_band_share": round(float((ham >= spam_at).mean()), 4) if len(ham) else 0.0,
        "spam_in_spam_band": int((spam >= spam_at).sum()),
        "spam_in_good_band": int((spam <= good_at).sum()),
        "ham_in_good_band": int((ham <= good_at).sum()),
        "n_ham": int(len(ham)),
        "n_spam": int(len(spam)),
    }


def build(
    model: SpamClassifier,
    examples: Sequence[Example],
    *,
    threshold: float = 0.5,
    bands: tuple[float, float] | None = None,
    mistakes: int = MISTAKES,
) -> dict[str, Any]:
    """Figures at ``threshold`` overall (top level) and per slice, the
    reliability table, the bands' split and the surest mistakes."""
    probability = probabilities(model, examples)
    labels = np.array([example.label for example in examples], dtype=np.int64)
    sliced = slices.report(examples, probability, threshold)
    table = calibration.reliability(labels, probability)
    document: dict[str, Any] = {
        **scores(labels, probability, threshold),
        "slices": sliced["slices"],
        "reliability": [calibration.as_dict(item) for item in table],
        "calibration_error": round(calibration.expected_calibration_error(table), 4),
    }
    if bands:
        document["bands"] = band_figures(labels, probability, bands)
    if mistakes:
        wrong = np.flatnonzero((probability >= threshold) != (labels == 1))
        surest = wrong[np.argsort(-np.abs(probability[wrong] - threshold))][:mistakes]
        document["mistakes"] = [
            {
                "label": "spam" if labels[i] else "ham",
                "score": round(float(probability[i]), 4),
                "body": examples[i].sample.body,
                "source": examples[i].source,
                "reasons": [
                    {"feature": item.feature, "kind": item.kind, "weight": item.weight}
                    for item in model.explain(examples[i].sample, top=5)
                ],
            }
            for i in surest.tolist()
        ]
    return document


def as_text(document: dict[str, Any]) -> str:
    """The report for a person at a terminal."""
    lines = ["figures (spam at score ≥ {:g})".format(document["threshold"])]
    for key in ("n", "tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "f1", "mcc",
                "roc_auc", "ham_flagged"):  # fmt: skip
        lines.append(f"  {key:>12}  {document[key]}")
    if "bands" in document:
        b = document["bands"]
        lines += [
            "", f"bands of the model: spam ≥ {b['spam']:g}, likely good ≤ {b['likely_good']:g}",
            f"  legitimate filed as spam    {b['ham_in_spam_band']} of {b['n_ham']}",
            f"  spam filed as spam          {b['spam_in_spam_band']} of {b['n_spam']}",
            f"  spam marked likely good     {b['spam_in_good_band']} of {b['n_spam']}",
            f"  legitimate marked good      {b['ham_in_good_band']} of {b['n_ham']}",
        ]
    lines += ["", "reliability (a calibrated model's mean score matches the share of spam)",
              "  scores      comments  mean score  spam share"]  # fmt: skip
    for item in document["reliability"]:
        if item["n"]:
            lines.append(f"  {item['low']:.1f}–{item['high']:.1f}   {item['n']:>8}  "
                         f"{item['mean_score']:>10.3f}  {item['spam_share']:>10.3f}")  # fmt: skip
    lines.append(f"  expected calibration error {document['calibration_error']:.3f}")
    lines += ["", "per slice", f"  {'slice':<44} {'n':>5} {'acc':>6} {'f1':>6} "
              f"{'ham flagged':>11} {'auc':>6}"]  # fmt: skip
    for dimension, groups in document["slices"].items():
        for group, figures in groups.items():
            auc = "—" if figures["roc_auc"] is None else f"{figures['roc_auc']:.3f}"
            # F1 is about spam: a slice without any says nothing through it.
            f1 = f"{figures['f1']:>6.3f}" if figures["tp"] + figures["fn"] else "     —"
            lines.append(
                f"  {dimension + ' = ' + group:<44} {figures['n']:>5} "
                f"{figures['accuracy']:>6.3f} {f1} "
                f"{figures['fp']:>4} ({figures['ham_flagged']:>5.1%}) {auc:>6}"
            )
    if document.get("mistakes"):
        lines += ["", "the surest mistakes"]
        for item in document["mistakes"]:
            body = " ".join(item["body"].split())
            body = body if len(body) <= 110 else body[:109] + "…"
            reasons = ", ".join(f"{r['feature']} {r['weight']:+.2f}" for r in item["reasons"])
            lines += [f"  {item['score']:.3f}  really {item['label']}: {body}",
                      f"         because: {reasons}"]  # fmt: skip
    return "\n".join(lines)
