"""HTTP that every client and proxy understands, on every route of the URL
map (walked, so a new route is covered the day it is added): HEAD answers as
GET without a body, every 405 names the allowed methods, ETags are compared
weakly, comment lists and feeds carry Last-Modified, and every Content-Type
is one a strict client accepts."""

import time
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from flask import url_for
from prometheus_client import CONTENT_TYPE_LATEST

from bench.processes import until
from moderation.reply_tokens import ReplyTokens
from moderation.validation import CommentInput
from moderation.web.widget import bundle
from tests.conftest import THREAD

PARTNER = "https://partner.example"
PARTNER_THREAD = "fil-du-jour"
# Headers that may differ between two GETs as well (a new id, a new session).
VOLATILE = {"date", "set-cookie", "x-request-id", "content-length"}
# What must be conditional: the published comments, and the API's document.
VALIDATED = {"api.list_comments", "feeds.article_feed", "feeds.site_thread_feed",
             "api.openapi_document"}  # fmt: skip
DATED = {"api.list_comments", "feeds.article_feed", "feeds.site_thread_feed"}
QUERIES = {"api.challenge": {"thread": THREAD},
           "api.find_thread": {"url": f"{PARTNER}/2026/fil-du-jour"}}  # fmt: skip


@pytest.fixture
def published(app, services, clock):
    """A registered site, a published comment on each kind of thread, and a
    clock past the second of the change (so Last-Modified is given)."""
    services.sites.add("partner", [PARTNER])
    ids = {}
    for site, thread in (("default", THREAD), ("partner", PARTNER_THREAD)):
        store = services.store_for(site)
        comment = store.save(thread, CommentInput("Léa", "lea@example.org", "Publié.", ""))
        store.set_status(comment.id, "approved")
        ids[site] = comment.id
    clock.now = time.time() + 1
    return ids


def routes(app, ids, method=None):
    """(endpoint, url, methods of that path) for every rule; a sample value
    for each argument the rules take."""
    with app.test_request_context():
        digest = bundle().digest
    by_path: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        by_path.setdefault(rule.rule, set()).update(rule.methods)
    # The reply e-mails' pages answer 400 to a forged link: give them real ones.
    tokens = ReplyTokens(app.config["SECRET_KEY"])
    queries = {**QUERIES,
               "notifications.confirm": {"token": tokens.confirmation("default", "0" * 16,
                                                                      time.time())},
               "notifications.unsubscribe": {"token": tokens.unsubscription("default", "0" * 16,
                                                                            THREAD)}}  # fmt: skip
    found = []
    for rule in app.url_map.iter_rules():
        if method is not None and method not in rule.methods:
            continue
        thread = PARTNER_THREAD if "site" in rule.arguments else THREAD
        values = {"slug": THREAD, "thread": thread, "site": "partner", "digest": digest,
                  "comment_id": ids["default"], "filename": "site.css", "token": "x" * 32}
        args = {name: values[name] for name in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **args, **queries.get(rule.endpoint, {}))
        found.append((rule.endpoint, url, by_path[rule.rule]))
    assert len(found) > 20, "the walk found the routes"
    return found


def call(client, url, method="GET", headers=None):
    """One answer, read and closed (a static file's would stay open)."""
    response = client.open(url, method=method, headers=headers)
    response.get_data()
    response.close()
    return response


def steady(response):
    return {name.lower(): value for name, value in response.headers.items()
            if name.lower() not in VOLATILE}  # fmt: skip


def test_head_is_get_without_a_body_on_every_route(app, published):
    client = app.test_client()
    for endpoint, url, _methods in routes(app, published, "GET"):
        got = call(client, url)
        head = call(client, url, "HEAD")
        again = call(client, url)
        assert head.status_code == got.status_code != 400, endpoint
        assert head.data == b"", endpoint
        assert steady(head) == steady(got), endpoint
        if got.data == again.data:  # the same body each time: the same length for HEAD
            assert head.headers.get("Content-Length") == str(len(got.data)), endpoint


def test_head_on_a_thread_page_is_no_form_post(app, published):
    """What was seen: 400, the form's validation run on a HEAD."""
    client = app.test_client()
    for url in (f"/articles/{THREAD}", f"/sites/partner/threads/{PARTNER_THREAD}"):
        response = call(client, url, "HEAD")
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert int(response.headers["Content-Length"]) > 1000 and response.data == b""


def allow(response) -> set[str]:
    return {method.strip() for method in response.headers["Allow"].split(",")}


