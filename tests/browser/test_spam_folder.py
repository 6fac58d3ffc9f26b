"""« Vider le spam » in Chromium: all of it after a confirmation, then the
count and the decision-log entry."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_queue_flow import BODIES, DESKTOP, fill_queue, signed_in_page

pytestmark = pytest.mark.browser


def test_the_spam_folder_empties_with_its_audit_entry(browser, live_server, services, clock):
    ids = fill_queue(services, clock, BODIES[:3], status="spam")
    page = signed_in_page(browser, live_server, services, DESKTOP)
    page.goto("/moderation/?status=spam")
    page.get_by_label("Spam classé il y a plus de").fill("0")
    page.get_by_role("button", name="Vider le spam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vider le spam")
    expect(page.locator("main")).to_contain_text("les 3 commentaires indésirables")
    assert all(services.comments.get(i) for i in ids)  # nothing deleted before the confirmation
    page.get_by_role("button", name="Tout supprimer").click()
    expect(page.locator(".announce")).to_contain_text("3 commentaires indésirables supprimés.")
    assert services.comments.count("spam") == 0
    page.goto("/moderation/audit")
    expect(page.locator("table.log tbody tr").first).to_contain_text("dossier spam vidé (3)")
