"""Comments in and out: JSON Lines export, and the import of records read
from any export file (``import_formats.py`` reads ours, WordPress's and
Disqus's).

An imported comment keeps its time, author, approval state and the comment
it answers; its id is derived from its source and original id, so running an
import twice creates nothing new. Imported comments go straight to their
status (they are history, not news for the classifier). Replies to replies
become replies to the comment at the top of their chain (one level deep
here), and a reply whose comment was not imported or is not published stands
on its own. Export files are read with defusedxml: an export is data from
elsewhere.

Site and thread names follow the API's rules (a record naming one the API
would refuse is reported and skipped: such a name could address another
thread's keys), and characters XML 1.0 forbids are dropped from every text
field (they would make the feeds unreadable), the records changed counted.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

import redis

from moderation import sites, xmlchars
from moderation.articles import SLUG_MAX, is_slug
from moderation.store import (
    ANONYMOUS,
    Comment,
    CommentStore,
    created_at_of,
    is_comment_id,
    iso8601,
    stable_id,
)
from moderation.validation import AUTHOR_MAX, BODY_MAX, InvalidField, clean_email, clean_url

EXPORT_FIELDS = ("site", "id", "thread", "parent", "status", "author", "email", "url", "body",
                 "created_at", "updated_at", "score", "model_version", "rules",
                 "user_agent")  # fmt: skip


@dataclass
class Record:
    """One comment as read from a file, before it gets our id."""

    source_id: str  # its id where it comes from
    thread: str
    author: str
    email: str
    url: str
    body: str
    status: str
    created_at: float
    parent: str = ""  # the source id of the comment it answers
    user_agent: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # kept as is (JSON Lines)
    line: int = 0  # where it is in a JSON Lines file (0: not from one)

    @property
    def where(self) -> str:
        """How a report names it: its line, else its id in the export."""
        return f"line {self.line}" if self.line else f"comment {self.source_id!r}"


@dataclass
class Counts:
    created: int = 0
    existing: int = 0
    skipped: int = 0
    changed: int = 0  # imported with characters XML 1.0 forbids dropped
    problems: list[str] = field(default_factory=list)  # why each skipped record was

    def __str__(self) -> str:
        return (f"{self.created} comments imported, {self.existing} already there, "
                f"{self.skipped} skipped, {self.changed} changed (characters XML "
                "does not allow removed)")  # fmt: skip


def site_problem(site: object) -> str | None:
    """Why the API would refuse ``site`` as a site's name (None: it would not)."""
    if site == sites.DEFAULT or (isinstance(site, str) and sites.NAME.fullmatch(site)):
        return None
    return f"invalid site name {site!r} (lower-case letters, digits and '-', 63 at most)"


def thread_problem(site: str, thread: object) -> str | None:
    """Why the API would refuse ``thread`` on ``site`` (None: it would not): an
    article's slug on our own site, a registered site's thread id elsewhere.
    Neither lets ':', '{', '}' or '/' through, which would reach other keys."""
    if not isinstance(thread, str) or not thread:
        return "no thread"
    if site == sites.DEFAULT:
        if is_slug(thread):
            return None
        return (f"invalid thread name {thread!r} (an article's slug: lower-case letters, "
                f"digits and '-', {SLUG_MAX} at most)")  # fmt: skip
    if sites.THREAD_NAME.fullmatch(thread):
        return None
    return (f"invalid thread name {thread!r} (letters, digits, '.', '_', '~' and '-', "
            "128 at most)")  # fmt: skip


def by_site(
    records: Iterable[Record], site: str | None
) -> tuple[dict[str, list[Record]], list[str]]:
    """``records`` grouped by the site they go to: ``site``, else each record's
    own (JSON Lines), else the default site; with a report line for each left
    out because it names a site the API would refuse."""
    grouped: dict[str, list[Record]] = {}
    problems = []
    for record in records:
        name = site or record.extra.get("site") or sites.DEFAULT
        problem = site_problem(name)
        if problem:
            problems.append(f"{record.where}: skipped, {problem}")
        else:
            grouped.setdefault(name, []).append(record)
    return grouped, problems


# --- export ----------------------------------------------------------------


