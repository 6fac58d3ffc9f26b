"""An owner invites a moderator of one site through the team page; the
moderator signs up through the link and sees that site only. The team and
second-factor pages fit a phone and a desktop, in both languages."""

import os
import re
from pathlib import Path

import pytest

from moderation.validation import CommentInput

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages yourself


def sign_in(page, email, password=PASSWORD):
    page.goto("/moderation/login")
    page.locator("form.login input[name=email]").fill(email)
    page.locator("form.login input[name=password]").fill(password)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url("**/moderation/")


def no_sideways_scroll(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def test_an_invited_moderator_sees_only_their_site(browser, live_server, services, clock):
    services.sites.add("site-a", ["https://a.example.org"])
    services.sites.add("site-b", ["https://b.example.org"])
    for site in ("site-a", "site-b"):
        store = services.store_for(site)
        comment = store.save("story", CommentInput(author="Lecteur", email="l@example.org",
                                                   url="", body=f"Avis pour {site}"))  # fmt: skip
        store.set_status(comment.id, "review")
    services.accounts.add("owner@example.org", PASSWORD)
    owner = browser.new_context(base_url=live_server, locale="fr-FR")
    owner.set_default_timeout(10_000)
    page = owner.new_page()
    sign_in(page, "owner@example.org")
    page.get_by_role("link", name="Équipe").click()
    invite = page.locator("form[action$='/team/invite']")
    invite.get_by_label("Adresse e-mail").fill("new@example.org")
    invite.get_by_label("site-a").check()
    invite.get_by_role("button", name="Créer un lien d’inscription").click()
    flash = page.locator(".flash-done").inner_text()
    link = re.search(r"https?://\S+/moderation/join/[\w-]+", flash)[0]
    path = link[link.index("/moderation/join/"):]
    owner.close()

    newcomer = browser.new_context(base_url=live_server, locale="fr-FR")
    newcomer.set_default_timeout(10_000)
    page = newcomer.new_page()
    page.goto(path)
    assert "site-a" in page.locator("main").inner_text()
    page.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    page.get_by_label("Le même mot de passe, encore").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/moderation/")
    main = page.locator("main").inner_text()
    assert "Avis pour site-a" in main and "site-b" not in main
    assert "Équipe" not in page.locator("nav.mod-nav").inner_text()
    assert page.goto("/moderation/?site=site-b").status == 404
    newcomer.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_team_and_second_factor_pages_fit(browser, live_server, services, width, lang):
    services.sites.add("site-a", ["https://a.example.org"])
    services.accounts.add("owner@example.org", PASSWORD)
    services.accounts.add("a.very.long.address.for.a.moderator@newsroom.example.org", PASSWORD,
                          role="moderator", sites=["site-a", "default"])  # fmt: skip
    context = browser.new_context(base_url=live_server, locale=f"{lang}-FR",
                                  viewport={"width": width, "height": 900})  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "owner@example.org")
    page.goto("/moderation/team")
    page.locator("details:not(.mod-menu)").first.locator("summary").click()
    no_sideways_scroll(page, f"team-{lang}")
    page.goto("/moderation/2fa")
    assert page.locator(".qr svg").is_visible()
    no_sideways_scroll(page, f"two-factor-{lang}")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"
    context.close()
