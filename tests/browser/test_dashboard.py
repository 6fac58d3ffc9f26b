"""The dashboard's model versions at a phone's and a desktop's width, in both
languages: nothing runs off the side of the page."""

import os
from pathlib import Path

import pytest

from moderation.models import ModelRegistry, packaged_model_bytes

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages yourself


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_model_versions_fit_the_page(browser, live_server, services, redis_client, width, lang):
    services.accounts.add("mod@example.org", PASSWORD)
    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    registry.publish(packaged_model_bytes(), {
        "refined": {"n": 40}, "bands": {"spam": 0.95, "likely_good": 0.05},
        "refusals": ["slice language=fr: F1 0.954 → 0.921 (n=271); legitimate comments "
                     "flagged at 0.5 rose from 5 to 9 (of 287)"]}, activate=False)  # fmt: skip
    context = browser.new_context(base_url=live_server, locale=f"{lang}-FR",
                                  viewport={"width": width, "height": 900})  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/moderation/login")
    page.locator("form.login input[name=email]").fill("mod@example.org")
    page.locator("form.login input[name=password]").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url("**/moderation/")
    page.goto("/moderation/dashboard")
    section = page.locator("#models")
    assert section.is_visible()
    rows = page.locator("table.models tbody tr")
    assert rows.count() == 2 and "v2" in rows.first.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        print(page.evaluate("""[...document.querySelectorAll('body *')].filter(e =>
            e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 12).map(e =>
            e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""))
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.locator("#models").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/dashboard-{lang}-{width}.png", full_page=True)
    context.close()
