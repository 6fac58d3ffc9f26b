import random

import pytest

from captcha.question import MINUS, TIMES, make_question

pytestmark = pytest.mark.cluster


class Seeded:
    """A deterministic source for tests only; production uses ``secrets``."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)  # noqa: S311

    def randbelow(self, n: int) -> int:
        return self._random.randrange(n)


def _parse(text: str) -> tuple[int, str, int]:
    left, operator, right, equals = text.split(" ")
    assert equals == "="
    return int(left), operator, int(right)


def test_questions_have_two_digit_operands_and_non_negative_answers():
    operators = set()
    for _ in range(2000):
        question = make_question()
        left, operator, right = _parse(question.text)
        operators.add(operator)
        assert 10 <= left <= 99 and 10 <= right <= 99
        assert operator in {"+", MINUS}
        assert question.answer >= 0
        expected = left + right if operator == "+" else left - right
        assert question.answer == expected
    assert operators == {"+", MINUS}


def test_minus_is_the_unicode_minus_sign():
    rng = Seeded(1)
    texts = [make_question(rng).text for _ in range(50)]
    subtractions = [text for text in texts if MINUS in text]
    assert subtractions and all("-" not in text for text in texts)


def test_multiplication_is_optional_and_keeps_a_small_factor():
    seen = set()
    for _ in range(500):
        question = make_question(allow_multiply=True)
        left, operator, right = _parse(question.text)
        seen.add(operator)
        if operator == TIMES:
            assert 10 <= left <= 19 and 2 <= right <= 9
            assert question.answer == left * right
    assert TIMES in seen


def test_an_injected_source_decides_the_operands():
    assert make_question(Seeded(7)) == make_question(Seeded(7))
