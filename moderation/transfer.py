"""Comments in and out: JSON Lines export and import, and imports from
WordPress (WXR) and Disqus exports.

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

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import IO, Any

import defusedxml.ElementTree as SafeET

from moderation import sites, xmlchars
from moderation.articles import SLUG_MAX, is_slug
from moderation.store import (
    ANONYMOUS,
    STATUSES,
    Comment,
    CommentStore,
    created_at_of,
    is_comment_id,
    iso8601,
    stable_id,
)
from moderation.validation import AUTHOR_MAX, BODY_MAX, InvalidField, clean_email, clean_url
from moderation.web.api import SITE_THREAD

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
    if SITE_THREAD.fullmatch(thread):
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
        if _drop_forbidden(record):
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
            author=_line(record.author)[:AUTHOR_MAX] or ANONYMOUS, email=_email(record.email),
            url=_url(record.url), body=body, status=record.status,
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


def read_jsonl(lines: Iterable[str]) -> Iterator[Record]:
    """What :func:`export_jsonl` wrote (all sites' rows; the caller filters)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row: dict[str, Any] = json.loads(line)
            yield Record(
                source_id=row["id"], thread=row["thread"], author=row.get("author", ""),
                email=row.get("email", ""), url=row.get("url", ""), body=row["body"],
                status=row["status"] if row.get("status") in STATUSES else "review",
                created_at=_time(row["created_at"]), parent=row.get("parent") or "",
                user_agent=row.get("user_agent", ""), line=number,
                extra={name: str(row[name]) for name in ("score", "model_version", "rules",
                       "updated_at", "site") if row.get(name)},
            )  # fmt: skip
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"line {number}: not a comment ({error})") from error


WORDPRESS_STATUS = {"1": "approved", "0": "review", "spam": "spam", "trash": "rejected"}


def read_wordpress(source: IO[bytes]) -> Iterator[Record]:
    """Comments of a WordPress export (WXR, any version); pingbacks and
    trackbacks are left out. The thread is the post's slug."""
    root = SafeET.parse(source).getroot()
    for item in _all(root, "item"):
        thread = _child_text(item, "post_name") or _child_text(item, "post_id")
        for entry in _all(item, "comment"):
            if _child_text(entry, "comment_type") not in ("", "comment"):
                continue
            parent = _child_text(entry, "comment_parent")
            yield Record(
                source_id=_child_text(entry, "comment_id"), thread=thread,
                author=_child_text(entry, "comment_author"),
                email=_child_text(entry, "comment_author_email"),
                url=_child_text(entry, "comment_author_url"),
                body=html_to_text(_child_text(entry, "comment_content")),
                status=WORDPRESS_STATUS.get(_child_text(entry, "comment_approved"), "review"),
                created_at=_time(_child_text(entry, "comment_date_gmt").replace(" ", "T") + "Z"),
                parent="" if parent == "0" else parent,  # "0": answers nobody
                user_agent=_child_text(entry, "comment_agent"),
            )  # fmt: skip


def read_disqus(source: IO[bytes]) -> Iterator[Record]:
    """Posts of a Disqus export. The thread is the page's identifier, else
    the last part of its address."""
    root = SafeET.parse(source).getroot()
    threads = {}
    for element in root:
        if _local(element.tag) == "thread" and _dsq_id(element):
            identifier = _child_text(element, "id")
            link = _child_text(element, "link")
            threads[_dsq_id(element)] = identifier or link.rstrip("/").rsplit("/", 1)[-1]
    for post in root:
        if _local(post.tag) != "post":
            continue
        author = next(_all(post, "author"), None)
        thread_ref = next((e for e in post if _local(e.tag) == "thread"), None)
        parent_ref = next((e for e in post if _local(e.tag) == "parent"), None)
        if _child_text(post, "isSpam") == "true":
            status = "spam"
        elif _child_text(post, "isDeleted") == "true":
            status = "rejected"
        elif _child_text(post, "isApproved") == "false":
            status = "review"
        else:
            status = "approved"
        yield Record(
            source_id=_dsq_id(post),
            thread=threads.get(_dsq_id(thread_ref) if thread_ref is not None else "", ""),
            author=_child_text(author, "name") if author is not None else "",
            email=_child_text(author, "email") if author is not None else "",
            url="", body=html_to_text(_child_text(post, "message")), status=status,
            created_at=_time(_child_text(post, "createdAt")),
            parent=_dsq_id(parent_ref) if parent_ref is not None else "",
        )  # fmt: skip


# --- helpers ---------------------------------------------------------------


class _Text(HTMLParser):
    BREAKS = {"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4"}
    HIDDEN = {"script", "style"}  # their content is not text a reader saw

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Comment HTML of another system as our plain text: tags dropped,
    paragraphs kept as blank lines, entities decoded."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[^\S\n\t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _drop_forbidden(record: Record) -> bool:
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


def _line(text: str) -> str:
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())


def _email(value: str) -> str:
    try:
        return clean_email(value)
    except InvalidField:
        return ""


def _url(value: str) -> str:
    try:
        return clean_url(value)
    except InvalidField:
        return ""


def _time(value: str) -> float:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(parent: Any, name: str) -> Iterator[Any]:
    return (element for element in parent.iter() if _local(element.tag) == name)


def _child_text(parent: Any, name: str) -> str:
    for element in parent:
        if _local(element.tag) == name:
            return (element.text or "").strip()
    return ""


def _dsq_id(element: Any) -> str:
    return next((value for key, value in element.attrib.items() if _local(key) == "id"), "")
