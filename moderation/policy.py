"""Route a scored comment: publish, hold for a moderator, or file as spam.

Three bands of the spam probability, plus rules that always ask a person.
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


@dataclass(frozen=True)
class Policy:
    spam_threshold: float = 0.9
    approve_threshold: float = 0.1
    auto_approve: bool = False
    max_links: int = 2
    blocklist: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 0 <= self.approve_threshold < self.spam_threshold <= 1:
            raise ValueError("need 0 ≤ approve threshold < spam threshold ≤ 1")

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

    def decide(self, score: float | None, body: str) -> Decision:
        if score is None:
            return Decision("review", ["unscored", *self.rules(body)])
        fired = self.rules(body)
        if score >= self.spam_threshold:
            return Decision("spam", fired)
        if fired:
            return Decision("review", fired)
        if score <= self.approve_threshold:
            if self.auto_approve:
                return Decision("approved", [])
            return Decision("review", ["likely_good"])
        return Decision("review", [])
