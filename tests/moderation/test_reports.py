"""Readers reporting published comments: through the API and the form without
JavaScript, one report per client, REPORTS_TO_REVIEW of them (or one from a
moderator) sending the comment back to review in the same step; dismissal in
the queue and the moderation API; audit, dashboard and privacy."""

import re

import pytest

from moderation.audit import AuditLog
from moderation.dashboard import dashboard
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.privacy import Privacy
from moderation.validation import CommentInput
from moderation.worker import Worker
from tests.conftest import THREAD
from tests.moderation.reader import API, comment_payload, post
from tests.moderation.test_admin import csrf

PAGE = f"/articles/{THREAD}"
HAM = "La ministre était déjà venue il y a six semaines, l’article le rappelle."


def reader(number):
    return {"REMOTE_ADDR": f"203.0.113.{number}"}


def report(client, comment_id, number=1, **body):
    body.setdefault("reason", "spam")
    return client.post(f"{API}/comments/{comment_id}/reports", json=body,
                       environ_base=reader(number))  # fmt: skip


def published(services, clock, body="Un avis publié."):
    clock.advance(0.01)
    comment = services.comments.save(THREAD, CommentInput("Léa", "lea@example.org", body, ""))
    services.comments.set_status(comment.id, "approved")
    return comment.id


def listed(client):
    return [c["id"] for c in client.get(f"{API}/threads/{THREAD}/comments").get_json()["comments"]]


def sign_in(client, services):
    services.accounts.add("mod@example.org", "correct horse battery")
    login = client.get("/moderation/login").get_data(as_text=True)
    client.post("/moderation/login", data={"csrf_token": csrf(login), "email": "mod@example.org",
                                           "password": "correct horse battery"})  # fmt: skip


def test_reports_cross_the_threshold_after_the_worker_published_the_comment(
    client, services, redis_client, clock
):
    response = post(client, comment_payload(client, body=HAM))
    comment_id = response.get_json()["id"]
    registry = ModelRegistry(redis_client, clock=clock)
    registry.ensure_default()
    Worker(redis_client, models=ModelCache(registry), name="w",
           policy=Policy(auto_approve=True)).run(burst=True)  # fmt: skip
    assert services.comments.status(comment_id) == "approved"
    first = client.get(f"{API}/threads/{THREAD}/comments")
    assert [c["id"] for c in first.get_json()["comments"]] == [comment_id]

    assert report(client, comment_id, 1).status_code == 202
    again = report(client, comment_id, 1, reason="abuse")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_reported"
    assert report(client, comment_id, 2, reason="off_topic").status_code == 202
    assert services.comments.status(comment_id) == "approved"  # two of three
    response = report(client, comment_id, 3, reason="other", text="Propos injurieux.")
    assert response.status_code == 202 and response.get_json() == {"id": comment_id,
                                                                   "received": True}
    assert services.comments.status(comment_id) == "review"
    assert services.comments.count("review") == 1
    refreshed = client.get(f"{API}/threads/{THREAD}/comments",
                           headers={"If-None-Match": first.headers["ETag"]})  # fmt: skip
    assert refreshed.status_code == 200 and refreshed.get_json()["comments"] == []
    assert "Un article" not in client.get(PAGE).get_data(as_text=True).split("commentaires")[-1]
    events = [e.fields["event"] for e in AuditLog(redis_client).entries() if "event" in e.fields]
    assert events[:4] == ["reported_to_review", "report", "report", "report"]
    gone = report(client, comment_id, 4)
    assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "comment_not_found"


