"""Reply e-mails to readers, end to end: the box on the form (no JavaScript)
and the API's ``notify``, the double opt-in with its 48 h link (test clock),
replies approved by a moderator and by the real worker, batching within
``REPLY_DIGEST_MINUTES``, RFC 8058 one-click unsubscribe, retries and
permanent failures, on a real SMTP server (aiosmtpd) and a real Redis."""

import re
import signal
import time
from urllib.parse import urlsplit

import pytest

from moderation import config
from moderation.digest import Mailer
from moderation.i18n import catalog
from moderation.privacy import Privacy
from moderation.reply_mail import ReplyMail
from moderation.reply_subscriptions import ReplySubscriptions, digest_of
from moderation.reply_tokens import ReplyTokens
from moderation.store import CommentStore
from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, post

PUBLIC = "https://commentaires.example"
READER = "camille@example.org"



@pytest.fixture
def mail(redis_client, clock, smtp):
    controller, _inbox = smtp
    mailer = Mailer(host="127.0.0.1", port=controller.port, starttls=False,
                    sender="commentaires@journal.example")  # fmt: skip
    return ReplyMail(redis_client, lambda: ["default"], mailer, ReplyTokens("test-secret"),
                     every_minutes=15, public_url=PUBLIC + "/", clock=clock,
                     catalogs=catalog)  # fmt: skip


def wait_for(inbox, count):
    deadline = time.monotonic() + 30  # a bound for a busy machine, not a wait
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return inbox.messages


def link(message, page):
    found = re.search(rf"{re.escape(PUBLIC)}/notifications/{page}\?\S+", message.get_content())
    assert found, message.get_content()
    parts = urlsplit(found[0])
    return f"{parts.path}?{parts.query}"


def reply(client, parent, body, author_email="sacha@example.org"):
    response = post(client, comment_payload(client, parent=parent, body=body, author="Sacha",
                                            email=author_email))  # fmt: skip
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def approve(services, comment_id):
    services.comments.decide(comment_id, "approved", "mod@example.org")


def subscribed_by_api(client, clock, services, mail, inbox, lang="fr"):
    """A reader's comment posted with notify, confirmed, published."""
    response = post(client, comment_payload(client, notify=True, lang=lang))
    assert response.status_code == 202
    comment_id = response.get_json()["id"]
    assert mail.send_due() == 1
    confirmation = wait_for(inbox, len(inbox.messages))[-1]
    assert client.post(link(confirmation, "confirm")).status_code == 200
    approve(services, comment_id)
    return comment_id


def test_the_form_without_javascript_asks_confirms_and_mails_replies(client, services, mail,
                                                                     smtp, clock):  # fmt: skip
    _controller, inbox = smtp
    page = client.get(f"/articles/{THREAD}").get_data(as_text=True)
    assert "Me prévenir des réponses par e-mail" in page
    sent = client.post(f"/articles/{THREAD}", data=form_data(page, notify="y"))
    assert sent.status_code == 303
    shown = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "un message lui demande de le faire" in shown
    (comment,), _ = services.comments.in_status("pending")

    assert mail.send_due() == 1
    (confirmation,) = wait_for(inbox, 1)
    assert confirmation["To"] == READER
    assert confirmation["Subject"] == "Confirmez les avis de réponse"  # the article is French
    assert "valable 48 heures" in confirmation.get_content()
    confirm = link(confirmation, "confirm")
    assert mail.send_due() == 0  # sent once only

    approve(services, comment.id)
    early = reply(client, comment.id, "Une réponse avant la confirmation.")
    approve(services, early)
    assert mail.send_due() == 0  # nothing but the confirmation until it is confirmed

    shown = client.get(confirm)
    assert shown.status_code == 200 and "<button" in shown.get_data(as_text=True)
    assert client.post(confirm).status_code == 200
    assert services.comments.get(comment.id).status == "approved"
    answer = reply(client, comment.id, "Merci, **bien vu** : la source est là.")
    approve(services, answer)
    assert mail.send_due() == 1
    (_c, message) = wait_for(inbox, 2)
    assert message["To"] == READER
    assert message["Subject"] == "1 réponse à votre commentaire"
    text = message.get_content()
    assert "Sacha a répondu :" in text and "Merci, **bien vu** : la source est là." in text
    assert f"{PUBLIC}/articles/{THREAD}#c-{answer}" in text
    assert "Une réponse avant la confirmation." not in text
    # RFC 8058: the header's address, one POST, no session, no CSRF token.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    target = re.fullmatch(r"<(https://\S+)>", message["List-Unsubscribe"])[1]
    assert target in text  # the same link is visible
    parts = urlsplit(target)
    stranger = client.application.test_client()  # no session of the reader's
    left = stranger.post(f"{parts.path}?{parts.query}", data={"List-Unsubscribe": "One-Click"})
    assert left.status_code == 200
    assert "plus d’e-mail sur cette discussion" in left.get_data(as_text=True)
    approve(services, reply(client, comment.id, "Encore une réponse."))
    assert mail.send_due() == 0


