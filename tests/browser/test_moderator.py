"""A moderator signs in, approves a comment with the keyboard, and a reader
then sees it under the article."""

import pytest
from playwright.sync_api import expect

from moderation.validation import CommentInput

pytestmark = pytest.mark.browser

THREAD = "ministre-nord-coreen-moscou"
PASSWORD = "correct horse battery"


def test_moderator_approves_with_the_keyboard_and_the_reader_sees_it(
    browser, live_server, reader_page, problems, services, clock
):
    services.accounts.add("mod@example.org", PASSWORD)
    ids = []
    for body in ("Premier commentaire à relire.", "Second commentaire, à publier au clavier."):
        clock.advance(1)
        comment = services.comments.save(
            THREAD, CommentInput(author="Lecteur", email="l@example.org", url="", body=body)
        )
        services.comments.set_status(comment.id, "review")
        ids.append(comment.id)

    page = reader_page
    page.goto("/moderation/")
    assert "/moderation/login" in page.url
    page.get_by_label("Adresse e-mail").fill("mod@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/moderation/")
    assert page.locator(".tabs [aria-current=page] .count").inner_text() == "2"

    page.keyboard.press("j")  # from the first item to the second
    assert page.evaluate("document.activeElement.dataset.id") == ids[1]
    page.keyboard.press("a")  # one request, no reload: the page keeps its place
    expect(page.locator(".announce")).to_contain_text("1 commentaire publié.")
    assert services.comments.status(ids[1]) == "approved"
    assert services.comments.status(ids[0]) == "review"

    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    problems.assert_clean()

    reader = browser.new_context(base_url=live_server).new_page()
    reader.goto(f"/articles/{THREAD}")
    published = reader.locator(".comment-list .comment")
    assert published.count() == 1
    assert "Second commentaire, à publier au clavier." in published.inner_text()
    reader.context.close()


def test_moderator_switches_to_english_and_keeps_it(
    browser, live_server, reader_page, problems, services
):
    services.accounts.add("mod@example.org", PASSWORD)
    page = reader_page  # a French browser
    page.goto("/moderation/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Langue").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Changer").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("E-mail address").fill("mod@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/moderation/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moderation queue"
    page.keyboard.press("a")  # typing in no field: nothing to approve, nothing breaks
    problems.assert_clean()

    other = browser.new_context(base_url=live_server, locale="fr-FR").new_page()
    other.goto("/moderation/login")
    other.get_by_label("Adresse e-mail").fill("mod@example.org")
    other.get_by_label("Mot de passe").fill(PASSWORD)
    other.get_by_role("button", name="Se connecter").click()
    other.wait_for_url("**/moderation/")
    assert other.locator("html").get_attribute("lang") == "en"  # kept on the account
    other.context.close()
