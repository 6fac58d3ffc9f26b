"""Text normalisation shared by every feature.

Spam hides behind full-width letters, HTML entities, zero-width characters and
ever-changing URLs; fold all of that away before counting n-grams.
"""

import html
import re
import unicodedata
from urllib.parse import urlsplit

# Zero-width and invisible formatting characters, U+FEFF included.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")  # fmt: skip
_TAG = re.compile(r"<[^>]{0,200}>")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ru"
    r"|xyz|top|club|online|site|ly|me|tk|io|co|us|uk|fr|de|in|be|ch|ca|eu|tv|cc|ws|gl|gg)"
    r"(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def domain_of(url: str) -> str:
    """The host of a URL without ``www.``; ``""`` when there is none."""
    text = url if "://" in url else "http://" + url
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.strip(".,;:!?)]}'\"").removeprefix("www.")


def url_token(url: str) -> str:
    """One word standing for a link: its domain, so ``bit.ly/abc`` and
    ``bit.ly/xyz`` look alike while ``un.org`` stays apart."""
    domain = domain_of(url)
    return " urlx " + ("urld_" + domain.replace(".", "_").replace("-", "_") if domain else "") + " "


def find_urls(text: str) -> list[str]:
    return URL.findall(text)


def normalise(text: str) -> str:
    """NFKC, entities unescaped, tags and invisible characters gone, lower
    case, each URL replaced by a token of its domain, spaces collapsed."""
    text = unicodedata.normalize("NFKC", html.unescape(html.unescape(text)))
    text = _INVISIBLE.sub("", text)
    # A tag goes, the links it held stay: <a href="…"> is how YouTube spam links.
    text = _TAG.sub(lambda tag: " " + " ".join(URL.findall(tag.group(0))) + " ", text)
    text = text.lower()
    text = URL.sub(lambda match: url_token(match.group(0)), text)
    return _SPACES.sub(" ", text).strip()