def test_every_405_names_the_allowed_methods(app, published):
    client = app.test_client()
    seen = set()
    for endpoint, url, methods in routes(app, published):
        if url in seen:
            continue
        seen.add(url)
        refused = {"PUT", "DELETE", "PATCH", "POST", "GET"} - methods
        for method in sorted(refused):
            response = call(client, url, method)
            assert response.status_code == 405, (endpoint, method)
            assert allow(response) == methods, (endpoint, method)
            if url.startswith("/api/"):
                assert response.get_json()["error"]["code"] == "method_not_allowed"
            else:
                assert response.mimetype == "text/html"
    assert len(seen) > 20


def test_a_head_where_there_is_no_get_is_405_naming_post(client):
    response = client.head("/moderation/logout")
    assert response.status_code == 405 and allow(response) == {"OPTIONS", "POST"}


def unquoted(tag: str) -> str:
    return tag.removeprefix("W/")


def test_every_etag_is_compared_weakly(app, published):
    """nginx makes an ETag weak when it compresses; its clients send it back so."""
    client = app.test_client()
    validated = set()
    for endpoint, url, _methods in routes(app, published, "GET"):
        response = call(client, url)
        if response.status_code != 200 or "ETag" not in response.headers:
            continue
        validated.add(endpoint)
        tag = unquoted(response.headers["ETag"])
        for sent in (f"W/{tag}", tag, f'"other", W/{tag}', "*"):
            again = call(client, url, headers={"If-None-Match": sent})
            assert again.status_code == 304, (endpoint, sent)
            assert again.data == b"" and unquoted(again.headers["ETag"]) == tag, endpoint
            assert again.headers.get("Cache-Control") == response.headers.get("Cache-Control")
        assert call(client, url, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    assert validated >= VALIDATED


def dated_urls(app, published):
    return [(endpoint, url) for endpoint, url, _ in routes(app, published, "GET")
            if endpoint in DATED]  # fmt: skip


def test_lists_and_feeds_answer_if_modified_since(app, published, services, clock):
    client = app.test_client()
    urls = dated_urls(app, published)
    assert {endpoint for endpoint, _ in urls} == DATED
    for endpoint, url in urls:
        response = call(client, url)
        stamp = response.headers["Last-Modified"]
        modified = parsedate_to_datetime(stamp)
        assert abs(modified.timestamp() - time.time()) < 60, endpoint
        assert response.headers["Cache-Control"].startswith("public, max-age="), endpoint
        unchanged = call(client, url, headers={"If-Modified-Since": stamp})
        assert unchanged.status_code == 304 and unchanged.data == b"", endpoint
        # RFC 9110, 15.4.5: the ETag, not the date, which adds nothing beside it.
        assert unchanged.headers["ETag"] == response.headers["ETag"]
        earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
        assert call(client, url, headers={"If-Modified-Since": earlier}).status_code == 200
        # If-None-Match decides when sent, even against an unchanged date.
        both = {"If-Modified-Since": stamp, "If-None-Match": '"other"'}
        assert call(client, url, headers=both).status_code == 200, endpoint


def test_a_change_moves_last_modified_on(app, published, services, clock):
    client = app.test_client()
    url = f"/api/v1/threads/{THREAD}/comments"
    store = services.store_for("default")
    changed_key = store.keys.approved_changed(THREAD)
    first = float(services.redis.get(changed_key))
    # A date is only given once its second is over (the clock here is ahead):
    # the next change then falls in a later second, as it would for real.
    until(lambda: services.redis.time()[0] > first, "the next second on Redis's clock", 5)
    stamp = call(client, url).headers["Last-Modified"]
    store.set_status(published["default"], "rejected")
    changed = float(services.redis.get(changed_key))
    # Within the second of the change no date is given (it could not tell
    # this change from one later in the same second); the ETag still is.
    clock.now = changed
    fresh = call(client, url)
    assert "Last-Modified" not in fresh.headers and fresh.headers["ETag"]
    assert call(client, url, headers={"If-Modified-Since": stamp}).status_code == 200
    clock.now = changed + 1
    later = call(client, url, headers={"If-Modified-Since": stamp})
    assert later.status_code == 200 and later.get_json()["comments"] == []
    assert parsedate_to_datetime(later.headers["Last-Modified"]) > parsedate_to_datetime(stamp)


def test_content_types_are_well_formed_on_every_route(app, published):
    client = app.test_client()
    for endpoint, url, _methods in routes(app, published, "GET"):
        response = call(client, url)
        if not response.data:
            continue
        kind = response.headers["Content-Type"]
        assert kind.lower().count("charset") <= 1, (endpoint, kind)
        if response.mimetype.startswith("text/") or response.mimetype.endswith("+xml"):
            assert response.mimetype_params.get("charset") == "utf-8", (endpoint, kind)
        if response.mimetype == "application/json":
            assert kind == "application/json", endpoint
    assert client.get("/metrics").headers["Content-Type"] == CONTENT_TYPE_LATEST
