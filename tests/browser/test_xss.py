"""Hostile comment text, approved and shown everywhere a comment is shown
(article page, widget, moderator queue): nothing executes, nothing is injected."""

from pathlib import Path

import pytest

from moderation.sites import DEMO_THREAD
from moderation.validation import CommentInput

pytestmark = pytest.mark.browser

VECTORS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss_vectors.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
THREAD = "ministre-nord-coreen-moscou"
PASSWORD = "correct horse battery"

# Inside a rendered comment and its byline only our own elements may appear:
# text, <p>, <br>, <time>, <strong>, <span>, http(s) and same-site links; no on* attributes.
INJECTED = """root => {
  const bad = [];
  for (const body of root.querySelectorAll(BODY)) {
    for (const el of body.querySelectorAll('*')) {
      const ok = ['P', 'BR', 'A', 'TIME', 'STRONG', 'SPAN'].includes(el.tagName)
        && (el.tagName !== 'A'
            || /^(https?:\\/\\/|\\/(?!\\/))/i.test(el.getAttribute('href') || ''))
        && ![...el.attributes].some(a => a.name.toLowerCase().startsWith('on'));
      if (!ok) bad.push(el.outerHTML.slice(0, 120));
    }
  }
  return bad;
}"""


def publish_vectors(services, clock, thread=THREAD):
    assert len(VECTORS) >= 50
    for vector in VECTORS:
        clock.advance(1)
        comment = services.comments.save(
            thread, CommentInput(author=vector[:80].strip() or "x", email="x@example.org",
                                 url="https://example.org", body=vector),
        )  # fmt: skip
        services.comments.set_status(comment.id, "approved")
    return VECTORS


@pytest.fixture
def hostile(services, clock):
    return publish_vectors(services, clock)


def watch(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def injected(page, root_js, body_selector):
    script = INJECTED.replace("BODY", repr(body_selector))
    return page.evaluate(f"(() => {{ const root = {root_js}; return ({script})(root); }})()")


@pytest.mark.parametrize("field", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_hostile_websites_are_refused(client, field):
    from tests.moderation.reader import comment_payload, post

    response = post(client, comment_payload(client, url=field))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "url"


def test_article_page(browser, live_server, hostile):
    page = browser.new_context().new_page()
    dialogs = watch(page)
    page.goto(f"{live_server}/articles/{THREAD}")
    assert page.locator(".comment-list .comment").count() == len(hostile)
    assert injected(page, "document", ".comment-body, .comment-author") == []
    assert page.evaluate("document.querySelectorAll('script, iframe, object, embed').length") == 0
    bodies = page.locator(".comment-body").all_inner_texts()
    assert "<script>alert(1)</script>" in bodies
    page.wait_for_timeout(300)
    assert dialogs == []
    page.context.close()


def test_widget(browser, live_server, services, clock):
    hostile = publish_vectors(services, clock, DEMO_THREAD)  # /embed's live example
    page = browser.new_context().new_page()
    dialogs = watch(page)
    page.goto(f"{live_server}/embed")
    page.locator("#comments .c").nth(len(hostile) - 1).wait_for()
    root = "document.getElementById('comments').shadowRoot"
    assert injected(page, root, ".c .body, .c .meta") == []
    assert page.evaluate(f"{root}.querySelectorAll('script, img, svg, iframe').length") == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    page.context.close()


def test_moderator_queue(browser, live_server, hostile, services):
    services.accounts.add("mod@example.org", PASSWORD)
    page = browser.new_context(locale="fr-FR").new_page()  # the labels below are French
    dialogs = watch(page)
    page.goto(f"{live_server}/moderation/login")
    page.get_by_label("Adresse e-mail").fill("mod@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/moderation/")
    page.goto(f"{live_server}/moderation/?status=approved")
    seen = 0
    while True:
        seen += page.locator(".queue .item").count()
        assert injected(page, "document", ".item .comment-body, .item .meta") == []
        scripts = page.evaluate("[...document.scripts].map(s => new URL(s.src || 'x:', "
                                "location.href).pathname)")  # fmt: skip
        assert sorted(scripts) == ["/static/moderation.js", "/static/nav.js"]  # ours only
        following = page.locator("a[rel=next]")
        if not following.count():
            break
        following.click()
    assert seen == len(hostile)
    page.wait_for_timeout(300)
    assert dialogs == []
    page.context.close()
