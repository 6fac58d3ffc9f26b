"""Route a scored comment: publish, hold for a moderator, or file as spam.

Three bands of the spam probability, plus rules that always ask a person.
The bands are those the model was trained with (chosen by cost, see
``classifiers/bands.py``) unless the operator sets ``SPAM_THRESHOLD`` or
``APPROVE_THRESHOLD``. The spam band hides a comment, so it is kept for
comments whose own words are spam: when only the links carry a comment
there and the links are of no spammer's kind (a newspaper, a public body,
a blog), it goes to a person instead (rule ``links_not_decisive``).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from classifiers.normalise import find_urls, normalise


@dataclass(frozen=True)
class Decision:
    status: str
    rules: list[str]


def load_blocklist(path: str | Path | None) -> frozenset[str]:
    """One word or phrase a line; blank lines and ``#`` comments ignored.
    Matching is on the normalised text (case, accents' forms, entities)."""
    if not path:
        return frozenset()
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(normalise(line))
    return frozenset(words)


# For a model that carries no bands of its own.
DEFAULT_BANDS = (0.9, 0.1)


@dataclass(frozen=True)
class Policy:
    spam_threshold: float | None = None  # the operator's choice, else the model's
    approve_threshold: float | None = None
    auto_approve: bool = False
    max_links: int = 2
    blocklist: frozenset[str] = field(default_factory=frozenset)
    known_authors: int = 0  # AUTO_APPROVE_KNOWN_AUTHORS: approved comments that earn trust

    def __post_init__(self) -> None:
        spam = 1.0 if self.spam_threshold is None else self.spam_threshold
        good = 0.0 if self.approve_threshold is None else self.approve_threshold
        if not (0 <= good <= 1 and 0 <= spam <= 1) or (
            self.spam_threshold is not None and self.approve_threshold is not None
            and not good < spam
        ):
            raise ValueError("need 0 ≤ approve threshold < spam threshold ≤ 1")

    def thresholds(self, bands: tuple[float, float] | None = None) -> tuple[float, float]:
        """(spam, likely good): the operator's where set, else the model's."""
        spam, good = bands or DEFAULT_BANDS
        if self.spam_threshold is not None:
            spam = self.spam_threshold
        if self.approve_threshold is not None:
            good = self.approve_threshold
        return spam, min(good, spam - 0.001)

    def rules(self, body: str) -> list[str]:
        """The rules that send this text to a person whatever its score."""
        fired = []
        if len(find_urls(body)) > self.max_links:
            fired.append("too_many_links")
        if self.blocklist:
            text = f" {normalise(body)} "
            for entry in self.blocklist:
                if re.search(rf"(?<!\w){re.escape(entry)}(?!\w)", text):
                    fired.append("blocklist")
                    break
        return fired

    def decide(
        self,
        score: float | None,
        body: str,
        bands: tuple[float, float] | None = None,
        text_score: float | None = None,
    ) -> Decision:
        """``text_score``: the score of the text with its links taken out, when
        the links are of a kind that should not decide the spam band alone."""
        if score is None:
            return Decision("review", ["unscored", *self.rules(body)])
        spam_at, good_at = self.thresholds(bands)
        fired = self.rules(body)
        if score >= spam_at:
            if text_score is not None and text_score < spam_at:
                return Decision("review", [*fired, "links_not_decisive"])
            return Decision("spam", fired)
        if fired:
            return Decision("review", fired)
        if score <= good_at:
            if self.auto_approve:
                return Decision("approved", [])
            return Decision("review", ["likely_good"])
        return Decision("review", [])

    def for_author(self, decision: Decision, mark: str, *, approved: int = 0,
                   refused: int = 0) -> Decision:  # fmt: skip
        """The route once the author is taken into account: a blocked author's
        comment goes to spam (silently: the author is told nothing new); a
        trusted one's skips review when the classifier found it likely good
        and no rule asked for a person. ``approved``/``refused``: the author's
        recent comments, which earn trust when ``known_authors`` is set."""
        if mark == "blocked":
            return Decision("spam", [*decision.rules, "author_blocked"])
        earned = self.known_authors > 0 and approved >= self.known_authors and refused == 0
        if (mark == "trusted" or earned) and decision.rules == ["likely_good"]:
            return Decision("approved", ["author_trusted"])
        return decision
