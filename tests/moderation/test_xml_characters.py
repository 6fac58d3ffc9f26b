"""Characters XML 1.0 forbids (U+FFFE, U+FFFF, C0 controls but tab, newline and
carriage return, lone surrogates) are refused at input, naming the field, on
the API and on the form; and the feeds stay well-formed whatever is stored."""

import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import quote_from_bytes

import pytest

from moderation import atom
from moderation.keys import SiteKeys
from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, post

A = "{http://www.w3.org/2005/Atom}"
PAGE = f"/articles/{THREAD}"
FORBIDDEN = {
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    "U+0000": "\x00",
    "U+001B": "\x1b",
    "lone surrogate": "\ud800",
}
# Each field's good value, with {} where the attacker's character goes.
FIELDS = {
    "author": "Ca{}mille",
    "email": "cam{}ille@example.org",
    "url": "https://exem{}ple.org/blog",
    "body": "Un article {}clair, merci.",
}


def stored(redis_client):
    return list(redis_client.scan_iter("comment:*"))


@pytest.fixture
def limited_client(make_app):
    """Rate limits on, as in production: the limiter reads the e-mail address
    before the view does."""
    return make_app(RATELIMIT_ENABLED=True).test_client()


@pytest.mark.parametrize("char", FORBIDDEN.values(), ids=FORBIDDEN.keys())
@pytest.mark.parametrize("field", FIELDS)
def test_the_api_refuses_them_naming_the_field(limited_client, redis_client, field, char):
    payload = comment_payload(limited_client, **{field: FIELDS[field].format(char)})
    response = post(limited_client, payload)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert (error["field"], error["code"]) == (field, "invalid_character")
    assert stored(redis_client) == []


def urlencoded(data: dict[str, str], field: str, raw: bytes) -> bytes:
    """The form as a client sends it, ``field`` holding the bytes ``raw``."""
    pairs = [(name, value.encode()) for name, value in data.items() if name != field]
    pairs.append((field, raw))
    return "&".join(f"{name}={quote_from_bytes(value)}" for name, value in pairs).encode()


def multipart(data: dict[str, str], field: str, raw: bytes) -> tuple[bytes, str]:
    boundary = "form-boundary-7MA4YWxk"
    parts = [(name, value.encode()) for name, value in data.items() if name != field]
    parts.append((field, raw))
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value + b"\r\n"
        for name, value in parts
    ) + f"--{boundary}--\r\n".encode()  # fmt: skip
    return body, f"multipart/form-data; boundary={boundary}"


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert match, f"no error shown on {field}"
    return unescape(match[1])


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
@pytest.mark.parametrize("char", FORBIDDEN.values(), ids=FORBIDDEN.keys())
@pytest.mark.parametrize("field", FIELDS)
def test_the_form_refuses_them_on_the_field(
    make_app, redis_client, field, char, encoding
):  # fmt: skip
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    data = form_data(client.get(PAGE).get_data(as_text=True))
    # A lone surrogate has no UTF-8 form: a client sends its three bytes anyway.
    raw = FIELDS[field].format(char).encode("utf-8", "surrogatepass")
    if encoding == "urlencoded":
        body, mimetype = urlencoded(data, field, raw), "application/x-www-form-urlencoded"
    else:
        body, mimetype = multipart(data, field, raw)
    response = client.post(PAGE, data=body, content_type=mimetype)
    assert response.status_code == 400
    code = "U+FFFD" if char == "\ud800" else f"U+{ord(char):04X}"  # undecodable bytes: U+FFFD
    assert code in field_error(response.get_data(as_text=True), field)
    assert stored(redis_client) == []


def test_valid_text_still_passes_the_form_in_both_encodings(client, redis_client):
    page = client.get(PAGE).get_data(as_text=True)
    text = "Très « clair » : 1 + 1 = 2 & c’est 😀"
    body = urlencoded(form_data(page), "body", text.encode())
    assert client.post(PAGE, data=body, content_type="application/x-www-form-urlencoded")\
        .status_code == 303  # fmt: skip
    body, mimetype = multipart(form_data(client.get(PAGE).get_data(as_text=True)), "body",
                               (text + " (bis)").encode())  # fmt: skip
    assert client.post(PAGE, data=body, content_type=mimetype).status_code == 303
    bodies = {redis_client.hget(key, "body") for key in stored(redis_client)}
    assert bodies == {text, text + " (bis)"}


def publish_then_corrupt(services, redis_client, site, thread, **fields):
    """An approved comment whose stored fields are then overwritten in Redis,
    as data saved before input refused them (or restored from a backup) is."""
    store = services.store_for(site)
    comment = store.save(thread, CommentInput("Léa", "lea@example.org", "Bonjour", ""))
    store.set_status(comment.id, "approved")
    redis_client.hset(SiteKeys(site).comment(comment.id), mapping=fields)
    return comment.id


@pytest.mark.parametrize(
    ("site", "feed"),
    [("default", f"/articles/{THREAD}/comments.atom"),
     ("journal", "/sites/journal/threads/story-1/comments.atom")],
)  # fmt: skip
def test_a_stored_forbidden_character_leaves_the_feed_well_formed(
    client, services, redis_client, site, feed
):  # fmt: skip
    services.sites.add("journal", ["https://journal.example"])
    thread = THREAD if site == "default" else "story-1"
    publish_then_corrupt(services, redis_client, site, thread,
                         author="Lé\ufffea", body="Bon\x00jour\x1b[31m \uffff!")  # fmt: skip
    response = client.get(feed)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # raises on an ill-formed document
    (entry,) = root.findall(f"{A}entry")
    assert entry.find(f"{A}author/{A}name").text == "Léa"
    assert entry.find(f"{A}content").text == "Bonjour[31m !"
    assert "Léa" in entry.find(f"{A}title").text


def test_the_feed_writer_drops_lone_surrogates_too():
    moment = atom.datetime(2026, 1, 1, tzinfo=atom.UTC)
    entry = atom.Entry(id="https://x.example/a#c-1", title="t\ud800", author="a\udfff",
                       updated=moment, published=moment, content="c\ud83d\x0c",
                       link="https://x.example/a\x01#c-1")  # fmt: skip
    document = atom.feed(
        feed_id="https://x.example/a", title="T", self_link="https://x.example/f",
        page_link="https://x.example/a", updated=moment, entries=[entry],
    )  # fmt: skip
    root = ET.fromstring(document)
    assert root.find(f"{A}entry/{A}content").text == "c"
    assert root.find(f"{A}entry/{A}link").get("href") == "https://x.example/a#c-1"
