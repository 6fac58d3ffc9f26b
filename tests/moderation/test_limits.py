import pytest

from tests.moderation.reader import API, comment_payload, form_data, post


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
