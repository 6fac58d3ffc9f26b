import re
from html import unescape

import pytest

from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, form_state, post

PAGE = f"/articles/{THREAD}"
PENDING = "Votre commentaire est en attente de modération"


def stored(redis_client):
    return list(redis_client.scan_iter("comment:*"))


def text(response):
    return unescape(response.get_data(as_text=True))


def test_home_shows_the_newest_article_with_the_form(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="fr">' in html
    assert "Milos Schmidt" in html
    assert "Choe Son-hui" in html
    assert "Laisser un commentaire" in html
    question = form_state(response.get_data(as_text=True))["question"]
    assert re.fullmatch(r"\d{2} [+\u2212] \d{2} =", question)
    for label in ("Nom", "E-mail (jamais publié)", "Site web (facultatif)", "Commentaire"):
        assert f">{label}</label>" in html
    assert f'action="{PAGE}#formulaire"' in html


def test_article_page_and_unknown_article(client):
    assert client.get(PAGE).status_code == 200
    response = client.get("/articles/nothing-like-this")
    assert response.status_code == 404
    assert "n’existe pas" in text(response)


def test_a_right_answer_stores_the_comment_and_redirects(client, services, redis_client):
    page = client.get(PAGE).get_data(as_text=True)
    response = client.post(PAGE, data=form_data(page, body="Très bon papier."))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}#commentaires")
    keys = stored(redis_client)
    assert len(keys) == 1
    comment = services.comments.get(keys[0].rsplit(":", 1)[1])
    assert (comment.status, comment.body, comment.thread) == ("pending", "Très bon papier.", THREAD)
    assert services.queue.length() == 1
    shown = text(client.get(PAGE))
    assert PENDING in shown
    # Pending comments are not published; only their author's browser lists its own.
    public = re.sub(r'<section class="own".*?</section>', "", shown, flags=re.S)
    assert "Très bon papier." in shown and "Très bon papier." not in public
    assert PENDING not in text(client.get(PAGE))  # the message shows once


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda data: data.update(captcha=str(int(data["captcha"]) + 1)), "incorrecte"),
        (lambda data: data.update(captcha="deux"), "incorrecte"),
        (lambda data: data.update(captcha_token="A" * 32), "expiré"),
    ],
)
def test_a_failed_check_keeps_the_text_and_asks_a_new_question(
    client, redis_client, tamper, message
):
    page = client.get(PAGE).get_data(as_text=True)
    data = form_data(page, author="Ana <b>", body="Mon texte\navec deux lignes & <i>")
    tamper(data)
    response = client.post(PAGE, data=data)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert message in unescape(html)
    assert "Mon texte\navec deux lignes &amp; &lt;i&gt;</textarea>" in html
    assert 'value="Ana &lt;b&gt;"' in html
    assert 'aria-invalid="true"' in html
    again = form_state(html)
    assert again["captcha_token"] != data["captcha_token"]
    assert re.search(r'<input[^>]*name="captcha"[^>]*value=""', html)
    assert stored(redis_client) == []


def test_a_reused_answer_is_refused(client, redis_client):
    page = client.get(PAGE).get_data(as_text=True)
    data = form_data(page)
    assert client.post(PAGE, data=data).status_code == 303
    response = client.post(PAGE, data=data)
    assert response.status_code == 403
    assert "déjà servi" in text(response)
    assert len(stored(redis_client)) == 1


def test_an_expired_question_is_refused(client, clock, redis_client):
    data = form_data(client.get(PAGE).get_data(as_text=True))
    clock.advance(601)
    response = client.post(PAGE, data=data)
    assert response.status_code == 403
    assert "expiré" in text(response)
    assert stored(redis_client) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"author": ""}, "Indiquez votre nom."),
        ({"email": "pas-une-adresse"}, "L’adresse e-mail n’est pas valide."),
        ({"url": "javascript:alert(1)"}, "doit commencer par http:// ou https://"),
        ({"body": "   "}, "Écrivez votre commentaire."),
        ({"body": "x" * 5001}, "ne doit pas dépasser 5000 caractères"),
    ],
)
def test_input_errors_name_the_field_and_keep_the_answer_unspent(
    client, redis_client, fields, message
):
    page = client.get(PAGE).get_data(as_text=True)
    data = form_data(page, **fields)
    response = client.post(PAGE, data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert stored(redis_client) == []
    # The CAPTCHA was not checked, so the reader's answer was not burnt.
    data.update(author="Camille", email="camille@example.org", url="", body="Corrigé")
    assert client.post(PAGE, data=data).status_code == 303


def test_missing_csrf_token_keeps_the_text(client, redis_client):
    data = form_data(client.get(PAGE).get_data(as_text=True), body="Texte conservé")
    del data["csrf_token"]
    response = client.post(PAGE, data=data)
    assert response.status_code == 400
    html = text(response)
    assert "session a expiré" in html
    assert "Texte conservé</textarea>" in html
    assert stored(redis_client) == []


def test_approved_comments_show_oldest_first_escaped_without_email(client, services, clock):
    ids = []
    for body in ("Premier <script>alert(1)</script>", "Second, voir https://example.org/a."):
        clock.advance(60)
        payload = comment_payload(client, body=body, author="Zoé", url="https://zoe.example")
        ids.append(post(client, payload).get_json()["id"])
    for comment_id in reversed(ids):
        services.comments.set_status(comment_id, "approved")
    html = client.get(PAGE).get_data(as_text=True)
    assert html.index(f'id="c-{ids[0]}"') < html.index(f'id="c-{ids[1]}"')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert '<a href="https://example.org/a" rel="nofollow ugc noopener">' in html
    assert '<a href="https://zoe.example" rel="nofollow ugc noopener">Zoé</a>' in html
    assert "camille@example.org" not in html
    assert "Commentaires (2)" in html
    assert re.search(r"<time datetime=\"[^\"]+\">\d{1,2} \w+ \d{4} à \d{1,2} h \d{2}</time>", html)


def test_pages_use_no_inline_script(client):
    html = client.get(PAGE).get_data(as_text=True)
    assert "<script" not in html
    assert " on" not in re.sub(r">[^<]*<", "><", html).lower().replace(" one", "")
