"""Arithmetic questions such as « 19 − 16 = » with a non-negative answer."""

import secrets
from dataclasses import dataclass
from typing import Protocol

MINUS = "\u2212"  # U+2212, the typographic minus sign
TIMES = "\u00d7"


class RandomSource(Protocol):
    def randbelow(self, n: int, /) -> int: ...


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    answer: int


def _between(rng: RandomSource, low: int, high: int) -> int:
    return low + rng.randbelow(high - low + 1)


def make_question(rng: RandomSource | None = None, *, allow_multiply: bool = False) -> Question:
    """Two two-digit operands and one operator; never a negative answer.

    ``rng`` defaults to the ``secrets`` module so operands are unpredictable;
    tests may pass their own source.
    """
    source: RandomSource = rng if rng is not None else secrets
    operators = "+-x" if allow_multiply else "+-"
    operator = operators[source.randbelow(len(operators))]
    if operator == "x":
        # One small factor keeps the product easy to compute mentally.
        left, right = _between(source, 10, 19), _between(source, 2, 9)
        return Question(f"{left} {TIMES} {right} =", left * right)
    left, right = _between(source, 10, 99), _between(source, 10, 99)
    if operator == "-":
        left, right = max(left, right), min(left, right)
        return Question(f"{left} {MINUS} {right} =", left - right)
    return Question(f"{left} + {right} =", left + right)
