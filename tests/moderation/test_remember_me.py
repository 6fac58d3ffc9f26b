"""« Se souvenir de moi » on the form without JavaScript: opt-in, a signed
cookie; unticked, nothing is kept (the widget's side is in tests/browser)."""

import re
from html import unescape

from tests.conftest import THREAD
from tests.moderation.reader import form_data

PAGE = f"/articles/{THREAD}"


def value(html, name):
    """The value an input of the form shows ('' for none)."""
    tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', html)[0]
    found = re.search(r'\bvalue="([^"]*)"', tag)
    return unescape(found[1]) if found else ""


def send(client, **fields):
    data = form_data(client.get(PAGE).get_data(as_text=True), **fields)
    response = client.post(PAGE, data=data)
    assert response.status_code == 303
    return response


def test_ticked_the_next_form_is_filled_and_unticked_it_is_forgotten(client):
    send(client, author="Camille", email="camille@example.org", url="https://camille.example",
         remember="y")  # fmt: skip
    page = client.get(PAGE).get_data(as_text=True)
    assert value(page, "author") == "Camille" and value(page, "email") == "camille@example.org"
    assert value(page, "url") == "https://camille.example"
    assert re.search(r'<input checked[^>]*id="remember"|<input[^>]*id="remember"[^>]*checked', page)
    assert "Se souvenir de moi" in page
    send(client, author="Camille", email="camille@example.org")  # unticked
    page = client.get(PAGE).get_data(as_text=True)
    assert value(page, "author") == "" and value(page, "email") == ""
    assert client.get_cookie("remember_me") is None


def test_nothing_is_kept_without_the_box(client):
    send(client, author="Camille")
    assert client.get_cookie("remember_me") is None
    assert value(client.get(PAGE).get_data(as_text=True), "author") == ""


def test_a_forged_cookie_fills_nothing(client):
    client.set_cookie("remember_me", "eyJhdXRob3IiOiJYIn0.forged")
    assert value(client.get(PAGE).get_data(as_text=True), "author") == ""
