"""From a source's page to one of our thread ids (the README states the rule).

1. A ``--thread-map`` row (CSV: ``source,thread``) whose source is one of the
   page's names (its ids, slug or address) decides.
2. Else the first usable candidate, best first (WordPress: ``post_name``, a
   ``?p=``/``?page_id=`` link, the permalink, the GUID, the post id; Disqus:
   ``<id>``, ``<link>``; Isso: the URI; Remark42 and Commento: the page's
   address), percent-decoded. An address gives ``p-N`` for ``?p=N`` or
   ``?page_id=N``, else its path (scheme, host and port left out). A value the
   site accepts as it is stays as it is; any other is transliterated to ASCII
   (anyascii: Greek and Cyrillic slugs keep their sound), lower-cased, and
   every run of other characters becomes one ``-``; one too long is cut and
   ends with 8 hex digits of a hash of the whole, so it stays distinct.
3. Two pages never share a thread: unless the map joins them on purpose, a
   collision is an error naming both.
"""

import csv
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from anyascii import anyascii

from moderation import sites
from moderation.articles import SLUG_MAX, is_slug
from moderation.imports.records import ThreadSource

THREAD_MAX = 128  # sites.THREAD_NAME's length
_NUMBER = re.compile(r"[0-9]+")


class ThreadCollision(ValueError):
    """Two pages of the source would become one thread."""


class BadThreadMap(ValueError):
    """A ``--thread-map`` file that cannot be used; the message says where."""


def valid(site: str, thread: str) -> bool:
    """Whether the API accepts ``thread`` on ``site``: an article's slug on our
    own site, a registered site's thread id elsewhere."""
    if site == sites.DEFAULT:
        return is_slug(thread)
    return sites.THREAD_NAME.fullmatch(thread) is not None


def read_map(path: str) -> dict[str, str]:
    """``source,thread`` rows (a header row naming ``source`` is skipped)."""
    found: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as rows:
        for number, row in enumerate(csv.reader(rows), 1):
            if not row or (number == 1 and row[0].strip().lower() == "source"):
                continue
            if len(row) != 2 or not row[0].strip() or not row[1].strip():
                raise BadThreadMap(f"{path}, line {number}: expected two columns, source,thread")
            found[row[0].strip()] = row[1].strip()
    return found


def from_value(site: str, value: str) -> str:
    """A candidate as a thread id of ``site`` ("" when nothing usable is left)."""
    value = unquote(value.strip())
    if "://" in value or value.startswith("/") or "?" in value:
        value = _from_address(value)
    if not value or valid(site, value):
        return value
    limit = SLUG_MAX if site == sites.DEFAULT else THREAD_MAX
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(value).lower()).strip("-")
    if len(slug) > limit:
        digest = hashlib.sha256(value.encode()).hexdigest()[:8]
        slug = slug[: limit - 9].rstrip("-") + "-" + digest
    return slug


def _from_address(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    query = parse_qs(parts.query)
    for name in ("p", "page_id"):
        number = (query.get(name) or [""])[0]
        if _NUMBER.fullmatch(number):
            return f"p-{number}"
    return parts.path.strip("/")


@dataclass
class Assignment:
    """Which thread each page of a file goes to, on one site."""

    threads: dict[str, str]  # ThreadSource.key -> our thread id
    unusable: set[str]  # keys of pages with nothing to make an id from


def assign(site: str, sources: dict[str, ThreadSource], mapped: dict[str, str]) -> Assignment:
    """Every page's thread on ``site``; raises :class:`ThreadCollision` or
    :class:`BadThreadMap` (a mapped thread the site refuses)."""
    result = Assignment({}, set())
    owner: dict[str, tuple[ThreadSource, bool]] = {}  # thread -> first page, from the map?
    for key, source in sources.items():
        by_map = next((mapped[name] for name in source.names if name in mapped), None)
        if by_map is not None and not valid(site, by_map):
            raise BadThreadMap(f"--thread-map: {by_map!r} is not a valid thread on {site!r}")
        thread = by_map or next(
            (t for t in (from_value(site, c) for c in source.candidates if c) if t), ""
        )
        if not thread:
            result.unusable.add(key)
            continue
        first = owner.get(thread)
        if first and not (first[1] and by_map is not None):
            raise ThreadCollision(
                f"{first[0].label!r} and {source.label!r} would both become thread "
                f"{thread!r}: give one of them another thread with --thread-map"
            )
        owner.setdefault(thread, (source, by_map is not None))
        result.threads[key] = thread
    return result
