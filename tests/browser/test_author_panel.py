"""A card's author panel at a phone's and a desktop's width: opened with « o »,
counts of the author's comments, and a block that sends their next comment
to spam through the real worker."""

import pytest
from playwright.sync_api import expect

from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.validation import CommentInput
from moderation.worker import Worker
from tests.browser.test_queue_flow import (
    DESKTOP,
    PHONE,
    THREAD,
    no_sideways_scroll,
    shots_dir,
    signed_in_page,
)

pytestmark = pytest.mark.browser
GOOD = "Merci pour cet article nuancé, la chronologie des rencontres est très utile."


def classify(services, clock):
    registry = ModelRegistry(services.redis, clock=clock)
    registry.ensure_default()
    Worker(services.redis, models=ModelCache(registry), policy=Policy(), name="w",
           clock=clock).run(burst=True)  # fmt: skip


def post(services, clock, email="lea@example.org", body=GOOD):
    clock.advance(60)
    return services.comments.save(THREAD, CommentInput(author="Léa", email=email, url="",
                                                       body=body), ip_hash="ip-one").id  # fmt: skip


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_author_panel_counts_and_block(browser, live_server, services, clock, viewport, tmp_path):
    earlier = [post(services, clock) for _ in range(3)]
    classify(services, clock)
    services.comments.decide(earlier[0], "approved", "mod@example.org")
    services.comments.decide(earlier[1], "spam", "mod@example.org")
    page = signed_in_page(browser, live_server, services, viewport)
    expect(page.locator(f"#item-{earlier[2]} .rule-new_author")).to_have_count(0)
    with page.expect_navigation():
        page.keyboard.press("o")
    assert "/moderation/author" in page.url
    page.screenshot(path=str(shots_dir(tmp_path) / f"author-{viewport['width']}.png"),
                    full_page=True)  # fmt: skip
    assert no_sideways_scroll(page)
    counts = page.locator(".author-history").first
    assert counts.locator('[data-status="approved"] strong').inner_text() == "1"
    assert counts.locator('[data-status="spam"] strong').inner_text() == "1"
    assert counts.locator('[data-status="review"] strong').inner_text() == "1"
    assert counts.locator(".last li").count() == 3
    page.get_by_label("Pour").select_option("7")
    page.get_by_role("button", name="Bloquer").click()
    expect(page.locator(".announce")).to_contain_text("L’auteur est bloqué")
    expect(page.locator(".mark-blocked")).to_contain_text("jusqu’au")

    blocked = post(services, clock)
    other = post(services, clock, email="bob@example.org")
    classify(services, clock)
    assert services.comments.get(blocked).status == "spam"
    assert services.comments.get(other).status == "review"
    page.goto("/moderation/audit")
    expect(page.locator("table.log tbody tr").first).to_contain_text("auteur bloqué")
