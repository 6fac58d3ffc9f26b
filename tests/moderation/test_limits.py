import re

import pytest

from tests.conftest import THREAD
from tests.moderation.reader import API, comment_payload, form_data, post

pytestmark = pytest.mark.cluster


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_POST="3/minute",
                    RATELIMIT_CHALLENGE="5/minute", RATELIMIT_LOGIN="2/minute")  # fmt: skip


def from_ip(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_posting_is_limited_per_ip_with_retry_after(limited_app, redis_client):
    client = from_ip(limited_app, "203.0.113.7")
    payloads = [comment_payload(client, email=f"r{i}@example.org") for i in range(4)]
    statuses = [post(client, payload).status_code for payload in payloads]
    assert statuses == [202, 202, 202, 429]
    response = post(client, comment_payload(client))
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and error["message"]
    assert int(response.headers["Retry-After"]) > 0
    assert len(list(redis_client.scan_iter("comment:*"))) == 3
    other = from_ip(limited_app, "203.0.113.8")
    assert post(other, comment_payload(other, email="new@example.org")).status_code == 202


def test_posting_is_limited_per_email_across_addresses(limited_app):
    statuses = []
    for index in range(4):
        client = from_ip(limited_app, f"198.51.100.{index}")
        statuses.append(post(client, comment_payload(client, email="same@example.org")).status_code)
    assert statuses == [202, 202, 202, 429]


def test_ipv6_clients_are_grouped_by_64(limited_app):
    statuses = []
    for suffix in ("1", "2", "abcd", "ffff"):
        client = from_ip(limited_app, f"2001:db8:1:2::{suffix}")
        statuses.append(post(client, comment_payload(client, email=f"{suffix}@example.org"))
                        .status_code)  # fmt: skip
    assert statuses == [202, 202, 202, 429]


def test_questions_are_limited(limited_app):
    client = from_ip(limited_app, "192.0.2.1")
    statuses = [
        client.get(f"{API}/challenge?thread=ministre-nord-coreen-moscou").status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_the_form_is_limited_too(limited_app):
    client = from_ip(limited_app, "192.0.2.9")
    page = "/articles/ministre-nord-coreen-moscou"
    statuses = []
    for index in range(4):
        html = client.get(page).get_data(as_text=True)
        statuses.append(client.post(page, data=form_data(html, email=f"f{index}@example.org"))
                        .status_code)  # fmt: skip
    assert statuses == [303, 303, 303, 429]


def test_sign_in_attempts_are_limited(limited_app):
    from html import unescape

    from tests.moderation.test_admin import csrf

    client = from_ip(limited_app, "192.0.2.20")
    statuses = []
    for _ in range(3):
        page = client.get("/moderation/login").get_data(as_text=True)
        data = {"csrf_token": csrf(page), "email": "x@example.org", "password": "wrong password"}
        response = client.post("/moderation/login", data=data)
        statuses.append(response.status_code)
    assert statuses == [401, 401, 429]
    assert "Trop de requêtes" in unescape(response.get_data(as_text=True))
    assert int(response.headers["Retry-After"]) == 60


def test_limits_can_be_switched_off(client):
    statuses = [post(client, comment_payload(client)).status_code for _ in range(8)]
    assert statuses == [202] * 8


# One budget however a comment or a question is asked for (issue 14).

ARTICLE = "/articles/ministre-nord-coreen-moscou"
SITE_PAGE = "/sites/news/threads/story-42"
ACCEPTED = {"api": 202, "article": 303, "site": 303}
DAY = 86400


@pytest.fixture
def budget_app(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_POST="5/minute",
                   RATELIMIT_CHALLENGE="100/minute")  # fmt: skip
    app.extensions["moderation"].sites.add("news", ["https://news.example.org"])
    return app


def send(client, route, email):
    """One comment through the JSON API or one of the two forms; its status."""
    if route == "api":
        return post(client, comment_payload(client, email=email)).status_code
    page = ARTICLE if route == "article" else SITE_PAGE
    html = client.get(page).get_data(as_text=True)
    return client.post(page, data=form_data(html, email=email)).status_code


def test_one_comment_budget_per_client_across_the_api_and_both_forms(budget_app, redis_client):
    client = from_ip(budget_app, "203.0.113.50")
    routes = ["api", "article", "site"] * 3
    statuses = [send(client, route, f"r{n}@example.org") for n, route in enumerate(routes)]
    assert statuses == [ACCEPTED[route] for route in routes[:5]] + [429] * 4
    assert len(list(redis_client.scan_iter("comment:*"))) == 5


def test_one_comment_budget_per_email_across_clients_and_routes(budget_app, redis_client):
    routes = ["site", "api", "article"] * 3
    statuses = [
        send(from_ip(budget_app, f"198.51.100.{n + 10}"), route, "same@example.org")
        for n, route in enumerate(routes)
    ]
    assert statuses == [ACCEPTED[route] for route in routes[:5]] + [429] * 4
    # The same address however it is spelt.
    other = from_ip(budget_app, "198.51.100.99")
    assert send(other, "api", "  SAME@Example.ORG ") == 429
    assert len(list(redis_client.scan_iter("comment:*"))) == 5


@pytest.fixture
def question_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_CHALLENGE="3/minute")


def questions(redis_client):
    return len(list(redis_client.scan_iter("captcha:*")))


def test_once_the_api_has_spent_the_questions_pages_issue_none(question_app, redis_client):
    question_app.extensions["moderation"].sites.add("news", ["https://news.example.org"])
    client = from_ip(question_app, "192.0.2.60")
    statuses = [client.get(f"{API}/challenge?thread={THREAD}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    for page in ["/", ARTICLE, SITE_PAGE] * 5:
        response = client.get(page)
        assert response.status_code == 200  # the article is still there to read
        html = response.get_data(as_text=True)
        assert 'name="captcha_token" type="hidden" value=""' in html
        assert 'name="captcha"' not in html
        message = re.search(r'<p class="no-question" role="status">([^<]+)</p>', html)
        assert message and re.search(r"\b1 minute\b", message[1])  # why, and when
    assert questions(redis_client) == 3
    other = from_ip(question_app, "192.0.2.61")
    assert 'class="no-question"' not in other.get(ARTICLE).get_data(as_text=True)


def test_pages_that_show_the_form_spend_the_apis_questions(question_app, redis_client):
    client = from_ip(question_app, "192.0.2.70")
    html = client.get(ARTICLE).get_data(as_text=True)
    assert client.get("/").status_code == 200
    # A refused form is shown again with a new question: that one counts too.
    refused = client.post(ARTICLE, data=form_data(html, email="not an address"))
    assert refused.status_code == 400
    response = client.get(f"{API}/challenge?thread={THREAD}")
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert questions(redis_client) == 3


def just_before_midnight(clock):
    """23:59:30 UTC on the test clock: the daily IP hash is about to change."""
    clock.now = (clock.now // DAY + 1) * DAY - 30


def test_the_comment_budget_runs_on_across_midnight(make_app, clock, redis_client):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_POST="3/minute")
    client = from_ip(app, "203.0.113.80")
    just_before_midnight(clock)
    before = [send(client, "api", "m1@example.org"), send(client, "article", "m2@example.org")]
    clock.advance(60)
    after = [send(client, "api", f"n{n}@example.org") for n in range(2)]
    assert before + after == [202, 303, 202, 429]
    # Only the counters stopped rotating: the IP hash kept with each comment still does.
    hashes = {redis_client.hget(key, "ip_hash") for key in redis_client.scan_iter("comment:*")}
    assert len(hashes) == 2


def test_the_question_budget_runs_on_across_midnight(question_app, clock):
    client = from_ip(question_app, "192.0.2.90")
    just_before_midnight(clock)
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200
    assert 'class="no-question"' not in client.get(ARTICLE).get_data(as_text=True)
    clock.advance(60)
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 429
    assert 'class="no-question"' in client.get(ARTICLE).get_data(as_text=True)


def test_the_sign_in_limit_runs_on_across_midnight(make_app, clock):
    from tests.moderation.test_admin import sign_in

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2/minute")
    client = from_ip(app, "192.0.2.95")
    just_before_midnight(clock)
    assert sign_in(client, email="x@example.org", password="wrong password").status_code == 401
    clock.advance(60)
    assert sign_in(client, email="y@example.org", password="wrong password").status_code == 401
    assert sign_in(client, email="z@example.org", password="wrong password").status_code == 429


def test_the_sign_in_guard_keeps_counting_across_midnight(make_app, clock):
    from tests.moderation.test_admin import PASSWORD, sign_in

    app = make_app()
    app.extensions["moderation"].accounts.add("mod@example.org", PASSWORD)
    client = from_ip(app, "192.0.2.96")
    just_before_midnight(clock)
    statuses = [sign_in(client, password=f"wrong password {n}").status_code for n in range(2)]
    clock.advance(60)
    statuses += [sign_in(client, password=f"wrong password {n}").status_code for n in (2, 3)]
    assert statuses == [401, 401, 401, 429]  # the fourth comes too soon after three failures
