"""Part 5 of issue 18, the reader's own view: a refusal in the widget looks
like an error, the page's banner after posting speaks in the form's
typography, and dates read « il y a 3 h » on the page and in the widget alike."""

import re

import pytest

from tests.arith import solve
from tests.browser import test_widget
from tests.browser.test_widget import approved, open_host
from tests.conftest import THREAD

pytestmark = pytest.mark.browser

host, registered = test_widget.host, test_widget.registered
ERROR_RED, OK_GREEN = "rgb(179, 38, 30)", "rgb(30, 107, 52)"


def test_the_site_not_allowed_message_is_an_error(browser, host, services):
    origin, _pages = host  # not registered
    services.sites.add("journal", ["https://elsewhere.example.org"])
    approved(services, "Ne doit pas s’afficher.")
    page, _dialogs, errors = open_host(browser, origin)
    live = page.locator("#comments .live")
    live.filter(has_text="pas autorisé").wait_for()
    assert live.evaluate("e => getComputedStyle(e).color") == ERROR_RED
    assert errors == []
    page.context.close()


def test_the_banner_after_posting_matches_the_form(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/articles/{THREAD}")
    question = page.locator("label[for=captcha]").inner_text()
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Un avis.")
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_role("button", name="Publier le commentaire").click()
    banner = page.locator(".flash-pending")
    form_font = page.locator(".comment-form").evaluate("e => getComputedStyle(e).fontFamily")
    assert banner.evaluate("e => getComputedStyle(e).fontFamily") == form_font
    assert banner.evaluate("e => getComputedStyle(e).color") == OK_GREEN
    context.close()


@pytest.mark.parametrize(("lang", "said"), [("fr", "il y a 3 h"), ("en", "3 hr. ago")])
def test_dates_are_relative_and_alike_on_the_page_and_in_the_widget(
    browser, registered, live_server, services, clock, lang, said
):
    origin, pages = registered
    pages["/story.html"] = pages["/story.html"].replace('lang="fr"', f'lang="{lang}"')
    clock.advance(-3 * 3600 - 120)
    approved(services, "Un avis d’il y a trois heures.")
    clock.advance(3 * 3600 + 119)
    page, _dialogs, errors = open_host(browser, origin)
    when = page.locator("#comments .c time")
    when.wait_for()
    widget_said = when.inner_text()
    assert widget_said.replace("\u00a0", " ") == said
    assert not re.search(r"\d:\d\d:\d\d", when.get_attribute("title"))  # no seconds
    context = browser.new_context(locale=lang)
    thread_page = context.new_page()
    thread_page.goto(f"{live_server}/sites/journal/threads/story-1?lang={lang}")
    shown = thread_page.locator(".comment time")
    assert shown.inner_text() == widget_said  # the same words, the same spaces
    assert shown.get_attribute("title") and shown.get_attribute("datetime")
    assert errors == []
    context.close()
    page.context.close()


def post_in_widget(page, body, remember):
    question = page.locator("#comments label[for=w-answer]")
    page.wait_for_function("() => document.getElementById('comments').shadowRoot"
                           ".querySelector('label[for=w-answer]').textContent.includes('=')")
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill(body)
    page.get_by_label("Se souvenir de moi").set_checked(remember)
    text = question.inner_text()
    page.get_by_label(text).fill(str(solve(text)))
    page.get_by_role("button", name="Publier le commentaire").click()
    page.locator("#comments .live").filter(has_text="en attente de modération").wait_for()


def test_the_widget_remembers_the_reader_only_when_asked(browser, registered, services):
    origin, _pages = registered
    page, _dialogs, errors = open_host(browser, origin)
    page.get_by_label("Nom").fill("Camille")  # typed, not sent, not ticked
    page.reload()
    assert page.get_by_label("Nom").input_value() == ""
    assert page.evaluate("localStorage.getItem('comments:me')") is None
    post_in_widget(page, "Premier avis.", remember=True)
    page.reload()
    page.get_by_label("Nom").wait_for()
    assert page.get_by_label("Nom").input_value() == "Camille"
    assert page.get_by_label("E-mail (jamais publié)").input_value() == "camille@example.org"
    assert page.get_by_label("Se souvenir de moi").is_checked()
    post_in_widget(page, "Second avis.", remember=False)
    assert page.evaluate("localStorage.getItem('comments:me')") is None
    page.reload()
    assert page.get_by_label("Nom").input_value() == ""
    assert errors == []
    page.context.close()


FORM_PLACE = """() => {
  const form = document.getElementById('comments').shadowRoot.querySelector('form.f');
  const item = form.closest('li.c');
  return item ? item.querySelector('.body').textContent : 'foot';
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_widgets_reply_box_opens_under_the_comment(browser, registered, services, width,
                                                        tmp_path):  # fmt: skip
    origin, _pages = registered
    approved(services, "Premier avis.")
    approved(services, "Second avis.")
    page, _dialogs, errors = open_host(browser, origin)
    page.set_viewport_size({"width": width, "height": 900})
    page.locator("#comments .c").nth(1).wait_for()
    assert page.evaluate(FORM_PLACE) == "foot"
    page.locator("#comments .c").nth(1).get_by_role("button", name="Répondre").click()
    assert page.evaluate(FORM_PLACE) == "Second avis."
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"widget-reply-{width}.png"), full_page=True)
    page.get_by_role("button", name="Annuler").click()
    assert page.evaluate(FORM_PLACE) == "foot"
    assert errors == []
    page.context.close()
