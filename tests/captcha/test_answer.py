import pytest
from hypothesis import given
from hypothesis import strategies as st

from captcha import normalise_answer

pytestmark = pytest.mark.cluster


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3", 3),
        ("  42 ", 42),
        ("\t7\n", 7),
        ("\uff14\uff12", 42),  # full-width ４２
        ("\u00a012\u3000", 12),  # no-break and ideographic spaces
        ("007", 7),
        (42, 42),
    ],
)
def test_accepted_answers(typed, expected):
    assert normalise_answer(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "-3", "+3", "3.0", "3,0", "1e3", "trois", "4 2", "0x10", None, True, -1,
     3.0, [], "9" * 10, "1" * 100],
)  # fmt: skip
def test_anything_that_is_not_a_whole_number_is_refused(typed):
    assert normalise_answer(typed) is None


@given(st.integers(min_value=0, max_value=999_999_999), st.text(" \t\u3000", max_size=3))
def test_digits_round_trip_with_surrounding_space(number, space):
    assert normalise_answer(f"{space}{number}{space}") == number


@given(st.integers(min_value=0, max_value=999_999_999))
def test_full_width_digits_mean_the_same(number):
    wide = "".join(chr(0xFF10 + int(digit)) for digit in str(number))
    assert normalise_answer(wide) == number


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_never_raises_and_gives_an_int_or_none(value):
    result = normalise_answer(value)
    assert result is None or (isinstance(result, int) and result >= 0)
