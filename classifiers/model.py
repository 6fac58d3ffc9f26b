"""The spam classifier: hashed features + logistic regression by SGD.

Follows scikit-learn's conventions: ``__init__`` only stores parameters,
``fit`` returns ``self``, learned attributes end in ``_``. Labels are 1 for
spam and 0 for ham.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.class_weight import compute_sample_weight

from classifiers import calibration
from classifiers.features import FeatureSettings, Featuriser
from classifiers.sample import Sample

CLASSES = np.array([0, 1])
HISTORY_WEIGHT = 1.0  # log-odds per unit of Sample.link_history
HISTORY_LABEL = "this site's past decisions on these links"


@dataclass(frozen=True, slots=True)
class Contribution:
    """How much one feature pushed this comment's score (log-odds)."""

    feature: str
    kind: str  # "text", "phrase" or "signal"
    weight: float
    signal: str = ""  # a signal's name in features.META ("length", …)
    above: bool | None = None  # a signal above the average comment's value (relative.py)


def as_samples(X: Sequence[Sample | str]) -> list[Sample]:  # noqa: N803 - scikit-learn's name
    return [Sample.of(value) for value in X]


class SpamClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over hashed n-grams and form signals, calibrated.

    ``fit`` solves it exactly (liblinear, deterministic), then calibrates its
    margins with a sigmoid fitted on ``cv``-fold out-of-fold margins (0: no
    calibration); the calibrated out-of-fold probabilities stay in
    ``oof_proba_`` for choosing thresholds. ``partial_fit`` goes on learning
    from there by SGD on the same log loss, so moderators' decisions refine
    the model without a full retraining.
    """

    def __init__(
        self,
        C: float = 100.0,  # noqa: N803 - scikit-learn's name
        max_iter: int = 1000,
        char_ngram_range: tuple[int, int] = (3, 5),
        word_ngram_range: tuple[int, int] = (1, 2),
        n_char_features: int = 2**20,
        n_word_features: int = 2**18,
        balanced: bool = True,
        cv: int = 5,
        random_state: int | None = 0,
    ) -> None:
        self.C = C
        self.max_iter = max_iter
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.n_char_features = n_char_features
        self.n_word_features = n_word_features
        self.balanced = balanced
        self.cv = cv
        self.random_state = random_state

    # -- scikit-learn API -------------------------------------------------

    def fit(
        self,
        X: Sequence[Sample | str],  # noqa: N803
        y: Sequence[int],
        sample_weight: Sequence[float] | None = None,
    ) -> "SpamClassifier":
        """``sample_weight``: how much each example counts (on top of the class
        balance); the calibration counts every example once."""
        labels = np.asarray(y, dtype=np.int64)
        weight = np.ones(len(labels)) if sample_weight is None else np.asarray(
            sample_weight, dtype=np.float64)  # fmt: skip
        matrix = self._featuriser().transform(as_samples(X))
        margins = np.zeros(len(labels))
        folds = min(self.cv, int(np.bincount(labels, minlength=2).min()))
        if folds >= 2:
            split = StratifiedKFold(folds, shuffle=True, random_state=self.random_state or 0)
            for learn, held in split.split(matrix, labels):
                part = self._exact(matrix[learn], labels[learn], weight[learn])
                margins[held] = part.decision_function(matrix[held])
            self.calibration_ = calibration.fit_sigmoid(margins, labels)
            self.oof_proba_ = calibration.apply(margins, self.calibration_)
        else:
            self.calibration_ = calibration.IDENTITY
        exact = self._exact(matrix, labels, weight)
        # The same model as an SGD learner, ready for partial_fit. Its step
        # size decays with t_: start it as if it had seen every example
        # max_iter times, so new examples nudge rather than overwrite.
        self.sgd_ = self._new_sgd(n_samples=len(labels))
        self.sgd_.coef_ = exact.coef_.copy()
        self.sgd_.intercept_ = exact.intercept_.copy()
        self.sgd_.classes_ = exact.classes_
        self.sgd_.t_ = float(len(labels) * 10)
        self.sgd_.n_features_in_ = matrix.shape[1]
        self._learned()
        return self

    def _exact(self, matrix: object, labels: np.ndarray, weight: np.ndarray
               ) -> LogisticRegression:  # fmt: skip
        weights = weight * (compute_sample_weight("balanced", labels) if self.balanced else 1.0)
        exact = LogisticRegression(
            C=self.C, max_iter=self.max_iter, solver="liblinear", random_state=self.random_state
        )
        return exact.fit(matrix, labels, sample_weight=weights)

    def partial_fit(
        self,
        X: Sequence[Sample | str],  # noqa: N803
        y: Sequence[int],
        classes: Sequence[int] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> "SpamClassifier":
        """One more pass over new examples: how moderators' decisions are learnt."""
        labels = np.asarray(y, dtype=np.int64)
        matrix = self._featuriser().transform(as_samples(X))
        if not hasattr(self, "sgd_"):
            self.sgd_ = self._new_sgd(n_samples=len(labels))
            self.calibration_ = calibration.IDENTITY
        self.sgd_.partial_fit(
            matrix, labels, classes=CLASSES if classes is None else classes,
            sample_weight=sample_weight,
        )  # fmt: skip
        self._learned()
        return self

    def decision_function(self, X: Sequence[Sample | str]) -> np.ndarray:  # noqa: N803
        samples = as_samples(X)
        return self._margin(self.featuriser_.transform(samples), samples)

    def predict_proba(self, X: Sequence[Sample | str]) -> np.ndarray:  # noqa: N803
        """Column 1 is the calibrated probability of spam."""
        samples = as_samples(X)
        return self._proba(self.featuriser_.transform(samples), samples)

    def _margin(self, matrix: object, samples: Sequence[Sample]) -> np.ndarray:
        """The learnt margin, plus what moderators' decisions on the links'
        domains say (a fixed weight: training files carry no such history)."""
        margin = self.sgd_.decision_function(matrix)
        history = np.fromiter((s.link_history for s in samples), dtype=np.float64,
                              count=len(samples))  # fmt: skip
        return margin + HISTORY_WEIGHT * history

    def _proba(self, matrix: object, samples: Sequence[Sample]) -> np.ndarray:
        spam = calibration.apply(self._margin(matrix, samples), self.calibration_)
        return np.column_stack([1.0 - spam, spam])

    def predict(self, X: Sequence[Sample | str]) -> np.ndarray:  # noqa: N803
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

    # -- explanations -----------------------------------------------------

    def explain(self, sample: Sample | str, top: int = 8) -> list[Contribution]:
        """The features that moved this comment's score most, strongest first.

        Character n-grams are summed into the words they come from, so the
        list reads « casino +1.9 », « number of links +0.8 », never a hash.
        """
        sample = Sample.of(sample)
        return self._ranked(sample, self.featuriser_.transform([sample]), top)

    def score_and_explain(
        self, samples: Sequence[Sample], top: int = 8
    ) -> tuple[np.ndarray, list[list[Contribution]]]:
        """Spam probabilities and explanations from one featurisation of the batch."""
        matrix = self.featuriser_.transform(samples)
        scores = self._proba(matrix, samples)[:, 1]
        return scores, [self._ranked(s, matrix[i], top) for i, s in enumerate(samples)]

    def _ranked(self, sample: Sample, row: object, top: int) -> list[Contribution]:
        totals = self.featuriser_.contributions(sample, row, self.sgd_.coef_[0])
        if sample.link_history:
            totals[(HISTORY_LABEL, "signal")] = HISTORY_WEIGHT * sample.link_history
        ranked = sorted(totals.items(), key=lambda item: abs(item[1]), reverse=True)
        return [
            Contribution(feature=name, kind=kind, weight=round(float(weight), 4))
            for (name, kind), weight in ranked[:top]
            if abs(weight) >= 1e-4
        ]

    # -- internals --------------------------------------------------------

    @property
    def settings_(self) -> FeatureSettings:
        return FeatureSettings(
            char_ngram_range=tuple(self.char_ngram_range),
            word_ngram_range=tuple(self.word_ngram_range),
            n_char_features=self.n_char_features,
            n_word_features=self.n_word_features,
        )

    def _featuriser(self) -> Featuriser:
        featuriser = getattr(self, "featuriser_", None)
        if featuriser is None or featuriser.settings != self.settings_:
            featuriser = Featuriser(self.settings_)
        self.featuriser_ = featuriser
        return featuriser

    def _new_sgd(self, n_samples: int) -> SGDClassifier:
        # alpha = 1 / (C n) is the same L2 penalty as LogisticRegression's C.
        return SGDClassifier(
            loss="log_loss", penalty="l2", alpha=1.0 / (self.C * max(n_samples, 1)),
            random_state=self.random_state,
        )  # fmt: skip

    def _learned(self) -> None:
        self.classes_ = self.sgd_.classes_
        self.n_features_ = self.sgd_.coef_.shape[1]
