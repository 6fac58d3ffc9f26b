"""Turn comments into one sparse row: hashed character n-grams, hashed word
n-grams, then a few signals of the comment form. See MODEL.md."""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from classifiers.links import COMMERCIAL, REFERENCE, SHORTENER
from classifiers.ngrams import (
    char_ngram_matrix,
    text_windows,
    word_column,
    word_grams,
    word_ngram_matrix,
)
from classifiers.normalise import Analysed, analyse, find_urls
from classifiers.sample import Sample

_ANY_DIGIT = re.compile(r"[0-9]")
_RUN = re.compile(r"(.)\1{3,}")
_SPACE_RUN = re.compile(r"\s\s+")
_PHONE = re.compile(r"(?:\+?\d[\s.-]?){8,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")

# (name, what a moderator reads). Values are scaled into [0, 1]. Links to
# references (newspapers, public bodies, encyclopaedias, law texts) count
# apart from the others: citing a source is not advertising.
META = (
    ("link_count", "number of links"),
    ("has_link", "has a link"),
    ("link_domains", "distinct link domains"),
    ("reference_links", "links to reference sources"),
    ("shortener", "shortened link"),
    ("commercial_link", "link to a commercial domain"),
    ("home_page_link", "link to a home page"),
    ("link_only", "nothing but links"),
    ("link_density", "links for the length of the text"),
    ("anchor_mismatch", "link text hides its target"),
    ("obfuscated", "disguised spelling"),
    ("email_in_text", "e-mail address in the text"),
    ("author_has_url", "author name holds a URL"),
    ("author_digits", "author name holds many digits"),
    ("website_filled", "website field filled"),
    ("length", "text length"),
    ("upper_ratio", "share of upper-case letters"),
    ("digit_ratio", "share of digits"),
    ("repeated_chars", "repeated characters"),
    ("phone_number", "phone number"),
)

# Form-field signals (author, website) come only from our own corpora; shrunk
# inputs need large weights, which the L2 penalty resists, so one such signal
# can tip a score but not decide it alone.
META_SCALE = np.array(
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.25, 0.25, 0.25, 1, 1, 1, 1, 1], dtype=np.float64
)


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    char_ngram_range: tuple[int, int] = (3, 5)
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


def meta_values(sample: Sample, analysed: Analysed | None = None) -> list[float]:
    """The form signals of one comment, each in [0, 1] (before ``META_SCALE``)."""
    body = sample.body
    analysed = analysed or analyse(body)
    found = analysed.links
    others = [link for link in found if link.kind != REFERENCE]
    # Length, case and digits are the reader's own words: a URL's path is
    # full of digits and would look like a phone number or a price list.
    prose = analysed.prose
    words = len(prose.split())
    letters = sum(map(str.isalpha, prose))
    upper = sum(map(str.isupper, prose))
    digits = sum(map(str.isdigit, prose))
    longest_run = max((len(match.group(0)) for match in _RUN.finditer(prose)), default=0)
    tricks = analysed.tricks + (1 if not body.isascii() and _FULL_WIDTH.search(body) else 0)
    return [
        min(len(others), 5) / 5,
        1.0 if others else 0.0,
        min(len({link.domain for link in others}), 3) / 3,
        min(len(found) - len(others), 3) / 3,
        1.0 if any(link.kind == SHORTENER for link in others) else 0.0,
        1.0 if any(link.kind == COMMERCIAL for link in others) else 0.0,
        1.0 if any(not link.deep for link in others) else 0.0,
        1.0 if others and words < 3 else 0.0,
        min(1.0, 10 * len(others) / max(words, 1)),
        1.0 if any(link.anchor_mismatch for link in others) else 0.0,
        min(tricks, 3) / 3,
        1.0 if "@" in prose and _EMAIL.search(prose) else 0.0,
        1.0 if "." in sample.author and find_urls(sample.author) else 0.0,
        1.0 if sum(map(str.isdigit, sample.author)) >= 5 else 0.0,  # "jean1975" is fine
        1.0 if sample.url.strip() else 0.0,
        math.log1p(len(prose)) / math.log1p(5000),
        upper / letters if letters else 0.0,
        digits / len(prose) if prose else 0.0,
        min(longest_run, 10) / 10,
        1.0 if digits >= 8 and _PHONE.search(prose) else 0.0,
    ]


class Featuriser:
    """Stateless: hashed character and word n-grams and the form signals, side
    by side. No sign trick: each hashed column means "this n-gram" (or its
    rare collision partners), which keeps explanations honest. See ngrams.py."""

    def __init__(self, settings: FeatureSettings) -> None:
        self.settings = settings

    @staticmethod
    def text(sample: Sample, analysed: Analysed | None = None) -> str:
        """Normalised body, every digit folded to 0: "1,884,034 views" and
        "2,124,821 views" should look alike, phone numbers too."""
        return _ANY_DIGIT.sub("0", (analysed or analyse(sample.body)).text)

    def transform(self, samples: Sequence[Sample]) -> sp.csr_matrix:
        analysed = [analyse(sample.body) for sample in samples]
        texts = [self.text(sample, one) for sample, one in zip(samples, analysed, strict=True)]
        chars = char_ngram_matrix(
            texts, self.settings.char_ngram_range, self.settings.n_char_features
        )
        words = word_ngram_matrix(
            [_word_text(sample, text) for sample, text in zip(samples, texts, strict=True)],
            self.settings.word_ngram_range, self.settings.n_word_features,
        )  # fmt: skip
        rows = [meta_values(sample, one) for sample, one in zip(samples, analysed, strict=True)]
        meta = sp.csr_matrix(np.array(rows, dtype=np.float64).reshape(-1, len(META)) * META_SCALE)
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
        grams = word_grams(_word_text(sample, self.text(sample)), self.settings.word_ngram_range)
        for gram in set(grams):
            column = offset + word_column(gram, self.settings.n_word_features)
            if column in values:
                key = (gram, "phrase" if " " in gram else "text")
                totals[key] = totals.get(key, 0.0) + weights[column] * values.pop(column)
        offset += self.settings.n_word_features
        for position, (_name, label) in enumerate(META):
            column = offset + position
            if column in values:
                totals[(label, "signal")] = weights[column] * values[column]
        return totals
