"""Why a comment got its score, worked out when a moderator looks at it.

The worker stores only the score and the model version: explaining every
comment as it is classified cost two thirds of the worker's time, for lists
mostly never opened. The same model version gives the same explanation later.
"""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.model import Contribution, SpamClassifier
from classifiers.persistence import ModelFileError
from classifiers.relative import Baseline, baseline, reference_samples, relative_reasons
from classifiers.sample import Sample
from moderation.models import ModelRegistry, NoModel
from moderation.store import Comment

Explanation = list[tuple[str, str, float]]  # (feature, kind, weight), strongest first


@dataclass(frozen=True)
class Why:
    """Why a comment scored as it did, against an average comment: ``raised``
    when its score went up from the average one's, and the reasons that did it."""

    raised: bool
    reasons: list[Contribution]


class Explainer:
    """Explains comments with the model version that scored each of them,
    keeping the ``keep`` versions used last in memory."""

    def __init__(self, registry: ModelRegistry, *, top: int = 8, keep: int = 2) -> None:
        self.registry = registry
        self.top = top
        self.keep = keep
        self._models: OrderedDict[str, SpamClassifier | None] = OrderedDict()
        self._baselines: dict[str, Baseline] = {}

    def model(self, version: str) -> SpamClassifier | None:
        """The model of ``version``, or None once it has been deleted."""
        if version in self._models:
            self._models.move_to_end(version)
            return self._models[version]
        try:
            model: SpamClassifier | None = self.registry.load(version)[0]
        except (NoModel, ModelFileError):  # deleted, or of a format gone since
            model = None
        self._models[version] = model
        while len(self._models) > self.keep:
            gone, _model = self._models.popitem(last=False)
            self._baselines.pop(gone, None)
        return model

    def why(self, comments: Sequence[Comment], top: int = 5) -> dict[str, Why]:
        """For each scored comment, the ``top`` features that moved its score
        most away from an average comment's, in the direction it went."""
        by_version: dict[str, list[Comment]] = {}
        for comment in comments:
            if comment.score and comment.model_version:
                by_version.setdefault(comment.model_version, []).append(comment)
        found: dict[str, Why] = {}
        for version, batch in by_version.items():
            model = self.model(version)
            if model is None:
                continue
            if version not in self._baselines:  # the average comment, once per version
                self._baselines[version] = baseline(model, reference_samples())
            base = self._baselines[version]
            samples = [Sample(body=c.body, author=c.author, email=c.email, url=c.url)
                       for c in batch]  # fmt: skip
            for comment, reasons in zip(batch, relative_reasons(model, samples, base, top),
                                        strict=True):  # fmt: skip
                raised = bool(reasons) and reasons[0].weight > 0
                found[comment.id] = Why(raised=raised, reasons=reasons)
        return found

    def explain(self, comments: Sequence[Comment]) -> dict[str, Explanation]:
        """Explanations by comment id, for the comments that were scored."""
        explained: dict[str, Explanation] = {}
        for comment in comments:
            if not comment.score or not comment.model_version:
                continue
            model = self.model(comment.model_version)
            if model is None:
                continue
            sample = Sample(body=comment.body, author=comment.author,
                            email=comment.email, url=comment.url)  # fmt: skip
            explained[comment.id] = [
                (item.feature, item.kind, item.weight)
                for item in model.explain(sample, top=self.top)
            ]
        return explained
