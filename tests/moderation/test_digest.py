"""Moderators' digest, sent to a real SMTP server started by the test."""

import time

from moderation.digest import Digest, Mailer
from moderation.i18n import catalog
from moderation.store import CommentStore
from moderation.validation import CommentInput
from tests.conftest import THREAD


def make_digest(redis_client, clock, controller, every=30, lang="fr", recipients=None):
    mailer = Mailer(host="127.0.0.1", port=controller.port, starttls=False,
                    sender="moderation@journal.example")  # fmt: skip
    return Digest(redis_client, lambda: ["default"], mailer, every_minutes=every,
                  public_url="https://commentaires.journal.example/", clock=clock,
                  lang=lang, catalogs=catalog,
                  recipients=recipients)  # fmt: skip


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
    assert message["Subject"] == "2 commentaires à relire"
    text = message.get_content()
    assert "2 commentaires attendent une relecture." in text
    assert "Premier commentaire à relire." in text
    assert "  • Léa (ministre-nord-coreen-moscou) : Premier commentaire à relire." in text
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
                    public_url="http://x", recipients=["m@example.org"], clock=clock,
                    lang="fr", catalogs=catalog)  # fmt: skip
    assert not digest.send_if_due()


def test_the_digest_speaks_the_configured_language(redis_client, clock, smtp, services):
    controller, inbox = smtp
    services.accounts.add("mod@example.org", "correct horse battery")
    in_review(redis_client, clock, "Only one.")
    assert make_digest(redis_client, clock, controller, lang="en").send_if_due()
    (message,) = wait_for(inbox, 1)
    assert message["Subject"] == "1 comment to review"
    text = message.get_content()
    assert "1 comment awaits review." in text
    assert "  • Léa (ministre-nord-coreen-moscou): Only one." in text
    assert "relecture" not in text and "à relire" not in message["Subject"]


def test_one_comment_is_singular_in_french(redis_client, clock, smtp, services):
    controller, inbox = smtp
    services.accounts.add("mod@example.org", "correct horse battery")
    in_review(redis_client, clock, "Un seul.")
    assert make_digest(redis_client, clock, controller).send_if_due()
    (message,) = wait_for(inbox, 1)
    assert message["Subject"] == "1 commentaire à relire"
    assert "1 commentaire attend une relecture." in message.get_content()


def test_each_moderator_gets_the_digest_in_the_language_they_chose(
    redis_client, clock, smtp, services
):
    controller, inbox = smtp
    for address in ("ana@example.org", "ben@example.org", "cleo@example.org"):
        services.accounts.add(address, "correct horse battery")
    services.accounts.set_language("ben@example.org", "en")
    services.accounts.set_language("cleo@example.org", "fr")
    in_review(redis_client, clock, "Deux mots.")
    assert make_digest(redis_client, clock, controller).send_if_due()
    messages = wait_for(inbox, 2)
    by_to = {message["To"]: message["Subject"] for message in messages}
    assert by_to == {"ana@example.org, cleo@example.org": "1 commentaire à relire",
                     "ben@example.org": "1 comment to review"}  # fmt: skip


def test_digest_to_addresses_get_the_default_language(redis_client, clock, smtp, services):
    controller, inbox = smtp
    services.accounts.add("ben@example.org", "correct horse battery")
    services.accounts.set_language("ben@example.org", "en")
    in_review(redis_client, clock, "Un.")
    digest = make_digest(redis_client, clock, controller, recipients=["desk@example.org"])
    assert digest.send_if_due()
    (message,) = wait_for(inbox, 1)
    assert message["To"] == "desk@example.org"
    assert message["Subject"] == "1 commentaire à relire"


def test_the_cli_builds_the_digest_in_default_lang(redis_client):
    from moderation import config
    from moderation.worker.process import make_digest

    settings = config.from_environ({})
    settings.update(DEFAULT_LANG="en", SMTP_HOST="")
    digest = make_digest(redis_client, lambda: ["default"], settings)
    message = digest.message({"default": 3}, ["m@example.org"])
    assert message["Subject"] == "3 comments to review"


def test_a_moderator_hears_only_of_their_sites(redis_client, clock, smtp, services):
    controller, inbox = smtp
    services.sites.add("site-b", ["https://b.example.org"])
    in_review(redis_client, clock, "Un avis sur notre propre site")
    secret = CommentStore(redis_client, "site-b", clock=clock)
    body = "Confidentiel : le site B parle d'une affaire"
    secret.set_status(secret.save(THREAD, CommentInput("Léa", "lea@example.org", body, "")).id,
                      "review")  # fmt: skip
    services.accounts.add("owner@example.org", "correct horse battery")
    services.accounts.add("mod@example.org", "correct horse battery", role="moderator",
                          sites=["default"])  # fmt: skip
    digest = make_digest(redis_client, clock, controller)
    digest.sites = services.sites.names
    assert digest.send_if_due()
    by_recipient = {m["To"]: m.get_body().get_content() for m in wait_for(inbox, 2)}
    assert "Confidentiel" in by_recipient["owner@example.org"]
    assert "Confidentiel" not in by_recipient["mod@example.org"]
    assert "site-b" not in by_recipient["mod@example.org"]
    assert "notre propre site" in by_recipient["mod@example.org"]
