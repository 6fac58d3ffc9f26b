"""Reading the XML exports (WordPress, Disqus) without caring for namespaces
or for the WXR version: elements are found by their local name. Export files
are data from elsewhere: they are parsed with defusedxml."""

from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class UnreadableExport(ValueError):
    """A file that cannot be read at all; the message says why."""


def parse(source: IO[bytes], kind: str) -> Any:
    """The root element, or :class:`UnreadableExport`."""
    try:
        return SafeET.parse(source).getroot()
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise UnreadableExport(f"not a {kind} export ({error})") from error


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(parent: Any, name: str) -> Iterator[Any]:
    return (element for element in parent if local(element.tag) == name)


def child(parent: Any, name: str) -> Any:
    return next(children(parent, name), None)


def text(parent: Any, name: str) -> str:
    """The text of ``parent``'s child ``name``, stripped ("" when absent)."""
    element = child(parent, name) if parent is not None else None
    return (element.text or "").strip() if element is not None else ""


def texts(parent: Any) -> dict[str, str]:
    """Each child's text by local name (the first of a name), stripped: one
    pass over a record's children instead of one per field."""
    found: dict[str, str] = {}
    for element in parent:
        found.setdefault(local(element.tag), (element.text or "").strip())
    return found


def markup(parent: Any, name: str) -> str:
    """The content of ``parent``'s child ``name`` as markup: its text, and any
    elements inside it written back (HTML that an export left unescaped)."""
    element = child(parent, name)
    if element is None:
        return ""
    inner = [element.text or ""]
    for sub in element:
        sub.tag = local(sub.tag)
        inner.append(tostring(sub, encoding="unicode"))
    return "".join(inner)


def attribute_id(element: Any) -> str:
    """An element's ``dsq:id`` (any namespace)."""
    if element is None:
        return ""
    return next((value for key, value in element.attrib.items() if local(key) == "id"), "")
