"""Remark42's backup (JSON Lines, often gzipped): a first line about the
site, then one comment a line, its page in ``locator.url``, its parent in
``pid``, its HTML in ``text``; ``delete: true`` marks one deleted. A line
that cannot be read is skipped and reported."""

import gzip
import json
from typing import Any

from moderation.imports import times
from moderation.imports.html_text import html_to_text
from moderation.imports.records import Reading, Record, Skip, ThreadSource
from moderation.imports.xml_tree import UnreadableExport


def read(path: str) -> Reading:
    with open(path, "rb") as raw:
        zipped = raw.read(2) == b"\x1f\x8b"  # remark42 gzips its backups
    reading = Reading()
    try:
        with gzip.open(path, "rt", encoding="utf-8") if zipped else open(
            path, encoding="utf-8"
        ) as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    _line(reading, number, line)
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise UnreadableExport(f"not a remark42 backup ({error})") from error
    if not reading.records and not reading.skips:
        raise UnreadableExport("not a remark42 backup (no comments)")
    return reading


def _line(reading: Reading, number: int, line: str) -> None:
    where = f"line {number}"
    try:
        row: Any = json.loads(line)
    except ValueError as error:
        reading.skips.append(Skip(where, "unreadable", str(error)))
        return
    if not isinstance(row, dict) or "locator" not in row:
        if number > 1 or not isinstance(row, dict):  # the first line describes the site
            reading.skips.append(Skip(where, "unreadable", "not a comment"))
        return
    try:
        url = str(row["locator"]["url"])
        user = row.get("user") or {}
        created = times.iso(str(row.get("time", "")))
    except (ValueError, KeyError, TypeError) as error:
        reading.skips.append(Skip(where, "bad_date" if "date" in str(error) else "unreadable",
                                  str(error)))  # fmt: skip
        return
    page = reading.threads.setdefault(url, ThreadSource(key=url, names=(url,),
                                                        candidates=(url,), url=url))  # fmt: skip
    deleted = bool(row.get("delete"))
    reading.records.append(Record(
        source_id=str(row.get("id") or ""), thread="", author=str(user.get("name") or ""),
        email="", url="", body=html_to_text(str(row.get("text") or "")),
        status="rejected" if deleted else "approved", hidden="deleted" if deleted else "",
        created_at=created, parent=str(row.get("pid") or ""), source_thread=page.key,
        line=number,
    ))  # fmt: skip
