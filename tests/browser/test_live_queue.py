"""The live queue: a comment posted from another browser reaches the open
queue as a banner « 1 nouveau commentaire » (polling with an ETag: 304 while
nothing changes); a click inserts it."""

import pytest
from playwright.sync_api import expect

from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.worker import Worker
from tests.arith import solve
from tests.browser.test_queue_flow import BODIES, DESKTOP, fill_queue, signed_in_page

pytestmark = pytest.mark.browser
ARTICLE = "/articles/ministre-nord-coreen-moscou"


@pytest.fixture
def app(make_app):
    return make_app(QUEUE_POLL_SECONDS=1)


def test_a_comment_posted_elsewhere_appears_as_a_banner(browser, live_server, services, clock):
    ids = fill_queue(services, clock, BODIES[:2])
    page = signed_in_page(browser, live_server, services, DESKTOP)
    polls = []
    page.on("response", lambda r: "/moderation/queue/state" in r.url and polls.append(r.status))
    expect(page.locator(".queue .item")).to_have_count(2)
    page.wait_for_event("response", lambda r: "/moderation/queue/state" in r.url)
    page.wait_for_event("response", lambda r: "/moderation/queue/state" in r.url)
    assert 304 in polls  # an idle queue: nothing but a 304
    assert not page.locator("#live-banner").is_visible()

    clock.advance(60)  # the test clock stands still otherwise: a later comment, a later id
    reader = browser.new_context(base_url=live_server, locale="fr-FR").new_page()
    reader.goto(ARTICLE)
    question = reader.locator("label[for=captcha]").inner_text()
    reader.get_by_label("Nom", exact=True).fill("Camille")
    reader.get_by_label("E-mail (jamais publié)", exact=True).fill("camille@example.org")
    reader.get_by_label("Commentaire", exact=True).fill("Un avis nouveau sur cette visite.")
    reader.locator("#captcha").fill(str(solve(question)))
    reader.get_by_role("button", name="Publier le commentaire").click()
    expect(reader.get_by_role("status")).to_contain_text("modération")
    reader.context.close()
    registry = ModelRegistry(services.redis, clock=clock)
    registry.ensure_default()
    Worker(services.redis, models=ModelCache(registry), policy=Policy(), name="w",
           clock=clock).run(burst=True)  # fmt: skip

    banner = page.locator("#live-banner")
    expect(banner).to_have_text("1 nouveau commentaire")
    expect(page.locator('.tabs [data-tab="review"] .count')).to_have_text("3")
    banner.click()
    expect(page.locator(".queue .item")).to_have_count(3)
    assert page.locator(".queue .item").nth(2).inner_text().count("Un avis nouveau") == 1
    assert page.locator(".queue .item").first.get_attribute("data-id") == ids[0]
    expect(banner).to_be_hidden()
