"""SimHash fingerprints: near-identical texts get fingerprints a few bits apart.

Spam runs repeat one message with small edits across threads and names; the
fingerprint of the folded text's character 5-grams catches them.
"""

import hashlib
import re
import unicodedata

from classifiers.normalise import normalise

BITS = 64
_NOT_WORD = re.compile(r"[\W_]+")


def _feature_hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def fold(text: str) -> str:
    """Normalised, accents and punctuation gone: "Très intéressant !!!" → "tres interessant"."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", bare).strip()


def simhash(text: str, shingle: int = 5) -> int:
    """64-bit SimHash of the folded text's character ``shingle``-grams."""
    folded = fold(text)
    if not folded:
        return 0
    size = min(shingle, len(folded))
    weights = [0] * BITS
    for start in range(len(folded) - size + 1):
        value = _feature_hash(folded[start : start + size])
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def distance(one: int, other: int) -> int:
    return (one ^ other).bit_count()
