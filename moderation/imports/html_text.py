"""Comment HTML of another system as our plain text.

What a reader saw is kept: paragraphs become blank lines, ``<br>`` a line
break, and a link keeps its target in the form our renderer
(:mod:`moderation.rendering`) turns back into a link, a bare ``https://``
address (after the link's text when that text says something else, so a
shortened "example.org/very-lo…" is not all that is left). Whitespace
collapses the way a browser shows it, and characters XML 1.0 forbids (and
other control characters) are dropped, since they would break the feeds.
"""

import re
from html.parser import HTMLParser

from moderation import xmlchars

_BREAKS = {"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
           "ul", "ol", "table", "tr"}  # fmt: skip
_HIDDEN = {"script", "style", "template"}  # their content is not text a reader saw
_WEB = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ELLIPSIS = ("…", "...")
_END = "\x01"  # after an address: a space only if the next character would lengthen it
_AFTER_LINK = re.compile(_END + r"(?=[^\s.,;:!?)\]}»" + _END + "])")


class _Text(HTMLParser):
    def __init__(self, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.keep_newlines = keep_newlines
        self.links: list[tuple[str, int]] = []  # open <a>: its target, where its text starts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BREAKS:
            self.parts.append("\n\n")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.links.append((href, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":  # <a/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = " ".join("".join(self.parts[start:]).split())
            del self.parts[start:]
            self.parts.append(link_text(text, href))

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        self.parts.append(data if self.keep_newlines else re.sub(r"\s+", " ", data))


def link_text(text: str, href: str) -> str:
    """A link as text: its target as a bare address (what our renderer links),
    after its text when the text is not just the address or a shortened one."""
    if not _WEB.match(href):
        return text  # relative, mailto:, javascript:… : only the text was meant for a reader
    if not text or _shortens(text, href):
        return f" {href}{_END}"
    return f"{text} {href}{_END}"


def _shortens(text: str, href: str) -> bool:
    """Whether ``text`` is ``href`` itself or a shortened form of it (Disqus
    and many forums cut long addresses and add an ellipsis)."""
    bare = re.sub(r"^https?://(www\.)?", "", href, flags=re.IGNORECASE)
    shown = re.sub(r"^https?://(www\.)?", "", text, flags=re.IGNORECASE)
    for mark in _ELLIPSIS:
        shown = shown.removesuffix(mark)
    return bool(shown) and bare.lower().startswith(shown.lower())


def html_to_text(markup: str, keep_newlines: bool = False) -> str:
    """``markup`` as our plain text. ``keep_newlines``: a newline in the text
    itself is a line break (WordPress adds the paragraphs when it shows a
    comment, so its exports hold bare newlines); else it is whitespace."""
    parser = _Text(keep_newlines)
    parser.feed(markup)
    parser.close()
    text = _AFTER_LINK.sub(" ", "".join(parser.parts))
    text = xmlchars.drop_forbidden(text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = re.sub(r"[^\S\n]+", " ", text)  # spaces (any kind) as one
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
