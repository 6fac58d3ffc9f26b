"""An author edits or deletes their own comment with its edit key, within
EDIT_WINDOW_MINUTES (the test clock moves time): through the API here."""

import re

import pytest

from moderation.audit import AuditLog
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.store.edits import edit_key_hash
from moderation.worker import Worker
from tests.conftest import THREAD
from tests.moderation.reader import API, comment_payload, form_data, post
from tests.moderation.test_admin import csrf
from tests.moderation.test_reports import sign_in

HAM = "La ministre était déjà venue il y a six semaines, l’article le rappelle."


def posted(client, **fields):
    response = post(client, comment_payload(client, **fields))
    assert response.status_code == 202
    return response.get_json()


def patch(client, comment_id, key, body="Texte corrigé, plus juste."):
    headers = {"X-Edit-Key": key} if key is not None else {}
    return client.patch(f"{API}/comments/{comment_id}", json={"body": body}, headers=headers)


def delete(client, comment_id, key):
    return client.delete(f"{API}/comments/{comment_id}", headers={"X-Edit-Key": key})


def test_posting_gives_an_edit_key_whose_hash_only_is_kept(client, services):
    answer = posted(client)
    assert len(answer["edit_key"]) >= 16 and answer["edit_until"].endswith("Z")
    fields = services.redis.hgetall(services.comments.keys.comment(answer["id"]))
    assert fields["edit_key_hash"] == edit_key_hash(answer["edit_key"])
    assert answer["edit_key"] not in str(fields)


def test_an_edit_of_a_waiting_comment_goes_to_the_classifier_again(
    client, services, redis_client, clock
):
    answer = posted(client, body="Prmier jet.")
    registry = ModelRegistry(redis_client, clock=clock)
    registry.ensure_default()
    worker = Worker(redis_client, models=ModelCache(registry), name="w", policy=Policy())
    worker.run(burst=True)
    assert services.comments.status(answer["id"]) == "review"
    clock.advance(60)
    response = patch(client, answer["id"], answer["edit_key"], HAM)
    assert response.status_code == 200
    assert response.get_json() == {"id": answer["id"], "status": "pending"}
    comment = services.comments.get(answer["id"])
    assert comment.body == HAM and comment.status == "pending" and not comment.score
    worker.run(burst=True)
    assert services.comments.get(answer["id"]).status == "review"
    assert services.comments.get(answer["id"]).score  # scored again, on the new text


def test_an_edit_of_a_published_comment_unpublishes_it_and_keeps_the_old_text(client, services):
    answer = posted(client, body="Version publiée.")
    services.comments.set_status(answer["id"], "approved")
    listed = client.get(f"{API}/threads/{THREAD}/comments")
    response = patch(client, answer["id"], answer["edit_key"], "Version modifiée.")
    assert response.get_json()["status"] == "review"
    fields = services.redis.hgetall(services.comments.keys.comment(answer["id"]))
    assert (fields["body"], fields["previous_body"]) == ("Version modifiée.", "Version publiée.")
    again = client.get(f"{API}/threads/{THREAD}/comments",
                       headers={"If-None-Match": listed.headers["ETag"]})  # fmt: skip
    assert again.status_code == 200 and again.get_json()["comments"] == []


def test_deleting_hides_at_once_and_is_audited(client, services):
    answer = posted(client)
    services.comments.set_status(answer["id"], "approved")
    response = delete(client, answer["id"], answer["edit_key"])
    assert response.get_json() == {"id": answer["id"], "status": "rejected"}
    assert client.get(f"{API}/threads/{THREAD}/comments").get_json()["comments"] == []
    (entry,) = AuditLog(services.redis).entries(comment=answer["id"])
    assert (entry.fields["event"], entry.fields["moderator"]) == ("deleted_by_author", "author")
    assert patch(client, answer["id"], answer["edit_key"]).status_code == 404  # gone


@pytest.mark.parametrize("key", [None, "", "not-the-key"])
def test_a_wrong_or_missing_key_is_refused(client, services, key):
    answer = posted(client, body="Intact.")
    response = patch(client, answer["id"], key)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "bad_edit_key"
    assert delete(client, answer["id"], key or "").status_code == 403
    assert services.comments.get(answer["id"]).body == "Intact."


