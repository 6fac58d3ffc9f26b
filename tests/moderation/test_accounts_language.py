import pytest

from moderation.accounts import AccountError, Accounts

PASSWORD = "correct horse battery"


def test_a_moderators_language_is_kept_on_the_account(redis_client):
    accounts = Accounts(redis_client)
    accounts.add("mod@example.org", PASSWORD)
    assert accounts.language("mod@example.org") is None
    accounts.set_language("Mod@Example.org", "en")
    assert accounts.language("mod@example.org") == "en"
    assert redis_client.hget("acct:{accounts}:user:mod@example.org", "lang") == "en"
    accounts.set_language("mod@example.org", "fr")
    assert accounts.language("MOD@example.org") == "fr"
    assert accounts.check_password("mod@example.org", PASSWORD)  # nothing else touched


def test_only_our_languages_and_only_for_existing_accounts(redis_client):
    accounts = Accounts(redis_client)
    accounts.add("mod@example.org", PASSWORD)
    with pytest.raises(AccountError):
        accounts.set_language("mod@example.org", "de")
    with pytest.raises(AccountError):
        accounts.set_language("ghost@example.org", "en")
    assert not redis_client.exists("acct:{accounts}:user:ghost@example.org")
    assert accounts.language("ghost@example.org") is None
    assert accounts.language("not an address") is None
    redis_client.hset("acct:{accounts}:user:mod@example.org", "lang", "xx")  # a stray value
    assert accounts.language("mod@example.org") is None


def test_removing_an_account_forgets_its_language(redis_client):
    accounts = Accounts(redis_client)
    accounts.add("mod@example.org", PASSWORD)
    accounts.set_language("mod@example.org", "en")
    accounts.remove("mod@example.org")
    accounts.add("mod@example.org", PASSWORD)
    assert accounts.language("mod@example.org") is None
