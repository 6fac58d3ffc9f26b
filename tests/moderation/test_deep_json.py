"""Deeply nested JSON, sent to every route that takes a body: a 400, never a 500
(issue 14). The rate limiter reads the e-mail from the body before the view,
so limits are on here."""

import pytest
from flask import url_for

from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.test_admin import csrf, sign_in

DEEP = {
    "arrays": "[" * 1000 + "]" * 1000,
    "objects": '{"a":' * 1000 + "1" + "}" * 1000,
    "arrays past any stack": "[" * 30_000 + "]" * 30_000,
    "in a comment": '{"author": "Camille", "email": "camille@example.org", "body": '
    + "[" * 1000 + "]" * 1000 + "}",
    "deep, but not to the interpreter's limit": '{"author": "Camille", "email": "c@example.org", '
    '"body": "x", "captcha": ' + '{"a":' * 40 + "1" + "}" * 40 + "}",
}


@pytest.fixture
def app(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_POST="1000/minute",
                   RATELIMIT_LOGIN="1000/minute")  # fmt: skip
    app.extensions["moderation"].sites.add("news", ["https://news.example.org"])
    return app


@pytest.fixture
def comment_id(app):
    comments = app.extensions["moderation"].comments
    data = CommentInput(author="Léa", email="lea@example.org", body="Bonjour", url="")
    comment_id = comments.save(THREAD, data).id
    comments.set_status(comment_id, "review")
    return comment_id


@pytest.fixture
def auth(app):
    accounts = app.extensions["moderation"].accounts
    accounts.add("mod@example.org", "correct horse battery")
    return {"Authorization": f"Bearer {accounts.create_token('mod@example.org')}"}


def assert_invalid_json(response):
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == "invalid_json"
    assert body["error"]["message"]


@pytest.mark.parametrize("body", DEEP.values(), ids=DEEP.keys())
@pytest.mark.parametrize("origin", [None, "https://news.example.org"])
def test_posting_a_comment(app, redis_client, body, origin):
    headers = {"Origin": origin} if origin else {}
    thread = THREAD if origin is None else "story-42"
    response = app.test_client().post(f"/api/v1/threads/{thread}/comments", data=body,
                                      content_type="application/json", headers=headers)
    assert_invalid_json(response)
    assert not list(redis_client.scan_iter("comment:*"))


@pytest.mark.parametrize("body", DEEP.values(), ids=DEEP.keys())
def test_a_moderation_decision(app, comment_id, auth, body):
    response = app.test_client().post(
        f"/api/v1/moderation/comments/{comment_id}/decision", data=body,
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert_invalid_json(response)
    assert app.extensions["moderation"].comments.status(comment_id) == "review"


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_route_that_takes_a_body(app, comment_id, auth, signed_in):
    """Whatever route comes next: none may answer a nested body with a 5xx,
    whether the CSRF check stops it or, signed in with a token in the header,
    the view itself reads it."""
    values = {"thread": THREAD, "slug": THREAD, "site": "news", "comment_id": comment_id}
    client = app.test_client()
    headers = dict(auth)
    checked = []
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
        if not methods:
            continue
        arguments = {name: values.get(name, "x") for name in rule.arguments}
        with app.test_request_context():
            path = url_for(rule.endpoint, **arguments)
        for method in methods:
            for body in (DEEP["arrays"], DEEP["objects"]):
                if signed_in:  # afresh: a route may have ended the session
                    sign_in(client)
                    page = client.get("/moderation/", follow_redirects=True)
                    headers["X-CSRFToken"] = csrf(page.get_data(as_text=True))
                response = client.open(path, method=method, data=body, headers=headers,
                                       content_type="application/json")  # fmt: skip
                assert response.status_code < 500, (method, path, response.status_code)
                if path.startswith("/api/"):
                    assert set(response.get_json()) == {"error"}
        checked.append(rule.rule)
    assert {"/api/v1/threads/<thread>/comments", "/articles/<slug>",
            "/sites/<site>/threads/<thread>"} <= set(checked)  # fmt: skip
