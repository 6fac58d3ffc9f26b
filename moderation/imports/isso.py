"""Isso's SQLite database, read-only: ``threads`` (one row a page, by URI)
and ``comments`` (``mode`` 1 published, 2 awaiting moderation, 4 deleted;
``parent`` a comment id). Votes are dropped; the text is kept as the reader
wrote it (Isso stores the Markdown source)."""

import sqlite3
from pathlib import Path

from moderation.imports.records import Reading, Record, Skip, ThreadSource
from moderation.imports.xml_tree import UnreadableExport

MODES = {1: ("approved", ""), 2: ("review", "pending"), 4: ("rejected", "deleted")}
QUERY = ("SELECT c.id, c.tid, c.parent, c.created, c.mode, c.text, c.author, c.email, "
         "c.website FROM comments AS c ORDER BY c.id")  # fmt: skip


def read(path: str) -> Reading:
    try:
        # read-only: an import never changes the other system's database
        with sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True) as db:
            threads = db.execute("SELECT id, uri FROM threads").fetchall()
            rows = db.execute(QUERY).fetchall()
    except sqlite3.Error as error:
        raise UnreadableExport(f"not an isso database ({error})") from error
    reading = Reading()
    for tid, uri in threads:
        uri = uri or ""
        reading.threads[f"tid {tid}"] = ThreadSource(
            key=f"tid {tid}", names=(uri,), candidates=(uri,), url=uri
        )
    for row in rows:
        identifier, tid, parent, created, mode, text, author, email, website = row
        where = f"comment {identifier}"
        if f"tid {tid}" not in reading.threads:
            reading.skips.append(Skip(where, "no_thread", f"thread {tid} is not in the file"))
            continue
        if not isinstance(created, int | float):
            reading.skips.append(Skip(where, "bad_date", repr(created)))
            continue
        status, hidden = MODES.get(mode, ("review", "pending"))
        reading.records.append(Record(
            source_id=str(identifier), thread="", author=author or "", email=email or "",
            url=website or "", body=text or "", status=status, hidden=hidden,
            created_at=float(created), parent=str(parent) if parent else "",
            source_thread=f"tid {tid}",
        ))  # fmt: skip
    return reading
