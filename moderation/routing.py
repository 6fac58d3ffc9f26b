"""The second look before the spam band: a comment that scores there only
because of its links, when the links are of no spammer's kind (a newspaper,
a public body, a blog), is scored again on its words alone; the policy then
sends it to a person instead of hiding it."""

from collections.abc import Sequence

from classifiers.links import links_in, may_decide, without_links
from classifiers.model import SpamClassifier
from classifiers.sample import Sample


def text_scores(model: SpamClassifier, samples: Sequence[Sample], scores: Sequence[float],
                spam_at: float) -> list[float | None]:  # fmt: skip
    """The score of the words alone for comments at or above ``spam_at`` whose
    links may not decide it (see ``links.may_decide``); None for the others."""
    again = [
        index for index, (sample, score) in enumerate(zip(samples, scores, strict=True))
        if score >= spam_at and (found := links_in(sample.body))
        and not may_decide(found, sample.body, sample.link_history)
    ]  # fmt: skip
    texts: list[float | None] = [None] * len(samples)
    if again:
        bare = [Sample(without_links(samples[i].body), samples[i].author, samples[i].email,
                       samples[i].url) for i in again]  # fmt: skip
        for index, text in zip(again, model.predict_proba(bare)[:, 1], strict=True):
            texts[index] = float(text)
    return texts
