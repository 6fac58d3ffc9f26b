"""What the classifier sees of a comment: the fields a comment form gives."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sample:
    body: str
    author: str = ""
    email: str = ""
    url: str = ""

    @classmethod
    def of(cls, value: "Sample | str") -> "Sample":
        return value if isinstance(value, Sample) else cls(body=str(value))
