"""Tests answer the CAPTCHA the way a reader does: read the question, compute."""

import re

_QUESTION = re.compile(r"^\s*(\d+)\s*([+\u2212\u00d7])\s*(\d+)\s*=\s*$")


def solve(question: str) -> int:
    match = _QUESTION.match(question)
    assert match, f"not an arithmetic question: {question!r}"
    left, operator, right = int(match[1]), match[2], int(match[3])
    return {"+": left + right, "\u2212": left - right, "\u00d7": left * right}[operator]
