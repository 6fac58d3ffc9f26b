"""Moderator pages in French or English: the moderator's choice (kept in the
session and on the account), else Accept-Language, else DEFAULT_LANG (fr)."""

import re
from html import unescape

import pytest

from moderation.validation import CommentInput
from tests.moderation import test_admin

PASSWORD = "correct horse battery"
EMAIL = "mod@example.org"
THREAD = "ministre-nord-coreen-moscou"
EN = {"Accept-Language": "en"}
# Plain ASCII data, so any accent on an English page comes from the page itself.
DATA = CommentInput(author="Lea", email="lea@example.org", url="https://lea.example",
                    body="A comment to review")  # fmt: skip
FRENCH_MARKS = re.compile(r"[àâçéèêëîïôûùüÿœ«»]")  # ’ is English typography too


csrf = test_admin.csrf


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html)[1]


@pytest.fixture
def moderator(services):
    services.accounts.add(EMAIL, PASSWORD)
    return EMAIL


def sign_in(client, headers=None):
    return test_admin.sign_in(client, EMAIL, PASSWORD, headers=headers)


def choose(client, lang, page="/moderation/login", headers=None):
    html = client.get(page, headers=headers).get_data(as_text=True)
    return client.post("/moderation/language", headers=headers,
                       data={"csrf_token": csrf(html), "lang": lang, "next": page})  # fmt: skip


def review_items(services, clock, count=1):
    return test_admin.review_items(services, clock, count, data=DATA)


def text(response):
    return unescape(response.get_data(as_text=True))


