"""Turn comments into one sparse row: hashed character n-grams, hashed word
n-grams, then a few signals of the comment form. See MODEL.md."""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifiers.ngrams import char_ngram_matrix, text_windows
from classifiers.normalise import domain_of, find_urls, normalise
from classifiers.sample import Sample

_DIGIT = re.compile(r"\d")
_ANY_DIGIT = re.compile(r"[0-9]")
_RUN = re.compile(r"(.)\1{3,}")
_SPACE_RUN = re.compile(r"\s\s+")
_PHONE = re.compile(r"(?:\+?\d[\s.-]?){8,}")

# (name, what a moderator reads). Values are scaled into [0, 1].
META = (
    ("link_count", "number of links"),
    ("has_link", "has a link"),
    ("link_domains", "distinct link domains"),
    ("author_has_url", "author name holds a URL"),
    ("author_digits", "author name holds many digits"),
    ("website_filled", "website field filled"),
    ("length", "text length"),
    ("upper_ratio", "share of upper-case letters"),
    ("digit_ratio", "share of digits"),
    ("repeated_chars", "repeated characters"),
    ("phone_number", "phone number"),
)


# Form-field signals (author, website) come only from our own seed corpus;
# shrunk inputs need large weights, which the L2 penalty resists, so one such
# signal can tip a score but not decide it alone.
META_SCALE = np.array([1, 1, 1, 0.25, 0.25, 0.25, 1, 1, 1, 1, 1], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    char_ngram_range: tuple[int, int] = (2, 5)
    word_ngram_range: tuple[int, int] = (1, 2)
    n_char_features: int = 2**20
    n_word_features: int = 2**18

    @property
    def n_features(self) -> int:
        return self.n_char_features + self.n_word_features + len(META)


def _word_text(sample: Sample, text: str) -> str:
    domain = sample.email.rpartition("@")[2].lower()
    extra = f" emaild_{domain.replace('.', '_').replace('-', '_')}" if domain else ""
    return text + extra


def meta_values(sample: Sample) -> np.ndarray:
    body = sample.body
    urls = find_urls(body) if "." in body or "://" in body else []  # cheap pre-check
    letters = sum(map(str.isalpha, body))
    upper = sum(map(str.isupper, body))
    digits = sum(map(str.isdigit, body))
    longest_run = max((len(match.group(0)) for match in _RUN.finditer(body)), default=0)
    return np.array(
        [
            min(len(urls), 5) / 5,
            1.0 if urls else 0.0,
            min(len({domain_of(url) for url in urls}), 3) / 3,
            1.0 if find_urls(sample.author) else 0.0,
            1.0 if sum(map(str.isdigit, sample.author)) >= 5 else 0.0,  # "jean1975" is fine
            1.0 if sample.url.strip() else 0.0,
            math.log1p(len(body)) / math.log1p(5000),
            upper / letters if letters else 0.0,
            digits / len(body) if body else 0.0,
            min(longest_run, 10) / 10,
            1.0 if digits >= 8 and _PHONE.search(body) else 0.0,
        ]
    )


class Featuriser:
    """Stateless: two hashing vectorizers and the form signals, side by side."""

    def __init__(self, settings: FeatureSettings) -> None:
        self.settings = settings
        # alternate_sign off: each hashed column then means "this n-gram", which
        # keeps explanations honest. Character n-grams: see ngrams.py.
        self.words = HashingVectorizer(
            analyzer="word",
            ngram_range=settings.word_ngram_range,
            n_features=settings.n_word_features,
            alternate_sign=False,
            lowercase=False,
            token_pattern=r"(?u)\b\w+\b",
            dtype=np.float64,
        )

    @staticmethod
    def text(sample: Sample) -> str:
        """Normalised body, every digit folded to 0: "1,884,034 views" and
        "2,124,821 views" should look alike, phone numbers too."""
        return _ANY_DIGIT.sub("0", normalise(sample.body))

    def transform(self, samples: Sequence[Sample]) -> sp.csr_matrix:
        texts = [self.text(sample) for sample in samples]
        chars = char_ngram_matrix(
            texts, self.settings.char_ngram_range, self.settings.n_char_features
        )
        words = self.words.transform(
            [_word_text(sample, text) for sample, text in zip(samples, texts, strict=True)]
        )
        meta = sp.csr_matrix(np.vstack([meta_values(sample) for sample in samples]) * META_SCALE)
        return sp.hstack([chars, words, meta], format="csr")

    def contributions(
        self, sample: Sample, row: sp.csr_matrix, weights: np.ndarray
    ) -> dict[tuple[str, str], float]:
        """This sample's score (minus the intercept) split among readable names.

        Each character n-gram counts for the word under its middle character,
        so a moderator reads « casino » rather than « asin »; word n-grams and
        form signals are named as they are. The parts add up to the margin.
        """
        totals: dict[tuple[str, str], float] = {}
        values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        text = _SPACE_RUN.sub(" ", self.text(sample))
        n_char = self.settings.n_char_features
        starts, sizes, cols = text_windows(text, self.settings.char_ngram_range, n_char)
        if len(cols):
            _unique, counts = np.unique(cols, return_counts=True)
            norm = float(np.sqrt(np.sum(counts.astype(np.float64) ** 2)))
            share = weights[cols] / norm  # one occurrence of a normalised count
            word_of = np.full(len(text), -1, dtype=np.int64)
            words = []
            for match in re.finditer(r"\S+", text):
                word_of[match.start() : match.end()] = len(words)
                words.append(match.group(0))
            owner = word_of[starts + sizes // 2]
            owner = np.where(owner < 0, word_of[starts], owner)
            owner = np.where(owner < 0, word_of[starts + sizes - 1], owner)
            per_word = np.bincount(owner[owner >= 0], weights=share[owner >= 0],
                                   minlength=len(words))  # fmt: skip
            for word, total in zip(words, per_word.tolist(), strict=True):
                key = (word, "text")
                totals[key] = totals.get(key, 0.0) + total
        offset = n_char
        for gram in set(self.words.build_analyzer()(_word_text(sample, self.text(sample)))):
            column = self._column(gram, offset, self.settings.n_word_features)
            if column in values:
                key = (gram, "phrase" if " " in gram else "text")
                totals[key] = totals.get(key, 0.0) + weights[column] * values.pop(column)
        offset += self.settings.n_word_features
        for position, (_name, label) in enumerate(META):
            column = offset + position
            if column in values:
                totals[(label, "signal")] = weights[column] * values[column]
        return totals

    @staticmethod
    def _column(gram: str, offset: int, size: int) -> int:
        return offset + abs(murmurhash3_32(gram, seed=0, positive=False)) % size
