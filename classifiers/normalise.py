"""Text normalisation shared by every feature.

Spam hides behind full-width letters, HTML entities, zero-width characters,
look-alike letters and ever-changing URLs; fold all of that away before
counting n-grams, and say what was found on the way.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from classifiers import links as _links
from classifiers.obfuscation import fold, hidden_characters

# Zero-width and invisible formatting characters, U+FEFF included.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")  # fmt: skip
_TAG = re.compile(r"<[^>]{0,200}>")
_MARK = re.compile("\x00([0-9]+)\x00")
_SPACES = re.compile(r"\s+")
URL = _links.URL

# The word that stands for a link of each kind. A reference (a newspaper, a
# public body, an encyclopaedia) is one neutral word; the others also carry
# their host, so a spammer's domain is learnt as the words around it are.
_KIND_WORDS = {
    _links.REFERENCE: " urlref ",
    _links.SHORTENER: " urlx urlshort ",
    _links.COMMERCIAL: " urlx urlshop ",
    _links.OTHER: " urlx ",
}


@dataclass(frozen=True, slots=True)
class Analysed:
    text: str  # what the n-grams read
    links: tuple[_links.Link, ...]
    tricks: int  # obfuscations undone (look-alike letters, spaced letters, ...)
    prose: str = ""  # the text as written, links and tags taken out


def domain_of(url: str) -> str:
    """The host of a URL without ``www.``; ``""`` when there is none."""
    return _links.host_of(url)


def url_token(url: str) -> str:
    """Words standing for a link: its kind, and its host unless it is a reference,
    so ``bit.ly/abc`` and ``bit.ly/xyz`` look alike while ``un.org`` stays apart."""
    link = _links.describe(url)
    return " urlx " if link is None else _token(link)


def find_urls(text: str) -> list[str]:
    return _links.find_urls(text)


def analyse(text: str) -> Analysed:
    """NFKC, entities unescaped, invisible characters gone, lower case,
    look-alike spellings undone, each link replaced by words of its kind and
    host, tags removed (the links they held kept), spaces collapsed.

    Links are found once, in the text as written, and stood in for by a
    marker while the rest is folded; only a text whose folding changed
    something is searched again (``promo point com`` becomes a link then).
    """
    # NUL marks the links below; a NUL of the text's own is just a space.
    text = unicodedata.normalize("NFKC", html.unescape(html.unescape(text))).replace("\x00", " ")
    tricks = 0
    if not text.isascii():
        tricks = hidden_characters(text)
        text = _INVISIBLE.sub("", text)
    found: list[_links.Link] = []

    def mark(link: _links.Link | None) -> str:
        if link is None:
            return " "
        found.append(link)
        return f" \x00{len(found) - 1}\x00 "

    def anchor(tag: re.Match[str]) -> str:
        # The link, then what its text says without the links it shows:
        # <a href="shop.xyz">lemonde.fr/article</a> cites nothing.
        shown = _links.anchor_text(tag.group(2))
        return mark(_links.describe(tag.group(1), shown.strip())) + URL.sub(" ", shown)

    if "<" in text:
        text = _TAG.sub(" ", _links.ANCHOR.sub(anchor, text))
    text = URL.sub(lambda match: mark(_links.describe(match.group(0))), text)
    prose = _SPACES.sub(" ", _MARK.sub(" ", text)).strip()
    text, folded = fold(text.lower())
    if folded:
        text = URL.sub(lambda match: mark(_links.describe(match.group(0))), text)
    text = _MARK.sub(lambda match: _token(found[int(match.group(1))]), text)
    return Analysed(_SPACES.sub(" ", text).strip(), tuple(found), tricks + folded, prose)


def _token(link: _links.Link) -> str:
    word = _KIND_WORDS[link.kind]
    if link.kind == _links.REFERENCE:
        return word
    return word + "urld_" + link.host.replace(".", "_").replace("-", "_") + " "


def normalise(text: str) -> str:
    """The text the n-grams read (see :func:`analyse`)."""
    return analyse(text).text
