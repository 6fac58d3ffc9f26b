"""What the store reads and writes: a comment as a reader typed it, a stored
comment, a classifier's verdict, the outcome of a submission, and the
store's errors. Plain data: no Redis, no Flask."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from moderation.store.ids import created_at_of, iso8601
from moderation.store.layout import STATUSES as STATUSES  # the layout's, re-exported

# The name a published comment keeps when its author's is erased or was never given.
ANONYMOUS = "Anonyme"


@dataclass(frozen=True, slots=True)
class CommentInput:
    """A new comment's fields, already checked (``moderation/validation.py``)."""

    author: str
    email: str
    body: str
    url: str


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    site: str
    thread: str
    author: str
    email: str
    url: str
    body: str
    status: str
    created_at: float  # to the millisecond: read back from the id
    ip_hash: str = ""
    agent: str = ""  # digest of the user agent: CommentStore.user_agent() reads it
    score: str = ""
    model_version: str = ""
    rules: str = ""  # JSON: ["links", ...]
    updated_at: str = ""  # when the status last changed (epoch seconds, as text)
    parent: str = ""  # the comment this one answers (one level deep)

    def public(self) -> dict[str, str]:
        """What anyone may see of an approved comment: never the e-mail or IP."""
        return {
            "id": self.id,
            "thread": self.thread,
            "author": self.author,
            "url": self.url,
            "body": self.body,
            "created_at": iso8601(self.created_at),
        } | ({"parent": self.parent} if self.parent else {})

    @property
    def created(self) -> datetime:
        return datetime.fromtimestamp(self.created_at, UTC)

    @property
    def rules_list(self) -> list:
        return _json_list(self.rules)


def _json_list(value: str) -> list:
    try:
        parsed = json.loads(value) if value else []
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def comment_from(fields: dict[str, str], comment_id: str, site: str) -> Comment:
    """A comment from its hash; its key holds the id and site, and the id the
    creation time: none is stored twice (a comment costs less memory)."""
    known = Comment.__dataclass_fields__
    values = {name: value for name, value in fields.items() if name in known}
    values.setdefault("url", "")
    values.setdefault("email", "")  # erased after the retention period
    values.update(id=comment_id, site=site, created_at=created_at_of(comment_id))
    return Comment(**values)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the classifier worker decided for one comment."""

    status: str
    score: float | None
    model_version: str
    rules: list[str]

    def fields(self, now: float) -> list[str]:
        # No explanation here: moderation/explanations.py works it out when shown.
        pairs = {
            "score": "" if self.score is None else f"{self.score:.6f}",
            "model_version": self.model_version,
            "rules": json.dumps(self.rules),
            "classified_at": repr(now),
        }
        return [item for pair in pairs.items() for item in pair]


@dataclass(frozen=True, slots=True)
class Submission:
    """What :meth:`CommentStore.submit` did: ``saved`` (with the comment),
    ``trapped`` (dropped silently, with the traps), ``locked`` (too many wrong
    answers: ``retry_after`` seconds), ``closed`` (the thread takes no more),
    or the CAPTCHA outcome that refused it (``wrong``, ``used``, ``expired``,
    ``thread``)."""

    outcome: str
    comment: "Comment | None" = None
    traps: list[str] = field(default_factory=list)
    at: float = 0.0
    retry_after: int = 0
    edit_key: str = ""  # for the author's browser; the comment keeps its hash only


class InvalidParent(ValueError):
    """A reply to a comment that is unknown, unpublished, of another thread
    (``parent_not_found``) or itself a reply (``invalid_parent``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class CommentNotFound(LookupError):
    pass


class StatusConflict(RuntimeError):
    """The comment's status was not the one expected: someone else moved it."""

    def __init__(self, current: str) -> None:
        super().__init__(f"the comment is now {current!r}")
        self.current = current
