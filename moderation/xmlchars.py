"""Characters that XML 1.0 does not allow in a document (its ``Char`` rule):
C0 controls other than tab, newline and carriage return, lone surrogates,
U+FFFE and U+FFFF. One of them in a feed makes the whole feed unreadable, so
input refuses them (:mod:`moderation.validation`), imports drop them
(:mod:`moderation.transfer`) and the feed writer drops any that got in anyway
(:mod:`moderation.atom`)."""

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def first_forbidden(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 forbids, if any."""
    found = FORBIDDEN.search(text)
    return found[0] if found else None


def drop_forbidden(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return FORBIDDEN.sub("", text)
