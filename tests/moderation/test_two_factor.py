"""One-time codes (TOTP) as a second factor, and recovery codes."""

import re
from html import unescape

import pyotp
import pytest
from click.testing import CliRunner

from moderation.cli import main
from tests.moderation.test_admin import PASSWORD, csrf, sign_in


def enrol(client, clock) -> tuple[str, list[str]]:
    """Turn codes on through the page; returns the secret and the recovery codes."""
    page = unescape(client.get("/moderation/2fa").get_data(as_text=True))
    assert "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r"<code>([A-Z2-7 ]{16,})</code>", page)[1].replace(" ", "")
    wrong = client.post("/moderation/2fa", data={"csrf_token": csrf(page), "code": "000000"})
    assert "Code incorrect" in unescape(wrong.get_data(as_text=True))
    done = unescape(client.post("/moderation/2fa", data={
        "csrf_token": csrf(page), "code": pyotp.TOTP(secret).at(clock.now)}).get_data(as_text=True))
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done)
    assert len(codes) == 10
    return secret, codes


def send_code(client, code):
    page = client.get("/moderation/login/code").get_data(as_text=True)
    return client.post("/moderation/login/code", data={"csrf_token": csrf(page), "code": code})


@pytest.fixture
def enrolled(app, client, services, clock):
    services.accounts.add("mod@example.org", PASSWORD)
    sign_in(client)
    secret, codes = enrol(client, clock)
    client.post("/moderation/logout", data={"csrf_token": csrf(
        client.get("/moderation/").get_data(as_text=True))})  # fmt: skip
    return secret, codes


def test_sign_in_asks_a_code_after_the_password(app, enrolled, clock):
    secret, _codes = enrolled
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/login/code"
    with client.session_transaction() as session:
        assert "moderator" not in session and "sid" not in session  # not signed in yet
    assert send_code(client, "123456").status_code == 401
    clock.advance(31)
    code = pyotp.TOTP(secret).at(clock.now)
    assert send_code(client, code).status_code == 303
    assert client.get("/moderation/").status_code == 200
    replay = app.test_client()
    sign_in(replay)
    assert send_code(replay, code).status_code == 401  # a code works once


def test_a_recovery_code_works_once(app, enrolled):
    _secret, codes = enrolled
    client = app.test_client()
    sign_in(client)
    assert send_code(client, codes[0].upper()).status_code == 303
    again = app.test_client()
    sign_in(again)
    assert send_code(again, codes[0]).status_code == 401


def test_wrong_codes_count_like_wrong_passwords(app, enrolled):
    client = app.test_client()
    sign_in(client)
    statuses = [send_code(client, f"00000{n}").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_the_code_must_follow_the_password_soon(app, enrolled, clock):
    secret, _codes = enrolled
    client = app.test_client()
    sign_in(client)
    page = client.get("/moderation/login/code").get_data(as_text=True)
    clock.advance(301)
    response = client.post("/moderation/login/code", data={
        "csrf_token": csrf(page), "code": pyotp.TOTP(secret).at(clock.now)})  # fmt: skip
    assert response.status_code == 303 and "/moderation/login" in response.headers["Location"]
    assert client.get("/moderation/").status_code == 302


def test_a_service_can_require_the_second_factor(make_app, services, clock):
    app = make_app(MODERATOR_REQUIRE_2FA=True)
    services.accounts.add("mod@example.org", PASSWORD)
    client = app.test_client()
    sign_in(client)
    response = client.get("/moderation/")
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/2fa"
    enrol(client, clock)
    assert client.get("/moderation/").status_code == 200


def test_the_cli_turns_codes_on_and_off(redis_server, redis_client, services, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    services.accounts.add("mod@example.org", PASSWORD)
    runner = CliRunner()
    wrong = runner.invoke(main, ["moderator", "2fa", "mod@example.org", "--code-stdin"],
                          input="000000\n")  # fmt: skip
    assert wrong.exit_code == 1 and "wrong code" in wrong.output
    secret = redis_client.hget("acct:{accounts}:user:mod@example.org", "totp_pending")
    right = runner.invoke(main, ["moderator", "2fa", "mod@example.org", "--code-stdin"],
                          input=pyotp.TOTP(secret).now() + "\n")  # fmt: skip
    assert right.exit_code == 0, right.output
    assert len(re.findall(r"^[a-z0-9]{5}-[a-z0-9]{5}$", right.output, re.M)) == 10
    assert services.accounts.get("mod@example.org").two_factor
    assert runner.invoke(main, ["moderator", "2fa", "mod@example.org", "--disable"]).exit_code == 0
    assert not services.accounts.get("mod@example.org").two_factor
