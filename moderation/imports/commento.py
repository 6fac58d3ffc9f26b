"""Commento's JSON export (also what Comentario reads and writes as
"Commento"): ``comments`` (each with ``domain`` and ``url`` for its page,
``parentHex`` "root" or a comment, ``state`` approved, unapproved or flagged,
``deleted``) and ``commenters`` (names, e-mail addresses, websites)."""

import json
from typing import Any

from moderation.imports import times
from moderation.imports.html_text import html_to_text
from moderation.imports.records import Reading, Record, Skip, ThreadSource
from moderation.imports.xml_tree import UnreadableExport

STATES = {"approved": ("approved", ""), "unapproved": ("review", "pending"),
          "flagged": ("spam", "spam")}  # fmt: skip


def read(path: str) -> Reading:
    try:
        with open(path, encoding="utf-8") as source:
            document = json.load(source)
        comments = document["comments"]
        people = {p.get("commenterHex"): p for p in document.get("commenters") or []
                  if isinstance(p, dict)}  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableExport(f"not a commento export ({error})") from error
    reading = Reading()
    for number, row in enumerate(comments if isinstance(comments, list) else [], 1):
        _comment(reading, number, row, people)
    return reading


def _comment(reading: Reading, number: int, row: Any, people: dict) -> None:
    if not isinstance(row, dict):
        reading.skips.append(Skip(f"comment {number}", "unreadable", "not an object"))
        return
    identifier = str(row.get("commentHex") or "")
    where = f"comment {identifier!r}" if identifier else f"comment {number}"
    try:
        created = times.iso(str(row.get("creationDate") or ""))
    except ValueError as error:
        reading.skips.append(Skip(where, "bad_date", str(error)))
        return
    domain, path = str(row.get("domain") or ""), str(row.get("url") or "")
    url = f"https://{domain}{path}" if domain else path
    page = reading.threads.setdefault(
        url, ThreadSource(key=url, names=(url, path), candidates=(path, url), url=url)
    )
    status, hidden = STATES.get(str(row.get("state") or "approved"), ("review", "pending"))
    if row.get("deleted"):
        status, hidden = "rejected", "deleted"
    person = people.get(row.get("commenterHex")) or {}
    parent = str(row.get("parentHex") or "")
    body = html_to_text(str(row["html"])) if row.get("html") else str(row.get("markdown") or "")
    reading.records.append(Record(
        source_id=identifier, thread="", author=str(person.get("name") or ""),
        email=str(person.get("email") or ""), url=_link(person.get("link")),
        body=body, status=status, hidden=hidden, created_at=created,
        parent="" if parent == "root" else parent, source_thread=page.key, place=where,
    ))  # fmt: skip


def _link(value: object) -> str:
    # Commento writes "undefined" for a commenter who gave no website.
    return "" if value in (None, "", "undefined") else str(value)
