"""A comment's language, French or English, else ``other``: enough to split
the figures of a report by language, not a general language identifier.

The commonest short words of each language are counted; French accents tip
a tie. A comment too short to tell (« Bravo ! », "+1") is ``other``.
"""

import re

FR, EN, OTHER = "fr", "en", "other"


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FRENCH = _vocabulary(
    "le la les l de des du d un une et est sont que qu qui pas ne n pour dans sur avec ce cette "
    "ces c il elle ils elles nous vous je j on mais ou au aux son sa ses leur leurs plus tout "
    "très ça y a été être fait comme même aussi donc car si sans entre chez merci bravo enfin "
    "quoi rien article ici alors encore moi toi lui faut peut où"
)
_ENGLISH = _vocabulary(
    "the a an and is are was were of to in that this it its for on with as be been have has "
    "not but they you we he she at by from or what which if would there their than so do does "
    "did about just this i my me our your who how why thanks rubbish yes no article"
)
# Words common in neighbouring languages and rare in French or English: a
# Spanish or German comment is "other", not bad French.
_NEIGHBOURS = _vocabulary(
    "el los las del por una es para como pero más muy también der die das und ist nicht ich "
    "ein eine mit auf für von den zu auch il di che è non per sono gli della delle o os do da "
    "não com em uma het een niet dat wel ook voor naar"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ACCENTS = re.compile("[éèêàùçôîœ]")


def guess(text: str) -> str:
    words = [word.lower() for word in _WORD.findall(text)]
    words = [part for word in words for part in word.split("'")]
    if not words:
        return OTHER
    french = sum(word in _FRENCH for word in words)
    english = sum(word in _ENGLISH for word in words)
    if _ACCENTS.search(text.lower()):
        french += 1
    if sum(word in _NEIGHBOURS for word in words) > max(french, english):
        return OTHER
    if max(french, english) < max(1, len(words) // 8):
        return OTHER
    if french == english:
        return OTHER
    return FR if french > english else EN
