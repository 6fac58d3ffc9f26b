import time

import pytest
from click.testing import CliRunner

from moderation.accounts import AccountError, Accounts
from moderation.cli import main

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(redis_client, clock):
    return Accounts(redis_client, clock=clock)


def test_add_check_and_remove(accounts, redis_client):
    assert accounts.add("Mod@Example.ORG", PASSWORD) == "mod@example.org"
    assert accounts.check_password("mod@example.org", PASSWORD) == "mod@example.org"
    assert accounts.check_password("MOD@example.org ", PASSWORD) == "mod@example.org"
    assert accounts.check_password("mod@example.org", PASSWORD + "!") is None
    stored = redis_client.hget("acct:{accounts}:user:mod@example.org", "password")
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    with pytest.raises(AccountError, match="already"):
        accounts.add("mod@example.org", PASSWORD)
    accounts.remove("mod@example.org")
    assert accounts.check_password("mod@example.org", PASSWORD) is None
    assert accounts.emails() == []


@pytest.mark.parametrize(("email", "password"), [("nope", PASSWORD), ("a@example.org", "short")])
def test_bad_accounts_are_refused(accounts, email, password):
    with pytest.raises(AccountError):
        accounts.add(email, password)


def test_unknown_accounts_cost_as_much_as_wrong_passwords(accounts, monkeypatch):
    monkeypatch.undo()  # real scrypt at every check (see scrypt_once in tests/conftest.py)
    accounts.add("mod@example.org", PASSWORD)

    def timed(email):
        started = time.perf_counter()
        assert accounts.check_password(email, "wrong password!") is None
        return time.perf_counter() - started

    known = min(timed("mod@example.org") for _ in range(3))
    unknown = min(timed("ghost@example.org") for _ in range(3))
    assert unknown > known / 3  # both pay for one scrypt


def test_tokens_are_stored_hashed_listed_and_revoked(accounts, redis_client, clock):
    accounts.add("mod@example.org", PASSWORD)
    token = accounts.create_token("mod@example.org")
    assert len(token) >= 43
    assert not any(token in key for key in redis_client.keys("*"))
    clock.advance(5)
    assert accounts.authenticate(token).email == "mod@example.org"
    assert accounts.authenticate(token + "x") is None
    assert accounts.authenticate("") is None
    (listed,) = accounts.tokens("mod@example.org")
    assert listed.last_used == pytest.approx(clock.now)
    assert accounts.revoke(listed.token_id) == "mod@example.org"
    assert accounts.authenticate(token) is None
    with pytest.raises(AccountError):
        accounts.revoke(listed.token_id)


def test_removing_a_moderator_revokes_their_tokens(accounts):
    accounts.add("mod@example.org", PASSWORD)
    token = accounts.create_token("mod@example.org")
    accounts.remove("mod@example.org")
    assert accounts.authenticate(token) is None


def test_cli(redis_server, redis_client, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    runner = CliRunner()
    result = runner.invoke(main, ["moderator", "add", "mod@example.org", "--password-stdin",
                                  "--owner"], input=PASSWORD + "\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    token = runner.invoke(main, ["moderator", "token", "mod@example.org"]).output.strip()
    assert len(token) >= 43
    assert "1 API token" in runner.invoke(main, ["moderator", "list"]).output
    token_id = runner.invoke(main, ["moderator", "tokens", "mod@example.org"]).output.split()[0]
    assert runner.invoke(main, ["moderator", "token-revoke", token_id]).exit_code == 0
    short = runner.invoke(main, ["moderator", "add", "x@example.org", "--password-stdin",
                                 "--owner"], input="short\n")  # fmt: skip
    assert short.exit_code == 1 and "at least 12" in short.output
    changed = runner.invoke(main, ["moderator", "password", "mod@example.org", "--password-stdin"],
                            input="another long password\n")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    accounts = Accounts(redis_client)
    assert accounts.check_password("mod@example.org", "another long password")
    assert runner.invoke(main, ["moderator", "remove", "mod@example.org"]).exit_code == 0
