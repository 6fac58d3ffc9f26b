import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.validation import (
    AUTHOR_MAX,
    BODY_MAX,
    InvalidField,
    clean_author,
    clean_body,
    clean_comment,
    clean_email,
    clean_url,
)


def test_a_good_comment_is_cleaned():
    data = clean_comment(" Léa ", "Lea@Example.ORG", " Bonjour\r\nà tous ", "example.org/blog")
    assert data.author == "Léa"
    assert data.email == "Lea@example.org"
    assert data.body == "Bonjour\nà tous"
    assert data.url == "https://example.org/blog"


@pytest.mark.parametrize(
    "url", ["http://example.org", "https://exemple.fr/a?b=c#d", "HTTPS://EXAMPLE.ORG"]
)
def test_http_and_https_urls_pass(url):
    assert clean_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
     "vbscript:x", "file:///etc/passwd", "//evil.example", "http://exa mple.org",
     "http://[::1", "https://example.org:99999", "http:///path"],
)  # fmt: skip
def test_other_urls_are_refused(url):
    with pytest.raises(InvalidField) as caught:
        clean_url(url)
    assert caught.value.field == "url"


@given(st.text(max_size=AUTHOR_MAX + 20))
def test_author_is_either_clean_or_refused_with_its_field(value):
    try:
        author = clean_author(value)
    except InvalidField as error:
        assert error.field == "author"
        return
    assert author == author.strip() and 0 < len(author) <= AUTHOR_MAX
    assert not any(ord(char) < 32 or ord(char) == 127 for char in author)


@given(st.text(max_size=200))
def test_body_is_either_clean_or_refused_with_its_field(value):
    try:
        body = clean_body(value)
    except InvalidField as error:
        assert error.field == "body"
        return
    assert body and body == body.strip() and len(body) <= BODY_MAX
    assert "\r" not in body
    assert all(char in "\n\t" or ord(char) >= 32 for char in body if ord(char) < 128)
    body.encode("utf-8")  # never a lone surrogate


@given(st.text(max_size=100))
def test_email_and_url_never_raise_anything_else(value):
    for rule in (clean_email, clean_url):
        with contextlib.suppress(InvalidField):
            rule(value)


@given(st.from_regex(r"[a-z]{1,10}\.(org|fr|com)(/[a-z0-9]{0,8})?", fullmatch=True))
def test_bare_domains_become_https_urls(value):
    assert clean_url(value) == "https://" + value
