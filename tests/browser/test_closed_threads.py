"""Closed threads as a reader sees them: the widget in Chromium (another
origin) and the article page without JavaScript, at a phone's and a desktop's
width."""

import pytest

from tests.browser import test_widget
from tests.browser.test_widget import QUESTION_READY, approved, open_host
from tests.conftest import THREAD

# The widget's fixtures: a host page on another origin, registered as "journal".
host, registered = test_widget.host, test_widget.registered

pytestmark = pytest.mark.browser

CLOSED_SHOWN = """() => {
  const root = document.getElementById('comments').shadowRoot;
  const note = root && root.querySelector('.closed');
  return note && !note.hidden && root.querySelector('form').hidden;
}"""


def shadow(page, selector):
    return page.evaluate(
        f"[...document.getElementById('comments').shadowRoot.querySelectorAll('{selector}')]"
        ".map(node => node.textContent)"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_widget_shows_the_comments_and_says_the_thread_is_closed(
    browser, registered, services, width, tmp_path
):
    origin, _pages = registered
    approved(services, "Un avis d’avant la clôture.")
    services.closed_threads.set_closed("journal", "story-1", True, "mod@example.org", "api")
    page, dialogs, errors = open_host(browser, origin)
    page.set_viewport_size({"width": width, "height": 800})
    page.wait_for_function(CLOSED_SHOWN)
    assert shadow(page, ".closed") == ["Les commentaires sont fermés."]
    assert shadow(page, ".c .body") == ["Un avis d’avant la clôture."]
    assert shadow(page, "button.reply") == ["Signaler"]  # no « Répondre », still « Signaler »
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"widget-closed-{width}.png"), full_page=True)
    assert dialogs == [] and errors == []
    page.context.close()


def test_a_thread_closed_while_the_reader_writes_refuses_the_post(browser, registered, services):
    origin, _pages = registered
    page, _dialogs, errors = open_host(browser, origin)
    page.wait_for_function(QUESTION_READY)
    services.closed_threads.set_closed("journal", "story-1", True, "mod@example.org", "api")
    page.fill("#comments #w-author", "Camille")
    page.fill("#comments #w-email", "camille@example.org")
    page.fill("#comments #w-body", "Trop tard ?")
    page.fill("#comments #w-answer", "1")
    page.click("#comments button[type=submit]")
    page.wait_for_function(CLOSED_SHOWN)
    assert "Les commentaires sont fermés." in shadow(page, ".live")[0]
    assert services.store_for("journal").count("pending") == 0
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_article_page_without_javascript(browser, live_server, services, clock, width,
                                             tmp_path):  # fmt: skip
    from moderation.validation import CommentInput

    comment = services.comments.save(THREAD, CommentInput("Léa", "l@example.org", "Publié.", ""))
    services.comments.set_status(comment.id, "approved")
    services.closed_threads.set_closed("default", THREAD, True, "mod@example.org", "page")
    context = browser.new_context(base_url=live_server, locale="fr-FR", java_script_enabled=False,
                                  viewport={"width": width, "height": 900})  # fmt: skip
    page = context.new_page()
    response = page.goto(f"/articles/{THREAD}")
    assert response.status == 200
    section = page.locator("#commentaires")
    assert section.locator(".comments-closed").inner_text() == "Les commentaires sont fermés."
    assert section.locator("form").count() == 0 and section.locator(".reply-link").count() == 0
    assert "Publié." in section.locator(".comment-body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".comments-closed").screenshot(path=str(tmp_path / f"page-closed-{width}.png"))
    context.close()
