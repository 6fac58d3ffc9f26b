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
from sklearn.utils.class_weight import compute_sample_weight

from classifiers.features import FeatureSettings, Featuriser
from classifiers.sample import Sample

CLASSES = np.array([0, 1])


@dataclass(frozen=True, slots=True)
class Contribution:
    """How much one feature pushed this comment's score (log-odds)."""

    feature: str
    kind: str  # "text", "phrase" or "signal"
    weight: float


def as_samples(X: Sequence[Sample | str]) -> list[Sample]:  # noqa: N803 - scikit-learn's name
    return [Sample.of(value) for value in X]


class SpamClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over hashed n-grams and form signals.

    ``fit`` solves it exactly (liblinear, deterministic); ``partial_fit`` goes on
    learning from there by SGD on the same log loss, so moderators' decisions
    refine the model without a full retraining.
    """

    def __init__(
        self,
        C: float = 100.0,  # noqa: N803 - scikit-learn's name
        max_iter: int = 1000,
        char_ngram_range: tuple[int, int] = (2, 5),
        word_ngram_range: tuple[int, int] = (1, 2),
        n_char_features: int = 2**20,
        n_word_features: int = 2**18,
        balanced: bool = True,
        random_state: int | None = 0,
    ) -> None:
        self.C = C
        self.max_iter = max_iter
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.n_char_features = n_char_features
        self.n_word_features = n_word_features
        self.balanced = balanced
        self.random_state = random_state

    # -- scikit-learn API -------------------------------------------------

    def fit(self, X: Sequence[Sample | str], y: Sequence[int]) -> "SpamClassifier":  # noqa: N803
        labels = np.asarray(y, dtype=np.int64)
        matrix = self._featuriser().transform(as_samples(X))
        weights = compute_sample_weight("balanced", labels) if self.balanced else None
        exact = LogisticRegression(
            C=self.C, max_iter=self.max_iter, solver="liblinear", random_state=self.random_state
        )
        exact.fit(matrix, labels, sample_weight=weights)
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
        self.sgd_.partial_fit(
            matrix, labels, classes=CLASSES if classes is None else classes,
            sample_weight=sample_weight,
        )  # fmt: skip
        self._learned()
        return self

    def decision_function(self, X: Sequence[Sample | str]) -> np.ndarray:  # noqa: N803
        return self.sgd_.decision_function(self.featuriser_.transform(as_samples(X)))

    def predict_proba(self, X: Sequence[Sample | str]) -> np.ndarray:  # noqa: N803
        """Column 1 is the probability of spam."""
        return self.sgd_.predict_proba(self.featuriser_.transform(as_samples(X)))

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
        scores = self.sgd_.predict_proba(matrix)[:, 1]
        return scores, [self._ranked(s, matrix[i], top) for i, s in enumerate(samples)]

    def _ranked(self, sample: Sample, row: object, top: int) -> list[Contribution]:
        totals = self.featuriser_.contributions(sample, row, self.sgd_.coef_[0])
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
