"""The validator rules of RFC 9110 on their own (web/conditional.py); the
routes that use them are walked in test_http_semantics.py."""

from datetime import UTC, datetime

import pytest
from flask import Flask, request

from moderation.web.conditional import last_modified, not_modified

TAG = "0123abcd"
CHANGED = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
DATE = "Sun, 01 Mar 2026 12:00:05 GMT"


@pytest.fixture(scope="module")
def bare():
    return Flask(__name__)


def check(bare, headers, modified=CHANGED):
    with bare.test_request_context(headers=headers):
        return not_modified(request, TAG, modified)


@pytest.mark.parametrize("sent", [
    f'"{TAG}"', f'W/"{TAG}"', "*", f'"x", W/"{TAG}"', f'W/"x",W/"{TAG}" , "y"',
])  # fmt: skip
def test_if_none_match_compares_weakly(bare, sent):
    assert check(bare, {"If-None-Match": sent})


@pytest.mark.parametrize("sent", ['"x"', 'W/"x"', f'"{TAG}x"', f'W/"x{TAG}"', ""])
def test_other_tags_do_not_match(bare, sent):
    assert not check(bare, {"If-None-Match": sent})


def test_if_modified_since_is_read_only_without_if_none_match(bare):
    assert check(bare, {"If-Modified-Since": DATE})
    assert check(bare, {"If-Modified-Since": "Sun, 01 Mar 2026 12:00:06 GMT"})
    assert not check(bare, {"If-Modified-Since": "Sun, 01 Mar 2026 12:00:04 GMT"})
    assert not check(bare, {"If-Modified-Since": DATE, "If-None-Match": '"x"'})
    assert not check(bare, {"If-Modified-Since": DATE}, modified=None)
    assert not check(bare, {"If-Modified-Since": "not a date"})
    assert not check(bare, {})


def test_a_date_is_given_once_its_second_is_over():
    changed = CHANGED.timestamp() + 0.25
    assert last_modified(None, changed + 100) is None
    assert last_modified(changed, changed) is None
    assert last_modified(changed, CHANGED.timestamp() + 0.999) is None
    assert last_modified(changed, CHANGED.timestamp() + 1) == CHANGED
