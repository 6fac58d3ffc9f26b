"""Comments in and out: JSON Lines export, and the import of records read
from any export file (:mod:`moderation.imports` reads ours and the other
systems').

An imported comment keeps its time, author, approval state and the comment
it answers; its id is derived from its source and original id, so running an
import twice creates nothing new. Imported comments go straight to their
status (they are history, not news for the classifier). Replies to replies
become replies to the comment at the top of their chain (one level deep
here). A parent is found through the source's own ids only (a record without
one can be no one's parent); a reply whose comment was not imported, is in
another thread (a warning says so) or is not published stands on its own.

Site and thread names follow the API's rules (a record naming one the API
would refuse is reported and skipped: such a name could address another
thread's keys), and characters XML 1.0 forbids are dropped from every text
field (they would make the feeds unreadable), the records changed counted.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

import redis

from moderation import sites, thread_urls, xmlchars
from moderation.articles import SLUG_MAX, is_slug
from moderation.authors import Authors
from moderation.imports.records import Record, Skip
from moderation.imports.summary import Summary
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
                 "user_agent", "thread_url")  # fmt: skip


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
) -> tuple[dict[str, list[Record]], list[Skip]]:
    """``records`` grouped by the site they go to: ``site``, else each record's
    own (JSON Lines), else the default site; with a :class:`Skip` for each left
    out because it names a site the API would refuse."""
    grouped: dict[str, list[Record]] = {}
    skips = []
    for record in records:
        name = site or record.extra.get("site") or sites.DEFAULT
        problem = site_problem(name)
        if problem:
            skips.append(Skip(record.where, "invalid_site", problem))
        else:
            grouped.setdefault(name, []).append(record)
    return grouped, skips


# --- export ----------------------------------------------------------------


def export_jsonl(store: CommentStore, out: IO[str]) -> int:
    """Every comment of the store's site, oldest first, one JSON object a line."""
    count = 0
    ids = store.all_ids()
    agents = store.user_agents()  # one read, not one per comment
    pages = thread_urls.ThreadUrls(store.client, store.site).all()
    for start in range(0, len(ids), 500):
        for comment in store.comments(ids[start : start + 500]):
            row = {name: getattr(comment, name, "") for name in EXPORT_FIELDS}
            row.update(created_at=iso8601(comment.created_at),
                       user_agent=agents.get(comment.agent, ""),
                       thread_url=pages.get(comment.thread, ""))  # fmt: skip
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


# --- import ----------------------------------------------------------------


def import_records(
    store: CommentStore, source: str, records: Iterable[Record], dry_run: bool = False
) -> Summary:
    """Store ``records`` (any order) in ``store``'s site; see the module's rules.
    ``dry_run``: count what would happen, write nothing."""
    summary = Summary()
    accepted: list[tuple[Record, str, str]] = []  # record, our id, its text
    ours: dict[str, tuple[str, str]] = {}  # source id -> (our id, thread); never ""
    for record in sorted(records, key=lambda record: record.created_at):
        problem = thread_problem(store.site, record.thread)
        if problem:
            summary.skip(Skip(record.where, "invalid_thread", problem))
            continue
        if drop_forbidden(record):
            summary.changed += 1
        body = record.body.strip()[:BODY_MAX]
        if not body:
            summary.skip(Skip(record.where, "no_text"))
            continue
        comment_id = _our_id(store.site, source, record, body)
        if record.source_id:  # a record without an id can never be a parent
            ours.setdefault(record.source_id, (comment_id, record.thread))
        accepted.append((record, comment_id, body))
    answers = {comment_id: _parent(record, ours, summary) for record, comment_id, _ in accepted}
    approved = {comment_id for record, comment_id, _ in accepted if record.status == "approved"}
    placed = []
    for record, comment_id, body in accepted:
        # One level deep: a reply answers the top of its chain, if that one is published.
        parent = _top(comment_id, answers)
        placed.append((record, comment_id, body, "" if parent == comment_id
                       or parent not in approved else parent))  # fmt: skip
    placed.sort(key=lambda entry: bool(entry[3]))  # comments before their replies
    there = _already_there(store, [entry[1] for entry in placed]) if dry_run else set()
    settled: list[tuple[str, str, str]] = []  # (id, e-mail, IP hash) for the author lists
    for record, comment_id, body, parent in placed:
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
        if dry_run:
            new = comment_id not in there
        else:
            new = store.restore(comment, user_agent=record.user_agent)
            if comment.status != "pending":  # a pending one is listed when classified
                settled.append((comment.id, comment.email, ""))
        summary.created += new
        summary.existing += not new
        if record.hidden:
            summary.hidden[record.hidden] += 1
    # Imported comments count in their authors' history at once.
    Authors(store.client, store.site).record(settled)
    return summary


def _already_there(store: CommentStore, ids: list[str]) -> set[str]:
    """Which of ``ids`` the store holds, 500 a round trip."""
    found = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(i for i, fields in zip(chunk, store.get_many(chunk), strict=True) if fields)
    return found


def _our_id(site: str, source: str, record: Record, body: str) -> str:
    if source == "jsonl" and is_comment_id(record.source_id):
        return record.source_id
    # Without an id of its own, a record is known by its author and text.
    own = record.source_id or "text:" + hashlib.sha256(
        f"{record.author}\0{body}".encode()).hexdigest()[:32]  # fmt: skip
    return stable_id(record.created_at, f"{source}:{site}:{record.thread}:{own}")


def _top(comment_id: str, answers: dict[str, str]) -> str:
    """The comment at the top of ``comment_id``'s reply chain (in the file's
    order of time or not; a chain that loops stops where it would)."""
    seen = {comment_id}
    while (parent := answers.get(comment_id, "")) and parent not in seen:
        seen.add(parent)
        comment_id = parent
    return comment_id


def _parent(record: Record, ours: dict[str, tuple[str, str]], summary: Summary) -> str:
    """Our id of the comment ``record`` answers, through the source's own ids
    only; "" (with a warning) when that one is missing or in another thread."""
    if not record.parent:
        return ""
    found = ours.get(record.parent)
    if found is None:
        summary.warnings.append(f"{record.where}: answers {record.parent!r}, which was not "
                                "imported: kept as a comment of its own")  # fmt: skip
        return ""
    if found[1] != record.thread:
        summary.warnings.append(f"{record.where}: answers {record.parent!r} in another thread "
                                f"({found[1]!r}): kept as a comment of its own")  # fmt: skip
        return ""
    return found[0]


class UnknownSite(ValueError):
    """Records go to a site that is not registered."""


def import_by_site(
    client: redis.Redis, source: str, grouped: dict[str, list[Record]], dry_run: bool = False
) -> Iterator[tuple[str, Summary]]:
    """Import each site's records (grouped by :func:`by_site`) in turn, giving
    each site's counts once it is done. Raises :class:`UnknownSite` on reaching
    a site not registered; the sites before it stay imported."""
    known = set(sites.SiteRegistry(client).names())
    for name, group in grouped.items():
        if name not in known:
            raise UnknownSite(f"unknown site {name!r}: add it with `moderation site add`")
        yield name, import_records(CommentStore(client, name), source, group, dry_run)


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
