"""Comment text to HTML: everything escaped, paragraphs kept, bare URLs as
links that pass no ranking and no opener."""

import re

from markupsafe import Markup, escape

# Conservative: scheme, then no whitespace, quotes or angle brackets.
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"
LINK_REL = "nofollow ugc noopener"


def _link(url: str) -> str:
    stripped = url.rstrip(_TRAILING)
    tail = url[len(stripped) :]
    return f'<a href="{escape(stripped)}" rel="{LINK_REL}">{escape(stripped)}</a>{escape(tail)}'


def _linkify(line: str) -> str:
    out, last = [], 0
    for match in _URL.finditer(line):
        out.append(str(escape(line[last : match.start()])))
        out.append(_link(match.group(0)))
        last = match.end()
    out.append(str(escape(line[last:])))
    return "".join(out)


def render_comment(text: str) -> Markup:
    """Paragraphs on blank lines, ``<br>`` on single newlines, links for URLs."""
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    html = "".join(
        "<p>" + "<br>".join(_linkify(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return Markup(html)  # noqa: S704 - every piece above went through escape()


def author_link(name: str, url: str) -> Markup:
    """The author's name, linked to their website when they gave one."""
    if not url:
        return escape(name)
    return Markup(f'<a href="{escape(url)}" rel="{LINK_REL}">{escape(name)}</a>')  # noqa: S704