def test_the_confirmation_link_expires_after_48_hours(client, clock, mail, smtp):
    _controller, inbox = smtp
    assert post(client, comment_payload(client, notify=True, lang="en")).status_code == 202
    assert mail.send_due() == 1
    (confirmation,) = wait_for(inbox, 1)
    assert confirmation["Subject"] == "Confirm reply notifications"  # the page's language
    clock.advance(48 * 3600 - 1)
    assert client.get(link(confirmation, "confirm")).status_code == 200
    assert post(client, comment_payload(client, notify=True)).status_code == 202
    assert mail.send_due() == 0  # asked again within 48 h: no second e-mail
    clock.advance(2)
    expired = client.post(link(confirmation, "confirm"))
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True)
    assert post(client, comment_payload(client, notify=True)).status_code == 202
    assert mail.send_due() == 1  # a new request after expiry: a new link
    (_first, again) = wait_for(inbox, 2)
    assert client.post(link(again, "confirm")).status_code == 200


def test_replies_are_batched_one_e_mail_per_thread_per_window(client, clock, services, mail,
                                                              smtp):  # fmt: skip
    _controller, inbox = smtp
    mine = subscribed_by_api(client, clock, services, mail, inbox, lang="en")
    for body in ("First answer.", "Second answer."):
        approve(services, reply(client, mine, body))
    assert mail.send_due() == 1
    (_confirmation, first) = wait_for(inbox, 2)
    assert first["Subject"] == "2 replies to your comments"
    assert "First answer." in first.get_content() and "Second answer." in first.get_content()
    approve(services, reply(client, mine, "Third answer."))
    assert mail.send_due() == 0  # within REPLY_DIGEST_MINUTES of the last e-mail
    clock.advance(15 * 60 - 1)
    assert mail.send_due() == 0
    clock.advance(1)
    assert mail.send_due() == 1
    third = wait_for(inbox, 3)[-1]
    assert third["Subject"] == "1 reply to your comment"
    assert "Third answer." in third.get_content() and "Second" not in third.get_content()
    # One's own reply to oneself is not news.
    approve(services, reply(client, mine, "Self.", author_email=READER))
    clock.advance(3600)
    assert mail.send_due() == 0


def test_a_temporary_failure_is_retried_and_a_permanent_one_disables(client, clock, services,
                                                                      mail, smtp):  # fmt: skip
    _controller, inbox = smtp
    mine = subscribed_by_api(client, clock, services, mail, inbox)
    inbox.refuse[READER] = "451 4.3.0 try again later"
    approve(services, reply(client, mine, "Une réponse."))
    assert mail.send_due() == 0
    subscriptions = ReplySubscriptions(services.redis, "default", clock)
    assert subscriptions.due() == []  # waits, growing each time
    clock.advance(60)
    assert len(subscriptions.due()) == 1
    assert mail.send_due() == 0
    clock.advance(60)
    assert subscriptions.due() == []  # the second wait is longer
    del inbox.refuse[READER]
    clock.advance(120)
    assert mail.send_due() == 1
    assert "Une réponse." in wait_for(inbox, 2)[-1].get_content()

    clock.advance(3600)
    inbox.refuse[READER] = "550 5.1.1 no such user"
    approve(services, reply(client, mine, "Une autre."))
    assert mail.send_due() == 0
    assert subscriptions.address(digest_of(READER))["state"] == "disabled"
    del inbox.refuse[READER]
    approve(services, reply(client, mine, "Et encore."))
    clock.advance(3600)
    assert mail.send_due() == 0 and len(inbox.messages) == 2
    assert post(client, comment_payload(client, notify=True)).status_code == 202
    assert mail.send_due() == 0  # a disabled address gets no new confirmation either


