"""Hostile bodies, parameters and headers through the WSGI app: each gets a 4xx
with the error shape, and nothing is written. Lengths and framing, which the
test client would tidy up, are tested over a real socket in test_http_framing."""

import json

import pytest

from tests.conftest import THREAD
from tests.moderation.reader import API, comment_payload

COMMENTS = f"{API}/threads/{THREAD}/comments"


def assert_refused(response, status, code=None, field=None):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    if field is not None:
        assert body["error"].get("field") == field


def nothing_stored(redis_client):
    return not list(redis_client.scan_iter("comment:*"))


def payload_bytes(client, **fields):
    return json.dumps(comment_payload(client, **fields)).encode()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"null", "invalid_json"),
        (b"true", "invalid_json"),
        (b"12", "invalid_json"),
        (b'{"author": "a\x00b"}', "invalid_json"),  # a raw NUL inside a JSON string
        (b"\x00", "invalid_json"),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "invalid_json"),  # nested past recursion
        (b'{"a": 1' + b"9" * 5000 + b"}", "invalid_json"),  # past Python's digit limit
        ("{}".encode("utf-16"), "invalid_utf8"),
        (b'{"author": "\xc0\xaf"}', "invalid_utf8"),  # overlong UTF-8
        (b'{"author": "Camille"', "invalid_json"),  # truncated
    ],
)
def test_hostile_json_bodies(client, redis_client, data, code):
    response = client.post(COMMENTS, data=data, content_type="application/json")
    assert_refused(response, 400, code)
    assert nothing_stored(redis_client)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"captcha": {"token": "A" * 32, "answer": float("nan")}}, "captcha.answer"),
        ({"captcha": {"token": "A" * 32, "answer": 1.5}}, "captcha.answer"),
        ({"captcha": {"token": 7, "answer": "1"}}, "captcha.token"),
        ({"captcha": None}, "captcha"),
        ({"author": None}, "author"),
        ({"body": ["x"]}, "body"),
        ({"email": {"$ne": ""}}, "email"),
    ],
)
def test_wrongly_typed_fields_name_the_field(client, redis_client, fields, field):
    payload = comment_payload(client)
    payload.update(fields)
    response = client.post(COMMENTS, data=json.dumps(payload), content_type="application/json")
    assert_refused(response, 400, field=field)
    assert nothing_stored(redis_client)


def test_multipart_where_json_is_expected(client, redis_client):
    response = client.post(COMMENTS, data={"author": "x", "body": "y"},
                           content_type="multipart/form-data")  # fmt: skip
    assert_refused(response, 415, "unsupported_media_type")
    assert nothing_stored(redis_client)


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/challenge?thread=%00",
        f"{API}/challenge?thread=" + "a" * 10_000,
        f"{API}/challenge?thread=..%2F..%2Fetc%2Fpasswd",
        f"{API}/challenge?thread[]=x",
        f"{COMMENTS}?limit=%00",
        f"{COMMENTS}?limit=-1",
        f"{COMMENTS}?limit=1e3",
        f"{COMMENTS}?after=%FF",
        f"{API}/comments/%00",
        f"{API}/comments/" + "Z" * 5000,
        f"{API}/threads/%00/comments",
    ],
)
def test_hostile_parameters(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert_refused(response, response.status_code)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},
        {"Origin": "http://evil.example\x00.org"},
        {"Origin": "x" * 4000},
        {"Content-Type": "application/json; charset=latin-1"},
        {"Content-Type": "application/json\x00"},
        {"X-Forwarded-For": "1.2.3.4, 5.6.7.8"},
        {"User-Agent": "\x00" * 1000},
    ],
)
def test_hostile_headers_do_not_crash_a_post(client, redis_client, headers):
    data = payload_bytes(client)
    headers = {"Content-Type": "application/json", **headers}
    response = client.post(COMMENTS, data=data, headers=headers)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert_refused(response, response.status_code)
        assert nothing_stored(redis_client)
