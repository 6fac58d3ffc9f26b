"""Reply e-mails in Chromium: the widget's box sends a confirmation request
(read on a local SMTP server), and the pages behind the e-mails' links
(confirm, unsubscribe) work at a phone's and a desktop's width, in both
languages, by keyboard, without sideways scroll."""

import os
import re
from pathlib import Path

import pytest

from moderation.digest import Mailer
from moderation.i18n import catalog
from moderation.reply_mail import ReplyMail
from moderation.reply_subscriptions import ReplySubscriptions, digest_of
from moderation.reply_tokens import ReplyTokens
from tests.arith import solve
from tests.browser.test_widget import host, open_host, registered, wait_for_question  # noqa: F401
from tests.moderation.test_reply_notifications import wait_for

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages yourself
READER = "camille@example.org"


def reply_mail(services, live_server, controller, clock):
    mailer = Mailer(host="127.0.0.1", port=controller.port, starttls=False)
    return ReplyMail(services.redis, services.sites.names, mailer, ReplyTokens("test-secret"),
                     every_minutes=15, public_url=live_server, clock=clock,
                     catalogs=catalog)  # fmt: skip


def link_in(message, page):
    found = re.search(rf"http://\S+/notifications/{page}\?\S+", message.get_content())
    assert found, message.get_content()
    return found[0]


def fits(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"


def focus_shows(page):
    """Tab onto the first button: it gets a visible outline."""
    page.locator("main button").first.wait_for()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_the_widget_box_asks_for_a_confirmation(browser, registered, services, live_server,  # noqa: F811
                                                smtp, clock):  # fmt: skip
    origin, _pages = registered
    controller, inbox = smtp
    page, dialogs, errors = open_host(browser, origin)
    question = wait_for_question(page)
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill(READER)
    page.get_by_label("Commentaire", exact=True).fill("Très juste, merci.")
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_label("Me prévenir des réponses par e-mail").check()
    page.locator("#comments form").scroll_into_view_if_needed()
    shot(page, "widget-box")
    page.get_by_role("button", name="Publier le commentaire").click()
    page.locator("#comments .live").filter(has_text="rien d’autre n’est envoyé").wait_for()
    assert not page.get_by_label("Me prévenir des réponses par e-mail").is_checked()
    (comment,), _ = services.store_for("journal").in_status("pending")
    subscriptions = ReplySubscriptions(services.redis, "journal", clock)
    assert subscriptions.threads(digest_of(READER)) == {"story-1": "fr"}
    assert reply_mail(services, live_server, controller, clock).send_due() == 1
    (confirmation,) = wait_for(inbox, 1)
    assert confirmation["To"] == READER
    assert confirmation["Subject"] == "Confirmez les avis de réponse"
    page.goto(link_in(confirmation, "confirm"))
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_role("status").filter(has_text="C’est confirmé").wait_for()
    assert subscriptions.address(digest_of(READER))["state"] == "confirmed"
    assert dialogs == [] and errors == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pages_behind_the_links_fit_and_speak_the_readers_language(
    browser, live_server, services, clock, width, lang
):
    subscriptions = ReplySubscriptions(services.redis, "default", clock)
    thread = "ministre-nord-coreen-moscou"
    subscriptions.ask(READER, thread, "01JB0000000000000000000000", lang)
    h = digest_of(READER)
    tokens = ReplyTokens("test-secret")
    asked = float(subscriptions.address(h)["asked_at"])
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    words = {"fr": ("Confirmer", "C’est confirmé", "Arrêter tous les e-mails de réponse",
                    "C’est fait"),
             "en": ("Confirm", "Confirmed", "Stop all reply e-mails", "Done")}[lang]  # fmt: skip

    page.goto(f"/notifications/confirm?token={tokens.confirmation('default', h, asked)}"
              f"&lang={lang}")  # fmt: skip
    assert page.locator("html").get_attribute("lang") == lang
    fits(page, width)
    focus_shows(page)
    shot(page, f"confirm-{lang}-{width}")
    page.get_by_role("button", name=words[0], exact=True).click()
    page.get_by_role("status").filter(has_text=words[1]).wait_for()
    fits(page, width)

    page.goto(f"/notifications/unsubscribe?token={tokens.unsubscription('default', h, thread)}"
              f"&lang={lang}")  # fmt: skip
    assert page.get_by_role("button").count() == 2
    fits(page, width)
    focus_shows(page)
    shot(page, f"unsubscribe-{lang}-{width}")
    page.get_by_role("button", name=words[2]).click()
    page.get_by_role("status").filter(has_text=words[3]).wait_for()
    fits(page, width)
    shot(page, f"unsubscribed-{lang}-{width}")
    assert subscriptions.address(h) == {}

    page.goto(f"/notifications/confirm?token=forged&lang={lang}")
    assert page.get_by_role("alert").is_visible()
    fits(page, width)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_forms_box_fits_and_is_reached_by_keyboard(browser, live_server, width):
    context = browser.new_context(base_url=live_server, locale="fr-FR",
                                  viewport={"width": width, "height": 900})  # fmt: skip
    page = context.new_page()
    page.goto("/articles/ministre-nord-coreen-moscou")
    box = page.get_by_label("Me prévenir des réponses par e-mail")
    page.locator("#captcha").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "notify"
    page.keyboard.press("Space")
    assert box.is_checked()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    fits(page, width)
    page.locator("#formulaire").scroll_into_view_if_needed()
    shot(page, f"form-box-{width}")
    context.close()
