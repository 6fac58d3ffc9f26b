"""Atom 1.0 documents (RFC 4287) of published comments, built with an XML
library so that no comment text can break out of its element. ElementTree
writes any character it is given: characters XML 1.0 forbids are dropped
here, so that a comment stored before input refused them (or restored from a
backup) cannot make the feed unreadable for every reader."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from moderation.xmlchars import drop_forbidden

NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str  # a permanent IRI: the comment's address on its page
    title: str
    author: str
    updated: datetime
    published: datetime
    content: str  # plain text, sent as type="text": a reader never renders it as HTML
    link: str


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed(
    *, feed_id: str, title: str, self_link: str, page_link: str, updated: datetime,
    entries: list[Entry], lang: str = "fr",
) -> bytes:  # fmt: skip
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _text(root, "id", feed_id)
    _text(root, "title", title)
    _text(root, "updated", stamp(updated))
    _link(root, "self", "application/atom+xml", self_link)
    _link(root, "alternate", "text/html", page_link)
    _text(root, "generator", "moderation")
    for item in entries:
        entry = ET.SubElement(root, f"{{{NS}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", stamp(item.updated))
        _text(entry, "published", stamp(item.published))
        author = ET.SubElement(entry, f"{{{NS}}}author")
        _text(author, "name", item.author)
        _link(entry, "alternate", "text/html", item.link)
        _text(entry, "content", item.content, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, name: str, value: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{NS}}}{name}", attributes).text = drop_forbidden(value)


def _link(parent: ET.Element, rel: str, mimetype: str, href: str) -> None:
    ET.SubElement(parent, f"{{{NS}}}link", rel=rel, type=mimetype, href=drop_forbidden(href))
