"""The widget placed by a page's address (``data-url``) instead of a thread
id: the page shows the comments imported for it from another system."""

from pathlib import Path

import pytest

from moderation.imports import importer

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
REPORT = "https://source.example/reports/2020/annual-figures.pdf"


def page_for(service: str, url: str, lang: str) -> str:
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>News</h1><div id="comments"></div>
<script src="{service}/embed.js" data-url="{url}" async></script></body></html>"""


@pytest.fixture
def journal(live_server, services, other_origin):
    """A site of its own on another port, registered, with a Disqus export imported."""
    origin, pages = other_origin
    services.sites.add("journal", [origin])
    importer.run(services.redis, "disqus", str(DATA / "disqus-ids.xml"), "journal")
    for lang in ("fr", "en"):
        pages[f"/{lang}/news.html"] = page_for(
            live_server, "http://journal.example/news/index.html", lang)  # fmt: skip
        pages[f"/{lang}/unknown.html"] = page_for(live_server, "https://journal.example/x", lang)
    return origin


@pytest.mark.parametrize("width", [390, 1280])
def test_a_page_shows_its_imported_comments_by_address(browser, journal, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(journal + "/fr/news.html")
    comments = page.locator("#comments .c")
    comments.first.wait_for()
    assert comments.count() == 1  # Ann's; the deleted one stays hidden
    body = comments.first.locator(".body")
    assert body.inner_text() == "On the news. Read " + REPORT
    assert body.locator("a").get_attribute("href") == REPORT  # the kept target, a link again
    page.locator("#comments label[for=w-answer]").filter(has_text="=").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Tab")  # into the widget: the focused element shows an outline
    assert page.evaluate("""() => {
      const focused = document.getElementById('comments').shadowRoot.activeElement;
      return focused !== null && getComputedStyle(focused).outlineStyle !== 'none';
    }""")
    page.screenshot(path=str(tmp_path / f"by-url-{width}.png"), full_page=True)
    assert errors == []
    context.close()


@pytest.mark.parametrize(("lang", "message"), [
    ("fr", "Aucune discussion n’est connue pour cette page."),
    ("en", "No discussion is known for this page."),
])  # fmt: skip
def test_an_unknown_address_says_so_in_the_pages_language(browser, journal, lang, message):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{journal}/{lang}/unknown.html")
    page.locator("#comments .live").filter(has_text=message).wait_for()
    assert page.locator("#comments form").is_hidden()
    assert page.locator("#comments .c").count() == 0
    context.close()
