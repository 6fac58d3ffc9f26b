"""Moderators' decisions as labelled examples for the classifier.

Approve → ham, spam → spam; a rejection is not spam (off-topic, rude) and is
kept apart. Each example is a stream entry holding the comment's fields at
decision time, so it survives a later purge of the comment.
"""

from dataclasses import dataclass

import redis

from classifiers.readers import Example
from classifiers.sample import Sample
from moderation.keys import SiteKeys

LABELS = {"approved": 0, "spam": 1}


@dataclass(frozen=True)
class FeedbackEntry:
    entry_id: str
    comment_id: str
    label: int
    sample: Sample


def feedback_key(site: str = "default") -> str:
    return f"feedback:{SiteKeys(site).tag}"


def record(
    client: redis.Redis | redis.client.Pipeline, site: str, comment_id: str, status: str,
    fields: dict[str, str],
) -> bool:  # fmt: skip
    """Add a labelled example if ``status`` teaches something; returns whether it did."""
    if status not in LABELS:
        return False
    client.xadd(feedback_key(site), {
        "comment": comment_id, "label": LABELS[status], "body": fields.get("body", ""),
        "author": fields.get("author", ""), "email": fields.get("email", ""),
        "url": fields.get("url", ""),
    })  # fmt: skip
    return True


def read(client: redis.Redis, site: str = "default", after: str = "0-0") -> list[FeedbackEntry]:
    """Examples recorded after entry id ``after``; the last decision on a comment wins."""
    latest: dict[str, FeedbackEntry] = {}
    for entry_id, fields in client.xrange(feedback_key(site), min=f"({after}", max="+"):
        sample = Sample(fields.get("body", ""), fields.get("author", ""),
                        fields.get("email", ""), fields.get("url", ""))  # fmt: skip
        latest[fields["comment"]] = FeedbackEntry(
            entry_id, fields["comment"], int(fields["label"]), sample
        )
    return sorted(latest.values(), key=lambda entry: entry.entry_id)


def as_examples(entries: list[FeedbackEntry]) -> list[Example]:
    return [Example(entry.sample, entry.label, "decisions") for entry in entries]
