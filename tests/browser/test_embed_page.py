"""/embed and a site's page without JavaScript in Chromium (issue 18, part 6):
the filled-in code wraps inside the column at 390 px and copies with one
button; the widget takes the host page's font unless --comments-font says
otherwise; data-title and the embedding page reach the no-JavaScript page."""

import os
from pathlib import Path

import pytest

from tests.browser.test_widget import host, open_host, registered, wait_for_question  # noqa: F401

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages yourself


def fits(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_snippet_wraps_and_copies(browser, live_server, services, width, lang):
    services.sites.add("un-journal-au-nom-assez-long", ["https://www.journal.example"])
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/embed?lang={lang}")
    page.locator("#site").fill("un-journal-au-nom-assez-long")
    page.locator("#thread").fill("2024-11-04-la-ministre-nord-coreenne-en-visite-a-moscou")
    page.locator("#thread").press("Enter")
    page.wait_for_url("**thread=2024-11-04*")
    code = page.locator("#snippet-code")
    assert 'data-thread="2024-11-04-la-ministre' in code.inner_text()
    fits(page, width)
    copy = page.locator("[data-copy=snippet-code]")
    copy.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    copy.click()
    page.locator(".copy [role=status]").filter(has_text="Copi").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code.inner_text()
    wait_for_question(page)  # the live example runs
    fits(page, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/embed-{lang}-{width}.png", full_page=True)
    context.close()


def test_the_widget_takes_the_pages_font_unless_told(browser, registered, live_server):  # noqa: F811
    origin, pages = registered
    pages["/font.html"] = (f'<!doctype html><html lang="fr"><body style="font-family: monospace">'
                           f'<div id="comments"></div><script src="{live_server}/embed.js" '
                           f'data-thread="story-1" async></script></body></html>')  # fmt: skip
    page, _dialogs, errors = open_host(browser, origin, "/font.html")
    wait_for_question(page)
    family = "document.getElementById('comments').shadowRoot.querySelector('h2')"
    assert page.evaluate(f"getComputedStyle({family}).fontFamily") == "monospace"
    page.evaluate("document.getElementById('comments').style.setProperty("
                  "'--comments-font', 'Georgia, serif')")  # fmt: skip
    assert page.evaluate(f"getComputedStyle({family}).fontFamily") == "Georgia, serif"
    assert errors == []
    page.context.close()


def test_the_title_and_page_reach_the_page_without_javascript(browser, registered, live_server):  # noqa: F811
    origin, pages = registered
    pages["/titled.html"] = (f'<!doctype html><html lang="fr"><body><div id="comments"></div>'
                             f'<script src="{live_server}/embed.js" data-thread="story-1" '
                             f'data-title="La ministre à Moscou" async></script></body></html>')
    page, _dialogs, errors = open_host(browser, origin, "/titled.html")
    wait_for_question(page)
    page.goto(f"{live_server}/sites/journal/threads/story-1")
    assert page.locator("h1").inner_text() == "La ministre à Moscou"
    assert page.locator(".masthead").count() == 0
    back = page.get_by_role("link", name="← Retour à l’article")
    assert back.get_attribute("href") == f"{origin}/titled.html"
    back.click()
    page.wait_for_url(f"{origin}/titled.html")
    assert errors == []
    page.context.close()
