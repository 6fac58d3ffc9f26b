"""Moderators' decisions as labelled examples for the classifier.

``CommentStore.decide`` appends one entry per decision to ``feedback:{site}``
holding the comment's fields at that moment (so the example survives a later
purge) and a label: ``0`` approved (ham), ``1`` spam, ``rejected`` (off-topic
or rude is not spam: kept apart, never learnt as either class) or empty (sent
back to review: the earlier label is withdrawn), and the version of the
model that scored it (none: an imported comment, never scored).
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
    site: str = "default"
    origin: str = "live"  # or "imported": the comment was never scored


def cursors(recorded: object) -> dict[str, str]:
    """Where learning stopped, per site, as a model's metadata recorded it
    (older models kept one entry id, of the default site)."""
    if isinstance(recorded, str):
        return {"default": recorded}
    if isinstance(recorded, dict):
        return {str(site): str(entry) for site, entry in recorded.items()}
    return {}


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
        origin = "live" if fields.get("model_version") else "imported"
        latest[fields["comment"]] = FeedbackEntry(entry_id, fields["comment"], int(label), sample,
                                                  site, origin)  # fmt: skip
    kept = [entry for entry in latest.values() if entry is not None]
    return sorted(kept, key=lambda entry: entry.entry_id)


def last_entry_id(client: redis.Redis, site: str = "default") -> str | None:
    entries = client.xrevrange(SiteKeys(site).feedback, count=1)
    return entries[0][0] if entries else None


def as_examples(entries: list[FeedbackEntry]) -> list[Example]:
    return [Example(entry.sample, entry.label, "decisions", site=entry.site, origin=entry.origin)
            for entry in entries]  # fmt: skip