def test_the_queue_shows_the_reports_and_a_dismissal_doubles_the_threshold(
    client, services, clock, redis_client
):
    comment_id = published(services, clock)
    for number, reason in enumerate(["spam", "abuse", "other"], start=1):
        report(client, comment_id, number, reason=reason, text="Pub déguisée" * (number == 3))
    sign_in(client, services)
    queue = client.get("/moderation/").get_data(as_text=True)
    card = queue.split(f'id="item-{comment_id}"')[1]
    assert "signalé" in card and "3 signalements (seuil : 3)" in card
    assert "insulte ou harcèlement" in card and "<q>Pub déguisée</q>" in card
    response = client.post("/moderation/reports/dismiss", data={
        "csrf_token": csrf(queue), "site": "default", "dismiss": comment_id})  # fmt: skip
    assert response.status_code == 303
    assert services.comments.status(comment_id) == "approved"
    assert listed(client) == [comment_id]
    for number in range(4, 9):  # five more: twice as many needed now
        assert report(client, comment_id, number).status_code == 202
    assert services.comments.status(comment_id) == "approved"
    assert report(client, comment_id, 1).status_code == 409  # still one each
    assert report(client, comment_id, 9).status_code == 202
    assert services.comments.status(comment_id) == "review"
    card = client.get("/moderation/").get_data(as_text=True).split(f'id="item-{comment_id}"')[1]
    assert "6 signalements (seuil : 6)" in card
    figures = dashboard(services.comments, services.audit, now=clock(), spam_threshold=0.9)
    assert (figures.reports.received, figures.reports.sent_to_review,
            figures.reports.dismissed) == (9, 2, 1)  # fmt: skip
    page = client.get("/moderation/dashboard").get_data(as_text=True)
    assert "9 signalements en 30 jours" in page and "1 signalement écarté" in page


def test_one_report_with_a_moderators_token_is_enough(client, services, clock):
    comment_id = published(services, clock)
    services.accounts.add("mod@example.org", "correct horse battery")
    token = services.accounts.create_token("mod@example.org")
    response = client.post(f"{API}/comments/{comment_id}/reports", json={"reason": "abuse"},
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 202
    assert services.comments.status(comment_id) == "review"
    entries = [e.fields for e in AuditLog(services.redis).entries(comment=comment_id)]
    assert {(e["event"], e["moderator"]) for e in entries} == {
        ("report", "mod@example.org"), ("reported_to_review", "mod@example.org")}
    dismissed = client.post(f"/api/v1/moderation/comments/{comment_id}/reports/dismiss",
                            headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert dismissed.get_json() == {"id": comment_id, "dismissed": True}
    assert services.comments.status(comment_id) == "approved"
    again = client.post(f"/api/v1/moderation/comments/{comment_id}/reports/dismiss",
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert again.get_json()["dismissed"] is False


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"reason": "boring"}, "invalid_reason", "reason"),
        ({}, "invalid_reason", "reason"),
        ({"reason": "other"}, "required", "text"),
        ({"reason": "other", "text": "   "}, "required", "text"),
        ({"reason": "spam", "text": "x" * 501}, "too_long", "text"),
        ({"reason": "spam", "text": 3}, "invalid_type", "text"),
        ({"reason": "spam", "text": "a\x00b"}, "invalid_character", "text"),
    ],
)
def test_bad_reports_are_400_naming_the_field(client, services, clock, body, code, field):
    comment_id = published(services, clock)
    response = client.post(f"{API}/comments/{comment_id}/reports", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["field"] == field
    assert not services.redis.exists(services.comments.keys.reports(comment_id))
    assert report(client, comment_id).status_code == 202  # nothing was used up


def test_only_published_comments_can_be_reported(client, services, clock):
    pending = services.comments.save(THREAD, CommentInput("A", "a@example.org", "x", "")).id
    for comment_id in (pending, "0" * 26, "not-an-id"):
        response = report(client, comment_id)
        assert response.status_code == 404, comment_id
        assert response.get_json()["error"]["code"] == "comment_not_found"


def test_reports_are_rate_limited_per_client(make_app, clock):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REPORT="2/minute")
    client, services = app.test_client(), app.extensions["moderation"]
    ids = [published(services, clock, f"Avis {n}") for n in range(3)]
    assert [report(client, i).status_code for i in ids] == [202, 202, 429]
    assert report(client, ids[2], 2).status_code == 202  # another client
    page = client.get(f"{PAGE}/comments/{ids[2]}/report", environ_base=reader(1))
    data = {"csrf_token": csrf(page.get_data(as_text=True)), "reason": "spam"}
    response = client.post(f"{PAGE}/comments/{ids[2]}/report", data=data, environ_base=reader(1))
    assert response.status_code == 429  # one budget with the pages


