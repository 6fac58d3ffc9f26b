"""WordPress exports (WXR 1.0, 1.1 and 1.2: elements are found by local name).

Each ``<item>`` is a page; its ``<wp:comment>`` elements are the comments
(pingbacks and trackbacks are left out). A comment that cannot be read is
skipped and reported; one without a GMT date gets it from its local date and
the site's offset, when every other date of the file agrees on one offset.
"""

from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from moderation.imports import times, xml_tree
from moderation.imports.html_text import html_to_text
from moderation.imports.records import Reading, Record, Skip, ThreadSource, hide

# comment_approved -> (status, why it is not public)
STATUS = {"1": ("approved", ""), "0": ("review", "pending"), "spam": ("spam", "spam"),
          "trash": ("rejected", "trash"), "post-trashed": ("rejected", "trash")}  # fmt: skip
COMMENT_TYPES = ("", "comment")


def read(source: IO[bytes]) -> Reading:
    root = xml_tree.parse(source, "wordpress")
    if xml_tree.local(root.tag) != "rss":
        raise xml_tree.UnreadableExport("not a wordpress export (no <rss> root)")
    items = list(_items(root))
    offset = _site_offset(items)
    reading = Reading()
    for number, item in enumerate(items, 1):
        page = _page(item, number)
        reading.threads[page.key] = page
        for position, entry in enumerate(xml_tree.children(item, "comment"), 1):
            fields = xml_tree.texts(entry)
            where = _where(fields, number, position)
            kind = fields.get("comment_type", "")
            if kind not in COMMENT_TYPES:
                reading.skips.append(Skip(where, "not_a_comment", kind))
                continue
            try:
                record = _record(entry, fields, page, offset, reading.repairs, where)
            except ValueError as error:
                reading.skips.append(Skip(where, "bad_date", str(error)))
                continue
            record.place = where
            reading.records.append(record)
    return reading


def _items(root: Any) -> Iterator[Any]:
    for channel in xml_tree.children(root, "channel"):
        yield from xml_tree.children(channel, "item")


def _where(fields: dict[str, str], item: int, position: int) -> str:
    identifier = fields.get("comment_id", "")
    return f"comment {identifier!r}" if identifier else f"item {item}, comment {position}"


def _page(item: Any, number: int) -> ThreadSource:
    post_id = xml_tree.text(item, "post_id")
    link = xml_tree.text(item, "link")
    guid = xml_tree.text(item, "guid")
    name = xml_tree.text(item, "post_name")
    status = xml_tree.text(item, "status")
    hidden = ""
    if xml_tree.text(item, "post_password"):
        hidden = "password"
    elif status and status != "publish":
        hidden = "unpublished"
    return ThreadSource(
        key=f"item {number}", names=tuple(n for n in (post_id, name, link, guid) if n),
        candidates=(name, link, guid, f"?p={post_id}" if post_id else ""),
        url=link if link.startswith(("http://", "https://")) else "", hidden=hidden,
    )  # fmt: skip


def _site_offset(items: list[Any]) -> float | None:
    """The one offset (local time minus GMT, in seconds) that every pair of
    dates in the file agrees on; None when there is none or more than one."""
    seen: Counter[float] = Counter()
    pairs = [(item, "post_date") for item in items] + [
        (entry, "comment_date") for item in items for entry in xml_tree.children(item, "comment")
    ]
    for element, name in pairs:
        fields = xml_tree.texts(element)
        try:
            local = times.wordpress(fields.get(name, ""))
            gmt = times.wordpress(fields.get(name + "_gmt", ""))
        except ValueError:
            continue
        seen[local - gmt] += 1
    return next(iter(seen)) if len(seen) == 1 else None


def _created(fields: dict[str, str], offset: float | None, repairs: list[str],
             where: str) -> float:  # fmt: skip
    gmt = fields.get("comment_date_gmt", "")
    if gmt and not gmt.startswith("0000-00-00"):
        try:
            return times.wordpress(gmt)
        except ValueError:
            raise ValueError(f"comment_date_gmt {gmt!r}") from None
    if offset is None:
        raise ValueError("no comment_date_gmt, and no single offset in the file")
    try:
        moment = times.wordpress(fields.get("comment_date", "")) - offset
    except ValueError:
        raise ValueError("neither comment_date_gmt nor comment_date") from None
    hours = f"{offset / 3600:+g}h"
    repairs.append(f"{where}: GMT date from its local date and the site's offset ({hours})")
    return moment


def _record(entry: Any, fields: dict[str, str], page: ThreadSource, offset: float | None,
            repairs: list[str], where: str) -> Record:  # fmt: skip
    status, hidden = STATUS.get(fields.get("comment_approved", ""), ("review", "pending"))
    parent = fields.get("comment_parent", "")
    record = Record(
        source_id=fields.get("comment_id", ""), thread="",
        author=fields.get("comment_author", ""),
        email=fields.get("comment_author_email", ""),
        url=fields.get("comment_author_url", ""),
        body=html_to_text(xml_tree.markup(entry, "comment_content"), keep_newlines=True),
        status=status, hidden=hidden, created_at=_created(fields, offset, repairs, where),
        parent="" if parent == "0" else parent,  # "0": answers nobody
        user_agent=fields.get("comment_agent", ""), source_thread=page.key,
    )  # fmt: skip
    hide(record, page.hidden)
    return record
