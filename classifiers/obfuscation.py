"""Undo the spellings spam uses to slip past word filters, and count them.

- homoglyphs: Cyrillic or Greek letters that look Latin, inside a Latin word
  (``саsinо`` with a Cyrillic а and о); a word wholly in another script is
  left alone, so Russian stays Russian;
- spaced letters: ``c a s i n o``, ``b.i.t.c.o.i.n``;
- look-alike digits and signs between letters: ``v1agra``, ``ca$ino``;
- spelled-out dots in an address: ``promo-bonus point com``, ``site [dot] net``;
- invisible characters inside a word (counted here, removed by ``normalise``).

Works on lower-case text. Each undone trick adds one to the count, which the
classifier reads as a signal of its own: readers do not write like this.
"""

import re

# Lower-case Cyrillic and Greek letters drawn like Latin ones.
_LOOKALIKE = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ѵ": "v",
    }
)  # fmt: skip
_FOREIGN_LOOKALIKES = frozenset("авеёкмнорстухѕіїјԁԛԝһӏɡαβεηικνορτυχωѵ")
_ANY_LOOKALIKE = re.compile("[" + "".join(sorted(_FOREIGN_LOOKALIKES)) + "]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN = re.compile(r"[a-z]")

# Four or more single letters joined by one separator each: "c a s i n o".
_SPACED = re.compile(r"(?<![\w.])(?:[^\W\d_][ .\-_*·]){3,}[^\W\d_](?![\w])")
_SEPARATORS = re.compile(r"[ .\-_*·]")

# A digit or sign standing for a letter, with letters on both sides.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_INSIDE = re.compile(r"(?<=[a-z])(?:[013457$]|@(?![a-z0-9-]+\.[a-z]))+(?=[a-z])")
_LEET_END = re.compile(r"(?<=[a-z]{4})0\b")  # "crypt0"
_LEET_CHARACTERS = frozenset(_LEET)

# "promo-bonus point com", "site [dot] net", "casino (.) fr", "promo . fr"
_SPELLED_DOT = re.compile(
    r"\b([a-z0-9][a-z0-9-]{2,})\s*(?:\(\s*(?:\.|dot|point)\s*\)|\[\s*(?:\.|dot|point)\s*\]"
    r"|\s(?:dot|point|punkt|punto)\s|\s\.\s)\s*"
    r"(com|net|org|fr|xyz|info|biz|io|co|shop|online|site|top|club|store|live|bet|vip|click)\b"
)

_DOT_HINT = re.compile(r"dot|point|punkt|punto|\s\.\s|[(\[]\s*\.")
_INVISIBLE_INSIDE = re.compile(
    r"(?<=\w)[\u00ad\u034f\u200b-\u200d\u2060-\u2064\ufeff]+(?=\w)", re.UNICODE
)


def hidden_characters(text: str) -> int:
    """Invisible characters hidden inside words (before they are removed)."""
    return len(_INVISIBLE_INSIDE.findall(text))


def fold(text: str) -> tuple[str, int]:
    """The lower-case ``text`` with its tricks undone, and how many there were."""
    tricks = 0

    def latinise(match: re.Match[str]) -> str:
        nonlocal tricks
        word = match.group(0)
        if _LATIN.search(word) and any(char in _FOREIGN_LOOKALIKES for char in word):
            tricks += 1
            return word.translate(_LOOKALIKE)
        return word

    if not text.isascii() and _ANY_LOOKALIKE.search(text):  # most text: one scan
        text = _WORD.sub(latinise, text)

    def join(match: re.Match[str]) -> str:
        nonlocal tricks
        tricks += 1
        return _SEPARATORS.sub("", match.group(0))

    text = _SPACED.sub(join, text)

    def unleet(match: re.Match[str]) -> str:
        nonlocal tricks
        tricks += 1
        return "".join(_LEET[char] for char in match.group(0))

    if not _LEET_CHARACTERS.isdisjoint(text):  # most text has none: skip two scans
        text = _LEET_INSIDE.sub(unleet, text)
        if "0" in text:
            text = _LEET_END.sub(unleet, text)

    def dot(match: re.Match[str]) -> str:
        nonlocal tricks
        tricks += 1
        return f"{match.group(1)}.{match.group(2)}"

    if _DOT_HINT.search(text):
        text = _SPELLED_DOT.sub(dot, text)
    return text, tricks