def french_left(html, services):
    """Accented letters in what our templates write: the <main> element, less
    the article titles (data, in their own language) and the chooser's
    "Français" (each language is named in itself)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    for article in services.articles.all():
        main = main.replace(article.title, "")
    return FRENCH_MARKS.findall(main.replace("Français", ""))


def test_french_by_default(client, moderator):
    login = text(client.get("/moderation/login"))
    assert html_lang(login) == "fr" and "Connexion des modérateurs" in login
    assert sign_in(client).status_code == 303
    queue = text(client.get("/moderation/"))
    assert html_lang(queue) == "fr"
    assert "File de modération" in queue and "Se déconnecter" in queue
    assert '<option value="fr" lang="fr" selected>Français</option>' in queue


def test_english_pages_with_accept_language(client, moderator, services, clock):
    login = text(client.get("/moderation/login", headers=EN))
    assert html_lang(login) == "en"
    assert "Moderator sign-in" in login and "E-mail address" in login
    assert '<option value="en" lang="en" selected>English</option>' in login
    assert sign_in(client, headers=EN).status_code == 303
    (comment_id,) = review_items(services, clock)
    parent = services.comments.save(THREAD, DATA).id
    services.comments.set_status(parent, "approved")
    reply = services.comments.save(THREAD, CommentInput(
        author="Bob", email="bob@example.org", url="", body="Agreed"), parent=parent)  # fmt: skip
    services.comments.set_status(reply.id, "review")
    queue = text(client.get("/moderation/", headers=EN))
    assert html_lang(queue) == "en"
    expected = ("Moderation queue", "To review", "Oldest first", "Bulk actions", "Publish",
                "Keyboard shortcuts", "not scored yet", "Sign out",
                "In reply to <strong>Lea</strong>: “A comment to review”", "Language")  # fmt: skip
    for words in expected:
        assert words in queue, words
    # Every French word of the page went through the catalogs: none is left.
    assert french_left(queue, services) == []
    for page in ("/moderation/audit", "/moderation/dashboard", "/moderation/?status=spam"):
        html = text(client.get(page, headers=EN))
        assert html_lang(html) == "en"
        assert french_left(html, services) == [], page


def test_english_flashes_with_real_plurals(client, moderator, services, clock):
    sign_in(client, headers=EN)
    ids = review_items(services, clock, 2)
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    data = {"csrf_token": csrf(html), "status": "review", "bulk": "approve", "ids": ids}
    data.update({f"expected-{i}": "review" for i in ids})
    client.post("/moderation/decide", data=data, headers=EN)
    assert "2 comments published." in text(client.get("/moderation/", headers=EN))


def test_french_flashes_with_real_plurals(client, moderator, services, clock):
    sign_in(client)
    (comment_id,) = review_items(services, clock)
    html = client.get("/moderation/").get_data(as_text=True)
    client.post("/moderation/decide", data={
        "csrf_token": csrf(html), "status": "review", "action": f"{comment_id}:spam",
        f"expected-{comment_id}": "review",
    })  # fmt: skip
    assert "1 commentaire classé en spam." in text(client.get("/moderation/"))


def test_a_wrong_password_in_english(client, moderator):
    page = client.get("/moderation/login", headers=EN).get_data(as_text=True)
    response = client.post("/moderation/login", headers=EN, data={
        "csrf_token": csrf(page), "email": EMAIL, "password": "wrong password 1"})  # fmt: skip
    assert response.status_code == 401
    assert "Wrong address or password." in text(response)


def test_english_chosen_before_sign_in_follows_the_account(app, client, moderator, services):
    chosen = choose(client, "en")
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/moderation/login"
    assert html_lang(text(client.get("/moderation/login"))) == "en"
    assert sign_in(client).status_code == 303  # the session is renewed: English stays
    queue = text(client.get("/moderation/"))
    assert html_lang(queue) == "en" and "Moderation queue" in queue
    assert services.accounts.language(EMAIL) == "en"

    out = client.post("/moderation/logout", data={"csrf_token": csrf(queue)})
    assert out.status_code == 303
    login = text(client.get("/moderation/login"))
    assert "You are signed out." in login and html_lang(login) == "en"

    fresh = app.test_client()  # another browser, which asks for French
    assert sign_in(fresh, headers={"Accept-Language": "fr"}).status_code == 303
    queue = text(fresh.get("/moderation/", headers={"Accept-Language": "fr"}))
    assert html_lang(queue) == "en" and "Moderation queue" in queue


def test_the_accounts_language_wins_at_sign_in(client, moderator, services):
    services.accounts.set_language(EMAIL, "fr")
    choose(client, "en")
    sign_in(client)
    assert html_lang(text(client.get("/moderation/"))) == "fr"
    assert services.accounts.language(EMAIL) == "fr"


def test_choosing_in_the_nav_is_stored_on_the_account(client, moderator, services):
    sign_in(client)
    response = choose(client, "en", page="/moderation/audit?moderator=x%40example.org")
    assert response.status_code == 303
    assert response.headers["Location"] == "/moderation/audit?moderator=x%40example.org"
    assert services.accounts.language(EMAIL) == "en"
    audit = text(client.get("/moderation/audit"))
    assert html_lang(audit) == "en" and "Decision log" in audit
    choose(client, "fr", page="/moderation/audit")
    assert services.accounts.language(EMAIL) == "fr"
    assert "Journal des décisions" in text(client.get("/moderation/audit", headers=EN))


@pytest.mark.parametrize("lang", ["", "de", "EN", "fr-FR"])
def test_an_invalid_language_is_refused_naming_the_field(client, moderator, lang):
    response = choose(client, lang)
    assert response.status_code == 400
    assert "lang" in text(response)
    assert html_lang(text(client.get("/moderation/login", headers=EN))) == "en"  # nothing kept


def test_a_missing_language_is_refused_too(client):
    html = client.get("/moderation/login").get_data(as_text=True)
    response = client.post("/moderation/language", data={"csrf_token": csrf(html)})
    assert response.status_code == 400 and "lang" in text(response)


def test_the_chooser_needs_csrf(client, moderator):
    response = client.post("/moderation/language", data={"lang": "en"})
    assert response.status_code == 400
    assert html_lang(text(client.get("/moderation/login"))) == "fr"


ELSEWHERE = ["https://evil.example/moderation/", "//evil.example/x", "/articles/x",
             "/moderation\\..", "", "/moderation/\nx"]  # fmt: skip


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_chooser_only_goes_back_to_moderator_pages(client, moderator, target):
    sign_in(client)
    html = client.get("/moderation/").get_data(as_text=True)
    data = {"csrf_token": csrf(html), "lang": "en", "next": target}
    response = client.post("/moderation/language", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"


def test_the_chooser_is_on_the_sign_in_page_and_in_the_nav(client, moderator):
    login = text(client.get("/moderation/login"))
    assert 'action="/moderation/language"' in login
    assert '<input type="hidden" name="next" value="/moderation/login">' in login
    sign_in(client)
    nav = text(client.get("/moderation/")).split('<nav class="mod-nav"')[1].split("</nav>")[0]
    assert 'action="/moderation/language"' in nav and "Langue" in nav
    assert '<option value="en" lang="en">English</option>' in nav
