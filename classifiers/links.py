"""What the links in a comment point to.

A link is told apart by its registrable domain (the Public Suffix List, through
``tldextract``'s bundled snapshot, never fetched): a citation of a newspaper,
a public body, an encyclopaedia or a law text is not an advertisement, while a
URL shortener, a domain with a commercial name or a cheap top-level domain is
what spam uses. The kinds:

- ``reference``: listed in ``data/reference_domains.txt`` or under a public
  suffix of governments, universities and international bodies;
- ``shortener``: hides where it leads;
- ``commercial``: a commercial top-level domain or a salesman's word in the name;
- ``other``: everything else (blogs, shops with plain names, videos...).
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import tldextract

REFERENCE = "reference"
SHORTENER = "shortener"
COMMERCIAL = "commercial"
OTHER = "other"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Bare domains (no scheme, no www.) count as links only with these endings,
# written in lower case (or all upper case): "fini.Je" is a missing space, not
# a link to Jersey; and the domain of an e-mail address is no link.
_BARE_TLDS = _words(
    "com net org info biz int gov edu eu fr be ch ca de uk us ru ua it es pt nl pl at se dk fi "
    "gr tr lu ma sn au nz ie br mx jp kr cn in io co me ly tv cc ws gl gg tk xyz top club "
    "online site shop store live click bet vip casino app news pro"
)
_TLD_ALTERNATIVES = "|".join(sorted(_BARE_TLDS, key=len, reverse=True))
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?-i:(?:" + _TLD_ALTERNATIVES + r")|(?:"
    + _TLD_ALTERNATIVES.upper() + r"))\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
ANCHOR = re.compile(
    r"<a\s[^>]{0,300}?href\s*=\s*[\"']?([^\"'\s>]{1,500})[\"']?[^>]{0,300}>(.{0,300}?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TRAILING = ".,;:!?)]}'\"»"
# Link texts that say nothing of where they lead.
_VAGUE_ANCHORS = _words(
    """source sources ici here link lien cliquez click voir see more plus article info infos
    details détails site website page lire read"""
) | {"en savoir plus", "learn more", "click here", "cliquez ici", "voir ici", "read more",
     "lire la suite", "this link", "ce lien", "ce site", "this site", "la source", "my site",
     "mon site", "official site", "site officiel"}  # fmt: skip

# Hide where they lead; the list of the widely used ones.
SHORTENERS = _words(
    """bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly cutt.ly rb.gy shorturl.at
    tiny.cc rebrand.ly t.ly v.gd bl.ink short.io s.id lnkd.in trib.al dlvr.it soo.gd clck.ru
    u.to qr.ae adf.ly shorte.st ouo.io bc.vc linktr.ee lnk.to taplink.cc hyperurl.co
    shrtco.de tny.im x.co 1url.com urlz.fr"""
)

# Top-level domains that cost almost nothing and carry most spam runs.
COMMERCIAL_TLDS = _words(
    """xyz top club online site shop store live click bet vip casino win loan biz icu buzz
    work rest fit bid trade date racing review stream download cam men party cricket science
    tk ml ga cf gq monster sbs cfd cyou quest bond autos boats homes lol pics"""
)

# A salesman's words in a domain's name: the unmistakable ones anywhere in it
# ("casinoroyal"), the short ones only as a whole part ("bet-365", not "alphabet").
_SALES_INSIDE = re.compile(
    r"casino|poker|jackpot|roulette|bonus|promo|crypto|bitcoin|forex|viagra|cialis|pharma"
    r"|pills|iptv|backlink|followers|replica|loans?\b|cheap|discount"
)
_SALES_PARTS = _words(
    """bet bets win wins cash money earn gain gains loan pret credit rx seo hack deal deals
    buy shop store free diet essay essays dating income invest profit trade trading outlet
    offre offres minceur rencontre rencontres gratuit slot slots sale sales"""
)
_PARTS = re.compile(r"[a-z]+")

# Public suffixes (and parts of them) whose domains belong to governments,
# universities or international bodies.
_INSTITUTIONAL_SUFFIXES = (
    "gouv.fr", "gov", "gov.uk", "gov.au", "gc.ca", "gob.es", "gob.mx", "gv.at", "admin.ch",
    "bund.de", "edu", "edu.au", "ac.uk", "ac.jp", "ac.kr", "ac.nz", "int", "mil", "nhs.uk",
    "police.uk", "parliament.uk", "europa.eu", "go.kr", "go.jp", "gouv.qc.ca", "belgium.be",
    "fgov.be", "admin.cam.ac.uk",
)
_INSTITUTIONAL_TLDS = frozenset({"gov", "edu", "int", "mil"})

_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # as written (trailing punctuation dropped)
    host: str  # lower case, without "www."
    domain: str  # registrable domain: bbc.co.uk, wikipedia.org
    kind: str  # REFERENCE, SHORTENER, COMMERCIAL or OTHER
    deep: bool  # points inside a site (an article), not to its home page
    anchor: str = ""  # the text of the <a> it was pasted in, if any

    @property
    def anchor_mismatch(self) -> bool:
        """The visible text of an HTML link names another site than the target,
        or says nothing ("ici", "source"), while the target is no reference."""
        if not self.anchor or self.kind == REFERENCE:
            return False
        named = find_urls(self.anchor)
        if named:
            return all(host_of(url) != self.host for url in named)
        return self.anchor.strip(" .:!»«\"'").lower() in _VAGUE_ANCHORS


@lru_cache(maxsize=1)
def reference_entries() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "reference_domains.txt"
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            entries.add(entry)
    return frozenset(entries)


def find_urls(text: str) -> list[str]:
    """Every link written in ``text``, trailing punctuation dropped."""
    return [match.rstrip(_TRAILING) for match in URL.findall(text)]


def host_of(url: str) -> str:
    """The host of a URL in lower case without ``www.``; ``""`` when there is none."""
    text = url if "://" in url else "http://" + url
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.strip(_TRAILING).removeprefix("www.")


@lru_cache(maxsize=4096)
def _describe_host(host: str) -> tuple[str, str]:
    """(registrable domain, kind) of a host."""
    parts = _extract(host)
    domain = parts.top_domain_under_public_suffix or host
    suffix = parts.suffix
    if _is_reference(host, suffix):
        return domain, REFERENCE
    if domain in SHORTENERS or host in SHORTENERS:
        return domain, SHORTENER
    last = suffix.rsplit(".", 1)[-1]
    if last in COMMERCIAL_TLDS or _is_sales_name(parts.domain):
        return domain, COMMERCIAL
    return domain, OTHER


def _is_sales_name(name: str) -> bool:
    return bool(_SALES_INSIDE.search(name)) or any(
        part in _SALES_PARTS for part in _PARTS.findall(name)
    )


def _is_reference(host: str, suffix: str) -> bool:
    if suffix.rsplit(".", 1)[-1] in _INSTITUTIONAL_TLDS:
        return True
    for part in _INSTITUTIONAL_SUFFIXES:
        if suffix == part or host == part or host.endswith("." + part):
            return True
    entries = reference_entries()
    labels = host.split(".")
    return any(".".join(labels[i:]) in entries for i in range(len(labels) - 1))


def describe(url: str, anchor: str = "") -> Link | None:
    """What one written link is; None when it names no host."""
    url = url.rstrip(_TRAILING)
    host = host_of(url)
    if not host or "." not in host:
        return None
    domain, kind = _describe_host(host)
    rest = url.split("://", 1)[-1].split("/", 1)
    path = rest[1] if len(rest) > 1 else ""
    return Link(url, host, domain, kind, deep=len(path.strip("/")) > 1, anchor=anchor)


def links_in(text: str) -> list[Link]:
    """Every link of a comment: pasted HTML anchors (with their text) first,
    then links written in the text itself."""
    found: list[Link] = []
    for match in ANCHOR.finditer(text):
        anchor = anchor_text(match.group(2)).strip()
        link = describe(match.group(1), anchor)
        if link:
            found.append(link)
    # The anchors' text stays for what it says, without the links it shows:
    # <a href="shop.xyz">lemonde.fr/article</a> cites nothing.
    rest = ANCHOR.sub(lambda match: " " + URL.sub(" ", anchor_text(match.group(2))) + " ", text)
    for url in find_urls(rest):
        link = describe(url)
        if link:
            found.append(link)
    return found


def anchor_text(html: str) -> str:
    return re.sub(r"<[^>]{0,200}>", " ", html)


def without_links(text: str) -> str:
    """The text a reader wrote around the links, links (and anchors' targets) removed."""
    text = ANCHOR.sub(lambda match: " " + anchor_text(match.group(2)) + " ", text)
    return re.sub(r"\s+", " ", URL.sub(" ", text)).strip()


# How far moderators' past decisions on a domain may move a score, in
# log-odds: four spam decisions and no approval give log(5) ≈ +1.6.
HISTORY_LIMIT = 2.0


def history_evidence(spam: float, ham: float) -> float:
    """Log-odds that a link to a domain is spam, from (decayed) counts of
    moderators' decisions on comments linking to it; 0 when none."""
    return max(-HISTORY_LIMIT, min(HISTORY_LIMIT, math.log((spam + 1.0) / (ham + 1.0))))


def may_decide(found: Sequence[Link], text: str, history: float = 0.0) -> bool:
    """Whether these links may by themselves put a comment in the spam band:
    a shortener, a commercial domain, a link whose text hides its target, a
    domain moderators have filed as spam here, or a comment of nothing but
    links. Citations, blogs and videos may not."""
    if not found:
        return False
    if history > 0 or len(without_links(text).split()) < 3:
        return True
    return any(
        link.kind in {SHORTENER, COMMERCIAL} or link.anchor_mismatch for link in found
    )
