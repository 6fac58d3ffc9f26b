"""The moderation API's error messages follow Accept-Language."""

import pytest

API = "/api/v1/moderation"


@pytest.fixture
def auth(services):
    services.accounts.add("mod@example.org", "correct horse battery")
    return {"Authorization": f"Bearer {services.accounts.create_token('mod@example.org')}"}


def message(response):
    return response.get_json()["error"]["message"]


def test_an_unauthorised_call_in_english_and_in_french(client):
    english = client.get(f"{API}/queue", headers={"Accept-Language": "en"})
    assert english.status_code == 401 and message(english) == "Missing or invalid API token."
    french = client.get(f"{API}/queue")
    assert message(french) == "Jeton d’API absent ou invalide."


def test_validation_errors_in_english(client, auth):
    headers = {**auth, "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}
    bad = client.get(f"{API}/queue?status=nope", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "status"
    assert message(bad) == "status must be one of pending, review, approved, rejected, spam."
    limit = client.get(f"{API}/queue?limit=0", headers=headers)
    assert message(limit) == "limit must be between 1 and 200."
    missing = client.post(f"{API}/comments/01HZZZZZZZZZZZZZZZZZZZZZZZ/decision",
                          json={"decision": "approve"}, headers=headers)  # fmt: skip
    assert missing.status_code == 404 and message(missing) == "This comment does not exist."


def test_validation_errors_in_french_by_default(client, auth):
    bad = client.get(f"{API}/queue?site=nope", headers=auth)
    assert bad.status_code == 404 and message(bad) == "Ce site n’existe pas."
    body = client.post(f"{API}/comments/x/decision", data="x", headers=auth)
    assert message(body) == "Le corps doit être un objet JSON."
