"""Turn what a reader typed into a whole number, or refuse it."""

import re
import unicodedata

# Nine digits is far above any answer we ask for and keeps int() cheap.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def normalise_answer(raw: object) -> int | None:
    """Return the typed answer as an int, or None when it is not a whole number.

    NFKC folds full-width digits (``１２``) to ASCII; surrounding spaces are
    ignored. Signs, decimals, words and non-strings are all None.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw < 10**9 else None
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)
