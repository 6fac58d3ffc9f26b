"""What the classifier sees of a comment: the fields a comment form gives,
and what the service has learnt of the comment's links."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sample:
    body: str
    author: str = ""
    email: str = ""
    url: str = ""
    # Evidence (log-odds) from moderators' past decisions on comments linking
    # to the same domains on the same site: > 0 spam, < 0 legitimate. See
    # links.history_evidence; 0 when nothing is known (every training file).
    link_history: float = 0.0

    @classmethod
    def of(cls, value: "Sample | str") -> "Sample":
        return value if isinstance(value, Sample) else cls(body=str(value))
