"""Every moderator page at a phone's and a desktop's width, in both languages:
nothing scrolls sideways, tap targets are big enough on the phone, the
navigation folds; the decision log reads in words."""

import pytest
from playwright.sync_api import expect

from moderation.audit import AuditLog
from tests.browser.test_queue_flow import (
    DESKTOP,
    PHONE,
    fill_queue,
    no_sideways_scroll,
    shots_dir,
    signed_in_page,
)

pytestmark = pytest.mark.browser

PAGES = ["/moderation/", "/moderation/audit", "/moderation/dashboard",
         "/moderation/?status=spam"]  # fmt: skip
SMALL = """() => [...document.querySelectorAll(
    'main a[href], main button, main select, main input:not([type=hidden]), main summary')]
  .filter(e => e.checkVisibility() && !e.closest('.visually-hidden, table, .comment-body, p'))
  .map(e => [e.closest('label') || e, e])
  .map(([t, e]) => [e.tagName + ' ' + (e.textContent || e.name).trim().slice(0, 30),
                    Math.round(t.getBoundingClientRect().width),
                    Math.round(t.getBoundingClientRect().height)])
  .filter(([, w, h]) => w < 44 || h < 44)"""


@pytest.fixture
def decided(services, clock):
    ids = fill_queue(services, clock)
    services.redis.hset(services.comments.keys.comment(ids[0]), "score", "0.123456")
    services.comments.decide(ids[0], "spam", "mod@example.org")
    services.comments.decide(ids[1], "approved", "mod@example.org", via="bulk")
    services.comments.decide(ids[1], "review", "mod@example.org", via="undo")
    AuditLog(services.redis).api_call("mod@example.org", "GET", "/api/v1/moderation/queue")
    return ids


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_every_page_fits(browser, live_server, services, decided, viewport, lang, tmp_path):
    page = signed_in_page(browser, live_server, services, viewport)
    if lang == "en":
        if viewport is PHONE:
            page.locator(".mod-menu summary").click()  # the chooser is in the folded menu
        page.get_by_label("Langue").select_option("en")
        with page.expect_navigation():
            page.get_by_role("button", name="Changer").click()
    for path in PAGES:
        page.goto(path)
        name = path.strip("/").replace("/", "-").replace("?status=", "-") or "queue"
        page.screenshot(path=str(shots_dir(tmp_path) / f"{name}-{lang}-{viewport['width']}.png"),
                        full_page=True)  # fmt: skip
        assert no_sideways_scroll(page), path
        if viewport is PHONE:
            small = page.evaluate(SMALL)
            assert small == [], (path, small)
            assert not page.locator(".mod-nav").is_visible()  # folded
    if viewport is PHONE:
        page.locator(".mod-menu summary").click()
        expect(page.locator(".mod-nav")).to_be_visible()
        assert no_sideways_scroll(page)


def test_the_decision_log_reads_in_words(browser, live_server, services, decided):
    page = signed_in_page(browser, live_server, services, DESKTOP)
    page.goto("/moderation/audit")
    assert no_sideways_scroll(page)
    rows = page.locator("table.log tbody tr")
    assert rows.count() == 3  # the API read is left out
    text = rows.first.inner_text()
    assert "annulation" in text and "Publiés → À relire" in text
    assert "Lecteur 1" in text and "Je ne suis pas d’accord" in text
    when = rows.first.locator("td.when")
    assert when.evaluate("e => e.getClientRects().length") == 1
    assert when.bounding_box()["height"] < 2 * 16 * 1.6  # one line
    assert "décision groupée" in rows.nth(1).inner_text()
    assert "0,12" in rows.nth(2).inner_text() and "0,123" not in rows.nth(2).inner_text()
    rows.first.get_by_role("link").click()
    page.wait_for_url(f"**comment={decided[1]}**")
    assert page.locator("table.log tbody tr").count() == 2
    page.goto("/moderation/audit?reads=1")
    assert page.locator("table.log tbody tr").count() == 4
    assert "GET /api/v1/moderation/queue" in page.locator("table.log").inner_text()