def test_the_form_without_javascript(client, services, clock):
    comment_id = published(services, clock)
    article = client.get(PAGE).get_data(as_text=True)
    link = f"{PAGE}/comments/{comment_id}/report"
    assert f'href="{link}"' in article and ">Signaler</a>" in article
    page = client.get(link).get_data(as_text=True)
    assert "Signaler un commentaire" in page and "Un avis publié." in page
    assert 'type="radio"' in page and "Insulte ou harcèlement" in page
    token = csrf(page)
    response = client.post(link, data={"csrf_token": token, "reason": "other", "text": ""})
    assert response.status_code == 400
    assert "Dites ce qui ne va pas dans ce commentaire." in response.get_data(as_text=True)
    response = client.post(link, data={"csrf_token": token, "reason": "spam"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"{PAGE}#c-{comment_id}")  # fmt: skip
    thanked = client.get(PAGE).get_data(as_text=True)
    assert "Merci : votre signalement a bien été reçu." in thanked
    response = client.post(link, data={"csrf_token": token, "reason": "abuse"})
    assert response.status_code == 409
    assert "Vous avez déjà signalé ce commentaire." in response.get_data(as_text=True)
    assert client.post(link, data={"reason": "spam"}).status_code == 400  # no CSRF token
    state = services.reports_for("default").state(comment_id)
    assert [r.reason for r in state.open] == ["spam"] and not state.reported


def test_a_signed_in_moderator_reporting_through_the_page_is_trusted(client, services, clock):
    comment_id = published(services, clock)
    sign_in(client, services)
    link = f"{PAGE}/comments/{comment_id}/report"
    token = csrf(client.get(link).get_data(as_text=True))
    assert client.post(link, data={"csrf_token": token, "reason": "abuse"}).status_code == 303
    assert services.comments.status(comment_id) == "review"
    assert client.get(link).status_code == 404  # no longer published


def test_a_registered_sites_thread_page_links_to_its_report_page(client, services, clock):
    services.sites.add("partner", ["https://partner.example"])
    store = services.store_for("partner")
    comment = store.save("dossier-1", CommentInput("Léa", "l@example.org", "Chez eux.", ""))
    store.set_status(comment.id, "approved")
    page = client.get("/sites/partner/threads/dossier-1?lang=en").get_data(as_text=True)
    link = re.search(r'href="([^"]+/report[^"]*)"', page)[1].replace("&amp;", "&")
    assert link == f"/sites/partner/threads/dossier-1/comments/{comment.id}/report?lang=en"
    form = client.get(link).get_data(as_text=True)
    assert "Report a comment" in form
    response = client.post(link, data={"csrf_token": csrf(form), "reason": "off_topic"})
    assert response.status_code == 303
    assert services.reports_for("partner").state(comment.id).open[0].reason == "off_topic"
    other = client.post(f"{API}/comments/{comment.id}/reports", json={"reason": "spam"})
    assert other.status_code == 404  # our own site has no such comment


def test_privacy_export_shows_reports_without_reporters_and_erasure_drops_them(
    client, services, clock, redis_client
):
    comment_id = published(services, clock)
    report(client, comment_id, 1, reason="other", text="Hors charte.")
    privacy = Privacy(redis_client, services.sites.names, clock=clock)
    exported = privacy.export("lea@example.org")["comments"][0]["reports"]
    assert [(r["reason"], r["text"], r["trusted"]) for r in exported] == [
        ("other", "Hors charte.", False)]
    assert "203.0.113" not in str(exported)
    privacy.delete("lea@example.org", with_comments=True)
    assert not redis_client.exists(services.comments.keys.reports(comment_id))
