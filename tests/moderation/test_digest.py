"""Moderators' digest, sent to a real SMTP server started by the test."""

import email
import email.policy
import time

import pytest
from aiosmtpd.controller import Controller

from moderation.digest import Digest, Mailer
from moderation.redis_server import free_port
from moderation.store import CommentStore
from moderation.validation import CommentInput
from tests.conftest import THREAD


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def make_digest(redis_client, clock, controller, every=30):
    mailer = Mailer(host="127.0.0.1", port=controller.port, starttls=False,
                    sender="moderation@journal.example")  # fmt: skip
    return Digest(redis_client, lambda: ["default"], mailer, every_minutes=every,
                  public_url="https://commentaires.journal.example/", clock=clock)  # fmt: skip


def in_review(redis_client, clock, body):
    clock.advance(0.01)
    store = CommentStore(redis_client, clock=clock)
    comment = store.save(THREAD, CommentInput("Léa", "lea@example.org", body, ""))
    store.set_status(comment.id, "review")
    return comment.id


def wait_for(inbox, count):
    deadline = time.monotonic() + 5
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return inbox.messages


def test_a_digest_lists_waiting_comments_with_links(redis_client, clock, smtp, services):
    controller, inbox = smtp
    services.accounts.add("mod@example.org", "correct horse battery")
    first = in_review(redis_client, clock, "Premier commentaire à relire.")
    in_review(redis_client, clock, "Second.")
    assert make_digest(redis_client, clock, controller).send_if_due()
    (message,) = wait_for(inbox, 1)
    assert message["To"] == "mod@example.org"
    assert message["Subject"] == "2 commentaire(s) à relire"
    text = message.get_content()
    assert "Premier commentaire à relire." in text
    queue = "https://commentaires.journal.example/moderation/?status=review&site=default"
    assert f"{queue}#item-{first}" in text


def test_at_most_one_digest_a_period_and_none_when_nothing_waits(
    redis_client, clock, smtp, services
):
    controller, inbox = smtp
    services.accounts.add("mod@example.org", "correct horse battery")
    digest = make_digest(redis_client, clock, controller, every=30)
    assert not digest.send_if_due()  # nothing waits
    in_review(redis_client, clock, "Un.")
    assert digest.send_if_due()
    in_review(redis_client, clock, "Deux.")
    assert not digest.send_if_due()  # within the period
    assert len(wait_for(inbox, 1)) == 1
    redis_client.delete("digest:{digest}:sent")  # the period has passed (the key expires)
    assert digest.send_if_due()
    assert len(wait_for(inbox, 2)) == 2


def test_no_smtp_host_means_no_mail(redis_client, clock):
    in_review(redis_client, clock, "Un.")
    digest = Digest(redis_client, lambda: ["default"], Mailer(host=""), every_minutes=30,
                    public_url="http://x", recipients=["m@example.org"], clock=clock)  # fmt: skip
    assert not digest.send_if_due()
