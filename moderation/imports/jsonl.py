"""What ``moderation export`` wrote: one JSON object a line, every site's
comments (the caller groups them by site). A line that is not a comment is
skipped and reported."""

import json
from typing import Any

from moderation.imports import times
from moderation.imports.records import Reading, Record, Skip
from moderation.imports.xml_tree import UnreadableExport
from moderation.store import STATUSES

KEPT = ("score", "model_version", "rules", "updated_at", "site")


def read(path: str) -> Reading:
    reading = Reading()
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    _line(reading, number, line)
    except UnicodeDecodeError as error:
        raise UnreadableExport(f"not a JSON Lines export ({error})") from error
    return reading


def _line(reading: Reading, number: int, line: str) -> None:
    try:
        row: dict[str, Any] = json.loads(line)
        created = times.iso(row["created_at"])
        reading.records.append(Record(
            source_id=row["id"], thread=row["thread"], author=row.get("author", ""),
            email=row.get("email", ""), url=row.get("url", ""), body=row["body"],
            status=row["status"] if row.get("status") in STATUSES else "review",
            created_at=created, parent=row.get("parent") or "",
            user_agent=row.get("user_agent", ""), line=number,
            thread_url=str(row.get("thread_url") or ""),
            extra={name: str(row[name]) for name in KEPT if row.get(name)},
        ))  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        dated = isinstance(error, ValueError) and "date" in str(error)
        reason = "bad_date" if dated else "unreadable"
        reading.skips.append(Skip(f"line {number}", reason, f"not a comment ({error})"))
