"""A reader comments on an article in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.arith import solve
from tests.conftest import THREAD

pytestmark = pytest.mark.browser

ARTICLE = f"/articles/{THREAD}"
PENDING = "Votre commentaire est en attente de modération"
BODY = "Une analyse claire, merci.\nLa suite au prochain numéro ?"


def stored_comments(redis_client) -> list[dict[str, str]]:
    """Each stored comment's hash, with its id (which lives in the key)."""
    return [
        {**redis_client.hgetall(key), "id": key.rsplit(":", 1)[1]}
        for key in redis_client.scan_iter("comment:{default}:*")
    ]


def open_article(page) -> str:
    """Open the article and return the question the reader must answer."""
    response = page.goto(ARTICLE)
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", name="Laisser un commentaire")).to_be_visible()
    return question(page)


def question(page) -> str:
    label = page.locator("label[for=captcha]")
    expect(label).to_have_text(re.compile(r"^\s*\d+\s*[+\u2212\u00d7]\s*\d+\s*=\s*$"))
    return label.inner_text()


def fill_form(page, answer: int | str) -> None:
    page.get_by_label("Nom", exact=True).fill("Camille Martin")
    page.get_by_label("E-mail (jamais publié)", exact=True).fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill(BODY)
    page.locator("#captcha").fill(str(answer))


def test_reader_posts_a_comment_that_waits_for_moderation(
    reader_page, problems, services, redis_client
):
    page = reader_page
    asked = open_article(page)
    answer_input = page.get_by_label(asked.strip(), exact=True)
    expect(answer_input).to_have_attribute("id", "captcha")

    fill_form(page, solve(asked))
    page.get_by_role("button", name="Publier le commentaire").click()

    expect(page.get_by_role("status")).to_contain_text(PENDING)
    assert page.url.endswith(f"{ARTICLE}#commentaires")

    comments = stored_comments(redis_client)
    assert len(comments) == 1
    (comment,) = comments
    assert comment["status"] == "pending"
    assert comment["thread"] == THREAD
    assert comment["author"] == "Camille Martin"
    assert comment["email"] == "camille@example.org"
    assert comment["body"].replace("\r\n", "\n") == BODY
    assert services.comments.get(comment["id"]).status == "pending"
    assert services.queue.length() == 1
    # Not published: the page still has no comment list.
    expect(page.locator(".comment-list")).to_have_count(0)
    problems.assert_clean()


def test_wrong_answer_shows_the_form_again_with_the_text_kept(
    reader_page, problems, services, redis_client
):
    page = reader_page
    asked = open_article(page)
    first_token = page.locator("input[name=captcha_token]").input_value()
    assert first_token

    fill_form(page, solve(asked) + 1)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Publier le commentaire").click()
    assert navigation.value.status == 403

    expect(page.get_by_role("heading", name="Laisser un commentaire")).to_be_visible()
    expect(page.get_by_label("Commentaire", exact=True)).to_have_value(BODY)
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Camille Martin")
    expect(page.locator("#captcha-error")).to_contain_text("incorrecte")
    answer = page.locator("#captcha")
    expect(answer).to_have_attribute("aria-invalid", "true")
    expect(answer).to_have_attribute("aria-describedby", re.compile(r"\bcaptcha-error\b"))
    expect(answer).to_have_value("")
    expect(page.get_by_role("alert")).to_contain_text("n’a pas été envoyé")
    expect(page.get_by_role("status")).not_to_contain_text(PENDING)
    question(page)  # a new, well-formed question is shown
    second_token = page.locator("input[name=captcha_token]").input_value()
    assert second_token
    assert second_token != first_token

    assert stored_comments(redis_client) == []
    assert services.queue.length() == 0
    problems.assert_clean(allowed_document_statuses=frozenset({403}))


def test_keyboard_only_reader(reader_page, problems, services, redis_client):
    page = reader_page
    asked = open_article(page)
    page.get_by_label("Nom", exact=True).focus()

    def focused() -> dict[str, str]:
        return page.evaluate(
            "() => ({id: document.activeElement.id,"
            " tag: document.activeElement.tagName,"
            " type: document.activeElement.getAttribute('type') || '',"
            " text: document.activeElement.textContent.trim()})"
        )

    order = []
    typed = {
        "author": "Camille Martin",
        "email": "camille@example.org",
        "url": "",
        "body": "Écrit au clavier seulement.",
        "remember": "",  # « Se souvenir de moi » (issue 18), left unticked
        "captcha": str(solve(asked)),
        "notify": "",  # the reply e-mails' box, left unticked
    }
    for expected in ("author", "email", "url", "body", "remember", "captcha", "notify"):
        current = focused()
        order.append(current["id"])
        assert current["id"] == expected, order
        if typed[expected]:
            page.keyboard.type(typed[expected])
        page.keyboard.press("Tab")
    button = focused()
    assert button["tag"] == "BUTTON"
    assert button["type"] == "submit"
    assert button["text"] == "Publier le commentaire"

    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(PENDING)
    comments = stored_comments(redis_client)
    assert [comment["body"] for comment in comments] == ["Écrit au clavier seulement."]
    assert services.queue.length() == 1
    problems.assert_clean()
