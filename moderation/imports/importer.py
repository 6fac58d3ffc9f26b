"""One import from start to end: read the file, give each page its thread
(threads.py), import each site's records (:mod:`moderation.transfer`), keep
the pages' addresses (:mod:`moderation.thread_urls`), and count it all."""

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

import redis

from moderation import sites, transfer
from moderation.imports import commento, disqus, isso, jsonl, remark42, threads, wordpress
from moderation.imports.records import Reading, Record, Skip
from moderation.imports.summary import Summary
from moderation.thread_urls import ThreadUrls


def _xml(reader: Callable[[Any], Reading]) -> Callable[[str], Reading]:
    def read(path: str) -> Reading:
        with open(path, "rb") as source:
            return reader(source)

    return read


READERS: dict[str, Callable[[str], Reading]] = {
    "wordpress": _xml(wordpress.read), "disqus": _xml(disqus.read), "isso": isso.read,
    "remark42": remark42.read, "commento": commento.read, "jsonl": jsonl.read,
}  # fmt: skip
KINDS = tuple(READERS)


@dataclass
class Outcome:
    sites: list[tuple[str, Summary]] = field(default_factory=list)
    total: Summary = field(default_factory=Summary)


def run(
    client: redis.Redis, kind: str, path: str, site: str | None = None,
    thread_map: dict[str, str] | None = None, dry_run: bool = False,
    articles: Container[str] | None = None,
) -> Outcome:  # fmt: skip
    """Import the file at ``path``. Raises ``UnreadableExport`` (nothing in it
    can be read), ``threads.ThreadCollision``, ``threads.BadThreadMap`` or
    ``transfer.UnknownSite`` before anything is written. ``articles``: our
    own site's slugs, to warn of threads no article shows."""
    reading = READERS[kind](path)
    outcome = Outcome()
    front = Summary()  # what reading the file found, before any site
    for skip in reading.skips:
        front.skip(skip)
    front.repairs += reading.repairs
    records = reading.records
    if kind != "jsonl":
        records = _place(reading, site or sites.DEFAULT, thread_map or {}, front)
    grouped, skips = transfer.by_site(records, site)
    for skip in skips:
        front.skip(skip)
    known = set(sites.SiteRegistry(client).names())
    for name in grouped:
        if name not in known:
            raise transfer.UnknownSite(f"unknown site {name!r}: add it with `moderation site add`")
    for name, summary in transfer.import_by_site(client, kind, grouped, dry_run):
        pages = {r.thread: r.thread_url for r in grouped[name] if r.thread_url}
        if not dry_run:
            ThreadUrls(client, name).remember(pages)
        if name == sites.DEFAULT and articles is not None:
            summary.warnings += [
                f"thread {thread!r}: no article of ours has this slug, its comments show "
                "once one does" for thread in sorted({r.thread for r in grouped[name]})
                if thread not in articles
            ]  # fmt: skip
        if kind != "jsonl":  # one site: the file's findings are its own
            summary.add(front)
            front = Summary()
        outcome.sites.append((name, summary))
        outcome.total.add(summary)
    outcome.total.add(front)
    return outcome


def _place(reading: Reading, site: str, mapped: dict[str, str], total: Summary) -> list[Record]:
    """The records with their thread on ``site`` (and their page's address)."""
    assignment = threads.assign(site, reading.threads, mapped)
    placed = []
    for record in reading.records:
        thread = assignment.threads.get(record.source_thread, "")
        if not thread:
            page = reading.threads.get(record.source_thread)
            detail = f"page {page.label!r} gives no thread id" if page else ""
            total.skip(Skip(record.where, "no_thread", detail))
            continue
        record.thread = thread
        record.thread_url = reading.threads[record.source_thread].url
        placed.append(record)
    return placed
