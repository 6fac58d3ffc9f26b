"""Hashed character n-grams for a whole batch at once, in numpy.

scikit-learn's HashingVectorizer builds every n-gram as a Python string, which
took most of the scoring time. Here each n-gram is a polynomial hash of its
code points, computed for all windows of all texts with a few vector
operations; :func:`column` computes the same column for one n-gram so
explanations can name it.
"""

import re
import zlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

_P = np.uint64(1099511628211)  # FNV-1 64-bit prime
_M1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3 fmix64 constants
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_MASK64 = (1 << 64) - 1


def _mix(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(33))
    values = values * _M1
    values = values ^ (values >> np.uint64(33))
    values = values * _M2
    return values ^ (values >> np.uint64(33))


def column(gram: str, n_features: int) -> int:
    """The column of one n-gram: the scalar twin of :func:`char_ngram_matrix`."""
    value = 0
    for char in gram:
        value = (value * 1099511628211 + ord(char) + 1) & _MASK64
    value = (value * 1099511628211 + len(gram)) & _MASK64
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _MASK64
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _MASK64
    value ^= value >> 33
    return value % n_features


def _windows(
    texts: Sequence[str], ngram_range: tuple[int, int], n_features: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(text index, start offset in the joined texts, size, column) of every
    character n-gram of every text."""
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64) + np.uint64(1)
    owner = np.repeat(np.arange(len(texts)), lengths)  # which text each character belongs to
    rows, starts, sizes, cols = [], [], [], []
    low, high = ngram_range
    for size in range(low, high + 1):
        windows = len(codes) - size + 1
        if windows <= 0:
            break
        hashed = np.zeros(windows, dtype=np.uint64)
        for offset in range(size):
            hashed = hashed * _P + codes[offset : offset + windows]
        hashed = hashed * _P + np.uint64(size)
        inside = owner[:windows] == owner[size - 1 : size - 1 + windows]  # not across texts
        rows.append(owner[:windows][inside])
        starts.append(np.flatnonzero(inside))
        sizes.append(np.full(int(inside.sum()), size, dtype=np.int64))
        cols.append((_mix(hashed[inside]) % np.uint64(n_features)).astype(np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return tuple(np.concatenate(part) if part else empty for part in (rows, starts, sizes, cols))


def text_windows(
    text: str, ngram_range: tuple[int, int], n_features: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, size, column) of every character n-gram of one text."""
    _rows, starts, sizes, cols = _windows([text], ngram_range, n_features)
    return starts, sizes, cols


def char_ngram_matrix(
    texts: Sequence[str], ngram_range: tuple[int, int], n_features: int
) -> sp.csr_matrix:
    """Counts of every character n-gram of each text, rows scaled to unit L2 norm."""
    row, _starts, _sizes, col = _windows(texts, ngram_range, n_features)
    matrix = sp.csr_matrix(
        (np.ones(len(row)), (row, col)), shape=(len(texts), n_features), dtype=np.float64
    )
    matrix.sum_duplicates()
    return normalize(matrix, norm="l2", copy=False)


# Words: runs of letters, digits and "_" (single characters count), as
# scikit-learn's token_pattern r"(?u)\b\w+\b"; hashed with CRC-32, a stable
# hash that Python computes in C (HashingVectorizer's own pipeline cost more
# than all the rest of the featurisation).
_TOKEN = re.compile(r"\w+")


def word_grams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """The word n-grams of ``text``, in order, as the model counts them."""
    tokens = _TOKEN.findall(text)
    low, high = ngram_range
    grams = tokens if low == 1 else []
    for size in range(max(low, 2), high + 1):
        grams = grams + [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]
    return grams


def word_column(gram: str, n_features: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) % n_features


def word_ngram_matrix(
    texts: Sequence[str], ngram_range: tuple[int, int], n_features: int
) -> sp.csr_matrix:
    """Counts of every word n-gram of each text, rows scaled to unit L2 norm."""
    rows: list[int] = []
    cols: list[int] = []
    for index, text in enumerate(texts):
        grams = word_grams(text, ngram_range)
        rows.extend([index] * len(grams))
        cols.extend(zlib.crc32(gram.encode("utf-8")) for gram in grams)
    matrix = sp.csr_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64),
                              np.asarray(cols, dtype=np.int64) % n_features)),
        shape=(len(texts), n_features), dtype=np.float64,
    )  # fmt: skip
    matrix.sum_duplicates()
    return normalize(matrix, norm="l2", copy=False)
