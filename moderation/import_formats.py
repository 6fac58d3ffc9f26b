"""Reading export files, ours (JSON Lines) and other systems' (WordPress
WXR, Disqus), into records for ``transfer.import_records``.

Export files are data from elsewhere: XML is read with defusedxml.
"""

import html
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from moderation.store import STATUSES
from moderation.transfer import (
    Record,
)


class UnreadableExport(ValueError):
    """An export file that cannot be read; the message says why."""


def read_export(kind: str, path: str) -> list[Record]:
    """Every record of the file at ``path``: ``jsonl`` (what :func:`export_jsonl`
    wrote), ``wordpress`` or ``disqus``. Raises :class:`UnreadableExport`."""
    if kind == "jsonl":
        with open(path, encoding="utf-8") as lines:
            try:
                return list(read_jsonl(lines))
            except ValueError as error:
                raise UnreadableExport(str(error)) from error
    reader = read_wordpress if kind == "wordpress" else read_disqus
    with open(path, "rb") as source:
        try:
            return list(reader(source))
        except (ParseError, DefusedXmlException, ValueError) as error:
            raise UnreadableExport(f"{path}: not a {kind} export ({error})") from error


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