def export_jsonl(store: CommentStore, out: IO[str]) -> int:
    """Every comment of the store's site, oldest first, one JSON object a line."""
    count = 0
    ids = store.all_ids()
    agents = store.user_agents()  # one read, not one per comment
    for start in range(0, len(ids), 500):
        for comment in store.comments(ids[start : start + 500]):
            row = {name: getattr(comment, name, "") for name in EXPORT_FIELDS}
            row.update(created_at=iso8601(comment.created_at),
                       user_agent=agents.get(comment.agent, ""))  # fmt: skip
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


# --- import ----------------------------------------------------------------


def import_records(store: CommentStore, source: str, records: Iterable[Record]) -> Counts:
    """Store ``records`` (any order) in ``store``'s site; see the module's rules."""
    counts = Counts()
    ordered = sorted(records, key=lambda record: record.created_at)
    ours: dict[str, str] = {}  # source id -> our id
    top: dict[str, str] = {}  # our id -> the id of the top of its reply chain
    published: set[str] = set()
    for record in ordered:
        problem = thread_problem(store.site, record.thread)
        if problem:
            counts.skipped += 1
            counts.problems.append(f"{record.where}: skipped, {problem}")
            continue
        if drop_forbidden(record):
            counts.changed += 1
        body = record.body.strip()[:BODY_MAX]
        if not body:
            counts.skipped += 1
            counts.problems.append(f"{record.where}: skipped, no text")
            continue
        if source == "jsonl" and is_comment_id(record.source_id):
            comment_id = record.source_id
        else:
            key = f"{source}:{store.site}:{record.thread}:{record.source_id}"
            comment_id = stable_id(record.created_at, key)
        ours[record.source_id] = comment_id
        parent = ours.get(record.parent, "")
        parent = top.get(parent, parent)
        if parent and parent not in published:
            parent = ""
        top[comment_id] = parent or comment_id
        if record.status == "approved" and not parent:
            published.add(comment_id)
        comment = Comment(
            id=comment_id, site=store.site, thread=record.thread,
            author=one_line(record.author)[:AUTHOR_MAX] or ANONYMOUS,
            email=clean_or_blank_email(record.email),
            url=clean_or_blank_url(record.url), body=body, status=record.status,
            created_at=created_at_of(comment_id), parent=parent,
            score=record.extra.get("score", ""),
            model_version=record.extra.get("model_version", ""),
            rules=record.extra.get("rules", ""), updated_at=record.extra.get("updated_at", ""),
        )  # fmt: skip
        if store.restore(comment, user_agent=record.user_agent):
            counts.created += 1
        else:
            counts.existing += 1
    return counts


class UnknownSite(ValueError):
    """Records go to a site that is not registered."""


def import_by_site(
    client: redis.Redis, source: str, grouped: dict[str, list[Record]]
) -> Iterator[tuple[str, Counts]]:
    """Import each site's records (grouped by :func:`by_site`) in turn, giving
    each site's counts once it is done. Raises :class:`UnknownSite` on reaching
    a site not registered; the sites before it stay imported."""
    known = set(sites.SiteRegistry(client).names())
    for name, group in grouped.items():
        if name not in known:
            raise UnknownSite(f"unknown site {name!r}: add it with `moderation site add`")
        yield name, import_records(CommentStore(client, name), source, group)

def drop_forbidden(record: Record) -> bool:
    """Drop the characters XML 1.0 forbids from ``record``'s text; whether any were."""
    changed = False
    for name in ("source_id", "author", "email", "url", "body", "parent", "user_agent"):
        value = getattr(record, name)
        if isinstance(value, str) and xmlchars.first_forbidden(value) is not None:
            setattr(record, name, xmlchars.drop_forbidden(value))
            changed = True
    for name, value in record.extra.items():
        if xmlchars.first_forbidden(value) is not None:
            record.extra[name] = xmlchars.drop_forbidden(value)
            changed = True
    return changed
def one_line(text: str) -> str:
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())
def clean_or_blank_email(value: str) -> str:
    try:
        return clean_email(value)
    except InvalidField:
        return ""
def clean_or_blank_url(value: str) -> str:
    try:
        return clean_url(value)
    except InvalidField:
        return ""