def test_the_window_closes_after_edit_window_minutes(make_app, clock):
    client = make_app(EDIT_WINDOW_MINUTES=10).test_client()
    answer = posted(client)
    clock.advance(10 * 60 - 1)
    assert patch(client, answer["id"], answer["edit_key"]).status_code == 200
    clock.advance(2)
    for response in (patch(client, answer["id"], answer["edit_key"]),
                     delete(client, answer["id"], answer["edit_key"])):  # fmt: skip
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "edit_window_closed"


def test_bad_text_and_unknown_comments(client):
    answer = posted(client)
    response = patch(client, answer["id"], answer["edit_key"], "")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "body"
    assert patch(client, "0" * 26, answer["edit_key"]).status_code == 404
    assert delete(client, "not-an-id", answer["edit_key"]).status_code == 404


def test_a_trapped_comment_gets_a_key_that_opens_nothing(client):
    payload = comment_payload(client, homepage="http://spam.example")
    answer = post(client, payload).get_json()
    assert answer["edit_key"]
    assert patch(client, answer["id"], answer["edit_key"]).status_code == 404


# --- the form without JavaScript: keys in a signed cookie ----------------------

PAGE = f"/articles/{THREAD}"


def post_form(client, body="Mon avis, premier jet."):
    data = form_data(client.get(PAGE).get_data(as_text=True), body=body)
    response = client.post(PAGE, data=data)
    assert response.status_code == 303
    return response


def own_link(client):
    page = client.get(PAGE).get_data(as_text=True)
    match = re.search(r'href="(/articles/[^"]+/comments/(\w+)/edit)"', page)
    assert match, "no link to change one's comment"
    return match[1], match[2], page


def test_the_form_lists_ones_comment_and_changes_it(client, services):
    post_form(client)
    link, comment_id, page = own_link(client)
    assert "Vos commentaires récents" in page and "Mon avis, premier jet." in page
    assert "en attente de modération" in page
    edit = client.get(link).get_data(as_text=True)
    assert "Mon avis, premier jet." in edit
    response = client.post(link, data={"csrf_token": csrf(edit), "body": "Mon avis, relu.",
                                       "action": "save"})  # fmt: skip
    assert response.status_code == 303
    assert services.comments.get(comment_id).body == "Mon avis, relu."
    assert "de nouveau en attente de modération" in client.get(PAGE).get_data(as_text=True)
    response = client.post(link, data={"csrf_token": csrf(edit), "action": "delete"})
    assert response.status_code == 303
    assert services.comments.status(comment_id) == "rejected"
    page = client.get(PAGE).get_data(as_text=True)
    assert "Votre commentaire a été supprimé." in page and "Vos commentaires récents" not in page


def test_another_browser_or_a_late_one_may_not(client, services, clock, app):
    post_form(client)
    link, comment_id, _page = own_link(client)
    stranger = app.test_client()
    assert stranger.get(link).status_code == 403
    clock.advance(15 * 60 + 1)
    assert client.get(link).status_code == 403  # the cookie's entry is past its window
    assert "Vos commentaires récents" not in client.get(PAGE).get_data(as_text=True)
    assert services.comments.get(comment_id).body == "Mon avis, premier jet."


def test_a_forged_cookie_opens_nothing(client, services):
    post_form(client)
    link, comment_id, _page = own_link(client)
    client.set_cookie("edit_keys", "forged")
    assert client.get(link).status_code == 403


def test_the_queue_shows_what_the_author_changed(client, services):
    answer = posted(client, body="Le ministre est venu hier.")
    services.comments.set_status(answer["id"], "approved")
    patch(client, answer["id"], answer["edit_key"], "Le ministre est venu avant-hier.")
    sign_in(client, services)
    card = client.get("/moderation/").get_data(as_text=True).split(f'id="item-{answer["id"]}"')[1]
    assert "modifié après publication" in card
    assert "<del>hier.</del><ins>avant-hier.</ins>" in card
