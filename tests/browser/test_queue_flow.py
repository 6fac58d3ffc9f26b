"""The moderator's queue in Chromium at a desktop's and a phone's width:
compact cards, decisions that keep the place, undo, selection, the help
dialog."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from moderation.validation import CommentInput

pytestmark = pytest.mark.browser

THREAD = "ministre-nord-coreen-moscou"
PASSWORD = "correct horse battery"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
BODIES = [
    "Merci pour cet article clair, j’ai appris beaucoup sur ce voyage.",
    "Je ne suis pas d’accord avec l’analyse du deuxième paragraphe.",
    "Quelqu’un sait si la visite était prévue depuis longtemps ?",
    "Très bon résumé, mais il manque le point de vue de Pékin.",
    "Encore une rencontre qui ne changera rien, à mon avis.",
    "La photo d’illustration date de l’an dernier, non ?",
]


def shots_dir(tmp_path: Path) -> Path:
    """Screenshots for a person to look at: $SCREENSHOTS_DIR when set, else the test's tmp."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fill_queue(services, clock, bodies=BODIES, status="review"):
    ids = []
    for number, body in enumerate(bodies):
        clock.advance(1)
        comment = services.comments.save(THREAD, CommentInput(
            author=f"Lecteur {number}", email=f"l{number}@example.org", url="", body=body))
        services.comments.set_status(comment.id, status)
        ids.append(comment.id)
    return ids


