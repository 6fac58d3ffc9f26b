"""A word-level diff of two texts as HTML (``<del>``/``<ins>``), for the
moderator reading what an author changed in a published comment."""

import difflib
import re

from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")


def diff_html(before: str, after: str) -> Markup:
    """Both texts escaped; removed words in ``<del>``, added ones in ``<ins>``."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in {"delete", "replace"}:
            parts.append(Markup("<del>%s</del>") % "".join(old[i1:i2]))
        if op in {"insert", "replace"}:
            parts.append(Markup("<ins>%s</ins>") % "".join(new[j1:j2]))
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
    return Markup("").join(parts)
