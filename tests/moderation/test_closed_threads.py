"""Closed threads: closed by a moderator (queue page, moderation API) or by
age (CLOSE_AFTER_DAYS); a closed thread shows its comments, asks no
question and refuses every post, through the API and the form alike."""

from datetime import datetime

import pytest

from moderation.audit import AuditLog
from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.reader import API, comment_payload, form_data, post
from tests.moderation.test_admin import csrf, review_items

MOD_API = "/api/v1/moderation"
PAGE = f"/articles/{THREAD}"
ARTICLE_DATE = datetime.fromisoformat("2024-11-04T09:30:00+01:00").timestamp()
DAY = 86400


@pytest.fixture
def auth(services):
    services.accounts.add("mod@example.org", "correct horse battery")
    return {"Authorization": f"Bearer {services.accounts.create_token('mod@example.org')}"}


def close(client, auth, thread=THREAD, query=""):
    response = client.post(f"{MOD_API}/threads/{thread}/close{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def reopen(client, auth, thread=THREAD, query=""):
    response = client.post(f"{MOD_API}/threads/{thread}/reopen{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def published(services, clock, body="Déjà là."):
    clock.advance(0.01)
    comment = services.comments.save(THREAD, CommentInput("Léa", "l@example.org", body, ""))
    services.comments.set_status(comment.id, "approved")
    return comment.id


def test_a_closed_thread_refuses_the_question_and_a_post_already_answered(client, services, auth):
    payload = comment_payload(client)  # a question fetched while the thread was open
    assert close(client, auth) == {"site": "default", "thread": THREAD, "closed": True}
    response = client.get(f"{API}/challenge?thread={THREAD}")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "thread_closed"
    before = services.comments.count("pending")
    response = post(client, payload)
    assert response.status_code == 403
    assert response.get_json()["error"] == {"code": "thread_closed", "field": "thread",
                                            "message": "Les commentaires sont fermés."}
    assert services.comments.count("pending") == before  # nothing saved or queued
    assert reopen(client, auth)["closed"] is False
    assert post(client, payload).status_code == 202  # the answer was not burnt


def test_the_published_list_says_the_thread_is_closed_and_its_etag_changes(
    client, services, clock, auth
):
    comment_id = published(services, clock)
    first = client.get(f"{API}/threads/{THREAD}/comments")
    assert first.get_json()["closed"] is False
    close(client, auth)
    again = client.get(f"{API}/threads/{THREAD}/comments",
                       headers={"If-None-Match": first.headers["ETag"]})  # fmt: skip
    assert again.status_code == 200
    assert again.get_json()["closed"] is True
    assert [c["id"] for c in again.get_json()["comments"]] == [comment_id]  # still shown


def test_the_message_follows_the_readers_language(client, auth):
    close(client, auth)
    response = client.get(f"{API}/challenge?thread={THREAD}", headers={"Accept-Language": "en"})
    assert response.get_json()["error"]["message"] == "Comments are closed."


def test_the_form_without_javascript(client, services, clock, auth):
    published(services, clock, "Un avis publié.")
    data = form_data(client.get(PAGE).get_data(as_text=True), body="Trop tard ?")
    close(client, auth)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Un avis publié." in page and "Les commentaires sont fermés." in page
    assert 'name="captcha"' not in page and "<form" not in page.split('id="commentaires"')[1]
    assert "Répondre à" not in page
    before = services.comments.count("pending")
    response = client.post(PAGE, data=data)
    assert response.status_code == 403
    assert "Les commentaires sont fermés." in response.get_data(as_text=True)
    assert services.comments.count("pending") == before
    reopen(client, auth)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="captcha"' in page and "Les commentaires sont fermés." not in page


def test_threads_close_by_age_and_a_moderator_may_reopen(make_app, clock):
    app = make_app(CLOSE_AFTER_DAYS=30)
    client, services = app.test_client(), app.extensions["moderation"]
    services.accounts.add("mod@example.org", "correct horse battery")
    auth = {"Authorization": f"Bearer {services.accounts.create_token('mod@example.org')}"}
    clock.now = ARTICLE_DATE + 30 * DAY - 60
    payload = comment_payload(client)
    assert client.get(f"{API}/threads/{THREAD}/comments").get_json()["closed"] is False
    clock.advance(120)  # past the thirtieth day
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 403
    assert post(client, payload).get_json()["error"]["code"] == "thread_closed"
    assert client.get(f"{MOD_API}/threads/{THREAD}", headers=auth).get_json()["closed"] is True
    reopen(client, auth)  # beats the automatic rule from now on
    assert post(client, payload).status_code == 202  # the answer was kept
    clock.advance(365 * DAY)
    assert post(client, comment_payload(client)).status_code == 202
    assert close(client, auth)["closed"] is True


def test_zero_days_never_closes(make_app, clock):
    client = make_app(CLOSE_AFTER_DAYS=0).test_client()
    clock.now = ARTICLE_DATE + 10_000 * DAY
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200


def test_a_registered_sites_thread_and_its_page(client, services, auth):
    services.sites.add("partner", ["https://partner.example"])
    headers = {"Origin": "https://partner.example"}
    close(client, auth, "dossier-1", "?site=partner")
    response = client.get(f"{API}/challenge?thread=dossier-1", headers=headers)
    assert response.get_json()["error"]["code"] == "thread_closed"
    assert client.get(f"{API}/challenge?thread=dossier-2", headers=headers).status_code == 200
    page = client.get("/sites/partner/threads/dossier-1?lang=en").get_data(as_text=True)
    assert "Comments are closed." in page and 'name="captcha"' not in page
    # Another site's thread of the same name is not closed.
    assert client.get(f"{API}/challenge?thread=dossier-1").status_code == 404  # not an article


@pytest.mark.parametrize("thread", ["no-such-article", "bad%20id"])
def test_the_moderation_api_refuses_unknown_threads(client, auth, thread):
    response = client.post(f"{MOD_API}/threads/{thread}/close", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "thread_not_found"


def test_closing_needs_a_token_for_the_site(client, services, auth):
    services.sites.add("partner", ["https://partner.example"])
    services.accounts.add("other@example.org", "correct horse battery", role="moderator",
                          sites=["partner"])
    other = {"Authorization": f"Bearer {services.accounts.create_token('other@example.org')}"}
    assert client.post(f"{MOD_API}/threads/{THREAD}/close", headers=other).status_code == 403
    assert client.post(f"{MOD_API}/threads/{THREAD}/close").status_code == 401
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200


def test_the_queue_page_closes_and_reopens_with_an_audit_entry(client, services, clock):
    services.accounts.add("mod@example.org", "correct horse battery")
    login = client.get("/moderation/login").get_data(as_text=True)
    client.post("/moderation/login", data={"csrf_token": csrf(login), "email": "mod@example.org",
                                           "password": "correct horse battery"})  # fmt: skip
    review_items(services, clock)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f'name="closing" value="1:{THREAD}"' in queue
    response = client.post("/moderation/threads/closing", data={
        "csrf_token": csrf(queue), "site": "default", "status": "review",
        "closing": f"1:{THREAD}"})  # fmt: skip
    assert response.status_code == 303
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 403
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f'name="closing" value="0:{THREAD}"' in queue and "discussion fermée" in queue
    client.post("/moderation/threads/closing", data={
        "csrf_token": csrf(queue), "site": "default", "closing": f"0:{THREAD}"})  # fmt: skip
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200
    events = [e.fields for e in AuditLog(services.redis).entries() if "thread" in e.fields]
    assert [(e["event"], e["moderator"], e["via"]) for e in events] == [
        ("thread_reopened", "mod@example.org", "page"),
        ("thread_closed", "mod@example.org", "page"),
    ]


def test_the_queue_page_refuses_a_bad_choice_or_no_token(client, services):
    services.accounts.add("mod@example.org", "correct horse battery")
    login = client.get("/moderation/login").get_data(as_text=True)
    client.post("/moderation/login", data={"csrf_token": csrf(login), "email": "mod@example.org",
                                           "password": "correct horse battery"})  # fmt: skip
    token = csrf(client.get("/moderation/").get_data(as_text=True))
    for value in ("2:" + THREAD, "1:no-such-article", "1"):
        response = client.post("/moderation/threads/closing",
                               data={"csrf_token": token, "closing": value})  # fmt: skip
        assert response.status_code == 400, value
    response = client.post("/moderation/threads/closing", data={"closing": f"1:{THREAD}"})
    assert response.status_code == 400  # no CSRF token
    assert client.get(f"{API}/challenge?thread={THREAD}").status_code == 200