def test_the_unsubscribe_page_stops_everything_in_both_languages(client, clock, services, mail,
                                                                  smtp):  # fmt: skip
    _controller, inbox = smtp
    mine = subscribed_by_api(client, clock, services, mail, inbox)
    approve(services, reply(client, mine, "Réponse."))
    assert mail.send_due() == 1
    message = wait_for(inbox, 2)[-1]
    leave = link(message, "unsubscribe")
    page = client.get(leave).get_data(as_text=True)
    assert "Arrêter les e-mails sur cette discussion" in page
    assert "Arrêter tous les e-mails de réponse" in page
    english = client.get(leave.replace("lang=fr", "lang=en")).get_data(as_text=True)
    assert "Stop all reply e-mails" in english
    assert client.post(leave, data={"scope": "all"}).status_code == 200
    assert ReplySubscriptions(services.redis, "default", clock).address(digest_of(READER)) == {}
    assert client.get("/notifications/unsubscribe?token=forged").status_code == 400
    assert client.post("/notifications/confirm", data={"token": "forged"}).status_code == 400


def test_the_api_checks_notify_and_lang(client):
    for field, value in (("notify", "yes"), ("notify", 1), ("lang", "de")):
        response = post(client, comment_payload(client, **{field: value}))
        assert response.status_code == 400
        assert response.get_json()["error"]["field"] == field


def test_privacy_export_and_delete_include_subscriptions(client, clock, services, mail, smtp):
    _controller, inbox = smtp
    subscribed_by_api(client, clock, services, mail, inbox)
    privacy = Privacy(services.redis, services.sites.names, clock=clock)
    (kept,) = privacy.export(READER)["reply_notifications"]
    assert kept["email"] == READER and kept["state"] == "confirmed"
    assert list(kept["threads"]) == [THREAD]
    assert privacy.delete(READER).reply_subscriptions == 1
    assert privacy.export(READER)["reply_notifications"] == []
    assert not [key for key in services.redis.scan_iter("notify:*")
                if digest_of(READER) in key]  # fmt: skip


HAM = "La ministre était déjà venue il y a six semaines, l’article le rappelle."


def test_a_reply_the_worker_approves_is_mailed_by_the_worker(redis_client, smtp):
    """The real worker path: classification publishes the reply, the same
    worker's housekeeping sends the e-mail."""
    from moderation.worker import process

    controller, inbox = smtp
    store = CommentStore(redis_client)
    parent = store.save(THREAD, CommentInput("Camille", READER, "Une question ?", ""))
    store.decide(parent.id, "approved", "mod@example.org")
    subscriptions = ReplySubscriptions(redis_client, "default")
    assert subscriptions.ask(READER, THREAD, parent.id, "fr")
    subscriptions.confirm(digest_of(READER), float(subscriptions.address(digest_of(READER))
                                                   ["asked_at"]))  # fmt: skip
    subscriptions.drop(subscriptions.due()[0])  # the confirmation e-mail: not this test's
    answer = store.save(THREAD, CommentInput("Claire", "claire@example.org", HAM, ""),
                        parent=parent.id)  # fmt: skip
    settings = config.from_environ({})
    settings.update(AUTO_APPROVE=True, SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port,
                    SMTP_STARTTLS=False, SECRET_KEY="worker-secret", PUBLIC_URL=PUBLIC)  # fmt: skip
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        process.run(redis_client, settings, name="w-replies", burst=True)
    finally:
        signal.signal(signal.SIGTERM, handlers[0])
        signal.signal(signal.SIGINT, handlers[1])
    assert store.get(answer.id).status == "approved"
    (message,) = wait_for(inbox, 1)
    assert message["To"] == READER and HAM in message.get_content()
    assert message["List-Unsubscribe"].startswith(f"<{PUBLIC}/notifications/unsubscribe?token=")
