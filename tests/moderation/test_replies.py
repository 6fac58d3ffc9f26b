"""Replies, one level deep: through the API, the form, the pages and the queue."""

import re

import pytest

from moderation.store import InvalidParent
from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, post

PAGE = f"/articles/{THREAD}"


def published(services, clock, body="Un avis.", author="Léa", parent=""):
    clock.advance(0.01)  # ids sort by time
    store = services.comments
    comment = store.save(THREAD, CommentInput(author, "l@example.org", body, ""), parent=parent)
    store.set_status(comment.id, "approved")
    return comment.id


def test_a_reply_through_the_api_is_stored_with_its_parent(client, services, clock):
    parent = published(services, clock)
    clock.advance(0.01)  # the reply comes later: ids sort by time
    response = post(client, comment_payload(client, parent=parent))
    assert response.status_code == 202
    reply = services.comments.get(response.get_json()["id"])
    assert reply.parent == parent and reply.status == "pending"
    services.comments.set_status(reply.id, "approved")
    listed = client.get(f"/api/v1/threads/{THREAD}/comments").get_json()["comments"]
    assert [c.get("parent") for c in listed] == [None, parent]


@pytest.mark.parametrize(
    ("make_parent", "code"),
    [
        (lambda s, c: "0" * 26, "parent_not_found"),  # unknown
        (lambda s, c: s.comments.save(THREAD, CommentInput("A", "a@example.org", "x", "")).id,
         "parent_not_found"),  # unpublished  # fmt: skip
        (lambda s, c: published(s, c, parent=published(s, c)), "invalid_parent"),  # a reply
        (lambda s, c: "not-an-id", "invalid_parent"),
        (lambda s, c: 12, "invalid_parent"),
    ],
)
def test_a_reply_to_what_cannot_be_answered_is_400_and_keeps_the_answer(
    client, services, clock, make_parent, code
):
    payload = comment_payload(client, parent=make_parent(services, clock))
    before = services.comments.count("pending")
    response = post(client, payload)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["field"] == "parent"
    assert services.comments.count("pending") == before  # nothing stored
    payload["parent"] = None  # the same answer still works
    assert post(client, payload).status_code == 202


def test_a_reply_to_another_threads_comment_is_refused(services, clock):
    store = services.comments
    other = store.save("autre-article", CommentInput("A", "a@example.org", "x", ""))
    store.set_status(other.id, "approved")
    with pytest.raises(InvalidParent) as refused:
        store.save(THREAD, CommentInput("B", "b@example.org", "y", ""), parent=other.id)
    assert refused.value.code == "parent_not_found"


def test_the_page_nests_replies_and_the_form_answers_one(client, services, clock):
    parent = published(services, clock, "Question ?", "Léa")
    reply = published(services, clock, "Réponse.", "Bob", parent=parent)
    html = client.get(PAGE).get_data(as_text=True)
    nested = re.search(rf'<li class="comment" id="c-{parent}">(.*?)</li>\s*</ol>\s*</li>', html,
                       re.S)  # fmt: skip
    assert nested and f'id="c-{reply}"' in nested[1] and 'class="replies"' in nested[1]
    assert "Commentaires (2)" in html

    form_page = client.get(f"{PAGE}?reply={parent}").get_data(as_text=True)
    assert "En réponse à Léa" in form_page
    assert f'name="parent" type="hidden" value="{parent}"' in form_page
    data = form_data(form_page, body="Je réponds.")
    data["parent"] = parent
    assert client.post(PAGE, data=data).status_code == 303
    (saved,) = services.comments.in_status("pending")[0]
    assert saved.parent == parent
    # A reply cannot itself be answered: the link does not offer it.
    assert "En réponse à Bob" not in client.get(f"{PAGE}?reply={reply}").get_data(as_text=True)


def test_the_queue_shows_what_a_reply_answers(client, services, clock):
    services.accounts.add("mod@example.org", "correct horse battery")
    from tests.moderation.test_admin import sign_in

    assert sign_in(client).status_code == 303
    parent = published(services, clock, "La question posée.", "Léa")
    clock.advance(0.01)
    reply = services.comments.save(THREAD, CommentInput("Bob", "b@example.org", "Oui.", ""),
                                   parent=parent)  # fmt: skip
    services.comments.set_status(reply.id, "review")
    html = client.get("/moderation/").get_data(as_text=True)
    assert "En réponse à <strong>Léa</strong> : « La question posée. »" in html
