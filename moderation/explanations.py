"""Why a comment got its score, worked out when a moderator looks at it.

The worker stores only the score and the model version: explaining every
comment as it is classified cost two thirds of the worker's time, for lists
mostly never opened. The same model version gives the same explanation later.
"""

from collections import OrderedDict
from collections.abc import Sequence

from classifiers.model import SpamClassifier
from classifiers.persistence import ModelFileError
from classifiers.sample import Sample
from moderation.models import ModelRegistry, NoModel
from moderation.store import Comment

Explanation = list[tuple[str, str, float]]  # (feature, kind, weight), strongest first


class Explainer:
    """Explains comments with the model version that scored each of them,
    keeping the ``keep`` versions used last in memory."""

    def __init__(self, registry: ModelRegistry, *, top: int = 8, keep: int = 2) -> None:
        self.registry = registry
        self.top = top
        self.keep = keep
        self._models: OrderedDict[str, SpamClassifier | None] = OrderedDict()

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
            self._models.popitem(last=False)
        return model

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
