"""Arithmetic CAPTCHA: make a question, keep its answer server-side, check it once.

Knows nothing of comments; callers pass a Redis client and a scope (the
thread a token is good for).
"""

from captcha.answer import normalise_answer
from captcha.errors import CaptchaError, Expired, Used, Wrong, WrongThread, raise_for
from captcha.question import Question, make_question
from captcha.store import CHECK_LUA, Challenge, ChallengeStore, Passed

__all__ = [
    "CHECK_LUA",
    "CaptchaError",
    "Challenge",
    "ChallengeStore",
    "Expired",
    "Passed",
    "Question",
    "Used",
    "Wrong",
    "WrongThread",
    "make_question",
    "normalise_answer",
    "raise_for",
]
