"""An author edits then deletes their comment in the widget (Chromium, another
origin), and on the article page without JavaScript, at a phone's and a
desktop's width."""

import pytest

from tests.arith import solve
from tests.browser import test_widget
from tests.browser.test_widget import open_host, wait_for_question
from tests.conftest import THREAD

pytestmark = pytest.mark.browser

# The widget's fixtures: a host page on another origin, registered as "journal".
host, registered = test_widget.host, test_widget.registered


def shadow_text(page, selector):
    return page.evaluate(
        f"[...document.getElementById('comments').shadowRoot.querySelectorAll('{selector}')]"
        ".map(node => node.textContent).join(' ')"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_widget_edits_and_deletes_ones_comment(browser, registered, services, width,
                                                    tmp_path):  # fmt: skip
    origin, _pages = registered
    page, dialogs, errors = open_host(browser, origin)
    page.set_viewport_size({"width": width, "height": 900})
    question = wait_for_question(page)
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Premier jet.")
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_role("button", name="Publier le commentaire").click()
    own = page.locator("#comments .mine .own")
    own.get_by_role("button", name="Modifier").click()
    area = own.locator("textarea")
    assert area.input_value() == "Premier jet."
    area.fill("Second jet, relu.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"widget-edit-{width}.png"), full_page=True)
    own.get_by_role("button", name="Enregistrer les modifications").click()
    page.locator("#comments .live").filter(has_text="de nouveau en attente").wait_for()
    page.locator("#comments .mine .own .body").filter(has_text="Second jet, relu.").wait_for()
    (comment,) = services.store_for("journal").in_status("pending")[0]
    assert comment.body == "Second jet, relu."
    page.locator("#comments .mine .own").get_by_role("button", name="Supprimer").click()
    page.locator("#comments .live").filter(has_text="Votre commentaire a été supprimé.").wait_for()
    assert services.store_for("journal").get(comment.id).status == "rejected"
    page.wait_for_function("() => !document.getElementById('comments').shadowRoot"
                           ".querySelector('.mine .own')")
    assert dialogs == [] and errors == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_without_javascript(browser, live_server, services, width, tmp_path):
    context = browser.new_context(base_url=live_server, locale="fr-FR", java_script_enabled=False,
                                  viewport={"width": width, "height": 900})  # fmt: skip
    page = context.new_page()
    page.goto(f"/articles/{THREAD}")
    question = page.locator("label[for=captcha]").inner_text()
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Premier jet.")
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_role("button", name="Publier le commentaire").click()
    mine = page.locator(".own")
    assert "Premier jet." in mine.inner_text() and "en attente de modération" in mine.inner_text()
    mine.get_by_role("link", name="modifier ou supprimer").click()
    page.get_by_label("Commentaire").fill("Second jet.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"page-edit-{width}.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    assert "de nouveau en attente" in page.locator(".announce").inner_text()
    assert "Second jet." in page.locator(".own").inner_text()
    page.locator(".own").get_by_role("link", name="modifier ou supprimer").click()
    page.get_by_role("button", name="Supprimer le commentaire").click()
    assert "Votre commentaire a été supprimé." in page.locator(".announce").inner_text()
    assert page.locator(".own").count() == 0
    context.close()
