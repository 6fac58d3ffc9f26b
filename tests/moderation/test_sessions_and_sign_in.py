"""Sessions that end, and a sign-in a stranger cannot abuse (issue: moderators
an operator can trust). Each test is written as the attacker would try it."""

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from moderation.accounts import Accounts
from moderation.cli import main
from tests.moderation.test_admin import PASSWORD, csrf, sign_in


@pytest.fixture
def owner(services):
    return services.accounts.add("mod@example.org", PASSWORD)


def copied(client: FlaskClient, app) -> FlaskClient:
    """A second client carrying a copy of ``client``'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def signed_in_page(client) -> str:
    response = client.get("/moderation/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client, owner):
    assert sign_in(client).status_code == 303
    thief = copied(client, app)
    assert thief.get("/moderation/").status_code == 200  # the copy works... for now
    client.post("/moderation/logout", data={"csrf_token": csrf(signed_in_page(client))})
    assert thief.get("/moderation/").status_code == 302
    assert "/moderation/login" in thief.get("/moderation/").headers["Location"]


def test_signing_out_ends_the_sessions_of_other_browsers_too(app, owner):
    laptop, phone = app.test_client(), app.test_client()
    assert sign_in(laptop).status_code == sign_in(phone).status_code == 303
    laptop.post("/moderation/logout", data={"csrf_token": csrf(signed_in_page(laptop))})
    assert phone.get("/moderation/").status_code == 302


def test_a_new_password_ends_every_session(app, client, owner, services):
    sign_in(client)
    thief = copied(client, app)
    services.accounts.set_password("mod@example.org", "a brand new password")
    assert thief.get("/moderation/").status_code == 302
    assert client.get("/moderation/").status_code == 302


def test_the_cli_ends_every_session(app, client, owner, redis_server, monkeypatch):
    sign_in(client)
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    listed = CliRunner().invoke(main, ["moderator", "sessions", "mod@example.org"])
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 1
    ended = CliRunner().invoke(main, ["moderator", "sessions", "mod@example.org", "--end"])
    assert ended.exit_code == 0 and "1 session of mod@example.org ended" in ended.output
    assert client.get("/moderation/").status_code == 302


def test_removing_the_account_ends_its_sessions(app, client, owner, services):
    sign_in(client)
    services.accounts.remove("mod@example.org")
    services.accounts.add("mod@example.org", PASSWORD)  # the same address comes back
    assert client.get("/moderation/").status_code == 302  # the old cookie does not


def test_sessions_end_after_their_lifetime_however_active(client, owner, clock):
    sign_in(client)
    started = clock.now
    while client.get("/moderation/").status_code == 200:  # busy, never idle 15 minutes
        clock.advance(15 * 60)
        assert clock.now - started <= 12 * 3600 + 15 * 60, "still signed in after 12 hours"
    assert clock.now - started > 12 * 3600 - 15 * 60  # and not much sooner


def test_a_forged_or_stale_cookie_content_is_refused(app, client, owner):
    sign_in(client)
    with client.session_transaction() as session:
        session["gen"] = session["gen"] - 1  # an older generation
    assert client.get("/moderation/").status_code == 302


def test_a_stranger_cannot_lock_the_owner_out(app, owner):
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for attempt in range(15):
        sign_in(stranger, password=f"guess number {attempt}")
    assert sign_in(stranger).status_code == 429  # the stranger is locked, even with the password
    owner_client = app.test_client()
    owner_client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert sign_in(owner_client).status_code == 303  # the owner, elsewhere, is not


def test_full_width_and_capital_spellings_share_one_counter(client, owner):
    spellings = ["MOD@EXAMPLE.ORG", "ｍｏｄ@example.org", "mod@example。org"]
    statuses = [sign_in(client, email=spelling, password=f"wrong password {n}").status_code
                for n, spelling in enumerate(spellings)]  # fmt: skip
    assert statuses == [401, 401, 401]
    # The fourth failure on the same account from the same client comes too soon.
    assert sign_in(client, email="mod@example.org", password="wrong again!!").status_code == 429


def test_full_width_spelling_signs_in_to_the_same_account(client, owner):
    response = sign_in(client, email="ＭＯＤ＠ｅｘａｍｐｌｅ．ｏｒｇ")
    assert response.status_code == 303
    assert "mod@example.org" in signed_in_page(client)


def test_an_account_of_before_roles_is_an_owner(redis_client, clock):
    redis_client.hset("acct:{accounts}:user:old@example.org", mapping={
        "email": "old@example.org", "password": "x", "created_at": "1"})  # fmt: skip
    redis_client.sadd("acct:{accounts}:users", "old@example.org")
    account = Accounts(redis_client, clock=clock).get("old@example.org")
    assert account.owner and account.may_see("any-site") and account.generation == 0


def test_the_sign_in_page_says_how_to_make_the_first_account(client):
    page = client.get("/moderation/login").get_data(as_text=True)
    assert "moderation moderator add you@example.org --owner" in page
