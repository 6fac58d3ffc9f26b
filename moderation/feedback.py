"""Moderators' decisions as labelled examples for the classifier.

``CommentStore.decide`` appends one entry per decision to ``feedback:{site}``
holding the comment's fields at that moment (so the example survives a later
purge) and a label: ``0`` approved (ham), ``1`` spam, ``rejected`` (off-topic
or rude is not spam: kept apart, never learnt as either class) or empty (sent
back to review: the earlier label is withdrawn).
"""

from dataclasses import dataclass

import redis

from classifiers.readers import Example
from classifiers.sample import Sample
from moderation.keys import SiteKeys


@dataclass(frozen=True)
class FeedbackEntry:
    entry_id: str
    comment_id: str
    label: int
    sample: Sample


def read(client: redis.Redis, site: str = "default", after: str = "0-0") -> list[FeedbackEntry]:
    """Labelled examples decided after entry ``after``; a comment's last decision wins."""
    latest: dict[str, FeedbackEntry | None] = {}
    for entry_id, fields in client.xrange(SiteKeys(site).feedback, min=f"({after}", max="+"):
        label = fields.get("label", "")
        if label not in {"0", "1"}:
            latest[fields["comment"]] = None  # rejected, or withdrawn by an undo
            continue
        sample = Sample(fields.get("body", ""), fields.get("author", ""),
                        fields.get("email", ""), fields.get("url", ""))  # fmt: skip
        latest[fields["comment"]] = FeedbackEntry(entry_id, fields["comment"], int(label), sample)
    kept = [entry for entry in latest.values() if entry is not None]
    return sorted(kept, key=lambda entry: entry.entry_id)


def last_entry_id(client: redis.Redis, site: str = "default") -> str | None:
    entries = client.xrevrange(SiteKeys(site).feedback, count=1)
    return entries[0][0] if entries else None


def as_examples(entries: list[FeedbackEntry]) -> list[Example]:
    return [Example(entry.sample, entry.label, "decisions") for entry in entries]