def signed_in_page(browser, live_server, services, viewport):
    services.accounts.add("mod@example.org", PASSWORD)
    context = browser.new_context(base_url=live_server, locale="fr-FR", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/moderation/login")
    page.get_by_label("Adresse e-mail").fill("mod@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/moderation/")
    return page


def focused_id(page):
    return page.evaluate("document.activeElement.dataset.id")


def wait_for_status(services, comment_id, status, deadline=30.0):
    """Poll the store until the decision sent by the page has landed."""
    end = time.monotonic() + deadline
    while services.comments.status(comment_id) != status and time.monotonic() < end:
        time.sleep(0.02)
    assert services.comments.status(comment_id) == status


WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def no_sideways_scroll(page):
    """True when nothing scrolls sideways; else fails naming what sticks out."""
    fits = page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert fits, page.evaluate(WIDER)[:8]
    return fits


def test_desktop_cards_are_compact_and_decisions_keep_the_place(
        browser, live_server, services, clock, tmp_path):  # fmt: skip
    ids = fill_queue(services, clock)
    page = signed_in_page(browser, live_server, services, DESKTOP)
    page.screenshot(path=str(shots_dir(tmp_path) / "queue-1280.png"), full_page=True)
    assert no_sideways_scroll(page)
    heights = page.eval_on_selector_all(".queue .item", "els => els.map(e => e.offsetHeight)")
    assert len(heights) == len(ids) and max(heights) <= 130, heights
    # Publish is green, Spam and Refuser red and apart from it.
    colours = page.eval_on_selector_all(f"#item-{ids[0]} .act", """els => els.map(
        b => getComputedStyle(b).backgroundColor + '|' + getComputedStyle(b).color)""")
    assert colours[0].startswith("rgb(30, 107, 52)") and "165, 14, 14" in colours[1]
    assert page.locator(f"#item-{ids[0]} .act-against .act-spam").count() == 1

    assert focused_id(page) == ids[0]
    page.keyboard.press("j")
    assert focused_id(page) == ids[1]
    page.keyboard.press("a")  # publish the second: the third takes the focus
    expect(page.locator(f"#item-{ids[2]}")).to_be_focused()
    expect_text(page, ".announce", "1 commentaire publié.")
    wait_for_status(services, ids[1], "approved")
    assert page.locator(".announce a.undo-link").inner_text() == "Annuler"

    page.keyboard.press("r")  # refuse the third, then undo: back at its place
    expect(page.locator(f"#item-{ids[3]}")).to_be_focused()
    wait_for_status(services, ids[2], "rejected")
    page.locator(".announce a.undo-link").click()
    expect(page.locator(f"#item-{ids[2]}")).to_be_focused()
    wait_for_status(services, ids[2], "review")
    shown = page.eval_on_selector_all(".queue .item:not(.decided)",
                                      "els => els.map(e => e.dataset.id)")  # fmt: skip
    assert shown == [ids[0], ids[2], ids[3], ids[4], ids[5]]
    assert page.locator('.tabs [aria-current="page"] .count').inner_text() == "5"

    # The second undo goes back one more decision: the publication.
    page.keyboard.press("u")
    expect(page.locator(f"#item-{ids[1]}")).to_be_focused()
    wait_for_status(services, ids[1], "review")

    # Select two with x, count shown, highlighted; shift+s files both as spam.
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("#picked").inner_text() == "2 sélectionnés"
    assert page.locator(f"#item-{ids[1]}").evaluate(
        "e => getComputedStyle(e).backgroundColor") == "rgb(232, 240, 254)"
    page.keyboard.press("Shift+S")
    wait_for_status(services, ids[1], "spam")
    wait_for_status(services, ids[2], "spam")
    expect_text(page, ".announce", "2 commentaires classés en spam.")
    page.locator("#pick-all").check()
    assert page.locator("#picked").inner_text() == "4 sélectionnés"

    # The bulk bar stays in view at the bottom of a long page.
    page.mouse.wheel(0, 3000)
    box = page.locator(".bulk").bounding_box()
    assert box is not None and 0 <= box["y"] < 800


def expect_text(page, selector, text):
    expect(page.locator(selector)).to_contain_text(text)


def test_no_action_that_changes_nothing(browser, live_server, services, clock):
    fill_queue(services, clock, BODIES[:2], status="spam")
    page = signed_in_page(browser, live_server, services, DESKTOP)
    page.goto("/moderation/?status=spam")
    assert page.locator(".item .act-spam").count() == 0
    assert page.locator(".bulk .act-spam").count() == 0
    assert page.locator(".item .act-approve").count() == 2


def test_undo_from_another_tab_returns_to_the_tab_and_place(browser, live_server, services, clock):
    ids = fill_queue(services, clock, BODIES[:4])
    page = signed_in_page(browser, live_server, services, DESKTOP)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("r")
    wait_for_status(services, ids[2], "rejected")
    page.goto("/moderation/?status=rejected")
    with page.expect_navigation(url="**/moderation/?status=review**"):
        page.keyboard.press("u")
    expect(page.locator(f"#item-{ids[2]}")).to_be_focused()
    order = page.eval_on_selector_all(".queue .item", "els => els.map(e => e.dataset.id)")
    assert order == ids  # back in « À relire », at its place
    assert page.locator('.tabs [aria-current="page"]').inner_text().startswith("À relire")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_help_is_a_modal_dialog_in_view(browser, live_server, services, clock, viewport,
                                            tmp_path):  # fmt: skip
    fill_queue(services, clock, BODIES[:3])
    page = signed_in_page(browser, live_server, services, viewport)
    assert no_sideways_scroll(page)
    page.keyboard.press("?")
    dialog = page.locator("dialog#shortcuts")
    assert dialog.is_visible()
    page.screenshot(path=str(shots_dir(tmp_path) / f"help-{viewport['width']}.png"))
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]
    assert box["y"] + box["height"] <= viewport["height"]
    for _ in range(3):  # focus stays inside
        page.keyboard.press("Tab")
        inside = "document.getElementById('shortcuts').contains(document.activeElement)"
        assert page.evaluate(inside)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()


def test_phone_queue_fits_and_its_buttons_are_big_enough(browser, live_server, services, clock,
                                                         tmp_path):  # fmt: skip
    ids = fill_queue(services, clock, BODIES[:3])
    page = signed_in_page(browser, live_server, services, PHONE)
    page.screenshot(path=str(shots_dir(tmp_path) / "queue-390.png"), full_page=True)
    assert no_sideways_scroll(page)
    sizes = page.eval_on_selector_all(
        f"#item-{ids[0]} .act, #item-{ids[0]} .pick",
        "els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes
    page.locator(f"#item-{ids[0]} .act-approve").click()
    wait_for_status(services, ids[0], "approved")
    expect(page.locator(f"#item-{ids[1]}")).to_be_focused()
