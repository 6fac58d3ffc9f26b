"""The widget embedded in a page served from another origin (another port)."""


import pytest
from flask import request

from moderation.validation import CommentInput
from tests.arith import solve

pytestmark = pytest.mark.browser

HOST_CSS = """
p, li, label { color: rgb(255, 0, 0) !important; font-size: 40px !important; }
h2 { font-size: 11px; }
"""


def host_page(service: str, thread: str, lang: str = "fr", data_lang: str | None = None) -> str:
    chosen = f' data-lang="{data_lang}"' if data_lang else ""
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<style>{HOST_CSS}</style></head><body>
<h2 id="host-title">Un article du journal</h2><p id="host-text">Texte de l’article.</p>
<div id="comments"><a href="{service}/">Voir les commentaires</a></div>
<script src="{service}/embed.js" data-thread="{thread}"{chosen} async></script>
</body></html>"""


@pytest.fixture
def host(live_server, other_origin):
    """A news site of its own, on another port: another origin."""
    origin, pages = other_origin
    pages["/story.html"] = host_page(live_server, "story-1")
    return origin, pages


@pytest.fixture
def registered(host, services):
    origin, pages = host
    services.sites.add("journal", [origin])
    return origin, pages


QUESTION_READY = """() => {
  const root = document.getElementById('comments').shadowRoot;
  const label = root && root.querySelector('label[for=w-answer]');
  return label && label.textContent.includes('=');
}"""


def wait_for_question(page):
    page.wait_for_function(QUESTION_READY)
    return page.locator("#comments label[for=w-answer]").inner_text()


def approved(services, body, author="Abonné"):
    store = services.store_for("journal")
    store.clock.advance(1)  # ids sort by time: keep the order of creation
    data = CommentInput(author=author, email="a@example.org", url="https://blog.example.org",
                        body=body)  # fmt: skip
    comment = store.save("story-1", data)
    store.set_status(comment.id, "approved")
    return comment.id


def open_host(browser, origin, path="/story.html"):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(origin + path)
    return page, dialogs, errors


def test_the_widget_shows_approved_comments_as_text(browser, registered, services):
    origin, _pages = registered
    approved(services, "Premier avis publié.")
    approved(services, "<img src=x onerror=alert(1)> et <script>alert(2)</script>")
    page, dialogs, errors = open_host(browser, origin)
    comments = page.locator("#comments .c")
    comments.nth(1).wait_for()
    assert comments.count() == 2
    assert comments.nth(0).locator(".body").inner_text() == "Premier avis publié."
    assert "<img src=x onerror=alert(1)>" in comments.nth(1).inner_text()
    assert (
        page.evaluate(
            "document.getElementById('comments').shadowRoot.querySelectorAll('img, script').length"
        )
        == 0
    )
    author = comments.nth(0).locator(".meta a")
    assert author.get_attribute("rel") == "nofollow ugc noopener"
    page.wait_for_timeout(200)
    assert dialogs == [] and errors == []
    page.context.close()


def test_host_css_stays_out_and_widget_css_stays_in(browser, registered, services):
    origin, _pages = registered
    approved(services, "Un avis.")
    page, _dialogs, _errors = open_host(browser, origin)
    inner = page.locator("#comments .c .body p").first
    inner.wait_for()
    assert inner.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    assert inner.evaluate("e => getComputedStyle(e).fontSize") != "40px"
    assert page.locator("#host-text").evaluate("e => getComputedStyle(e).color") == "rgb(255, 0, 0)"
    assert page.locator("#host-title").evaluate("e => getComputedStyle(e).fontSize") == "11px"
    page.context.close()


def test_a_reader_posts_from_the_widget(browser, registered, services):
    origin, _pages = registered
    page, dialogs, errors = open_host(browser, origin)
    label = page.locator("#comments label[for=w-answer]")
    wait_for_question(page)
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Très juste, merci.")
    first_question = label.inner_text()
    page.get_by_label(first_question).fill(str(solve(first_question) + 1))
    page.get_by_role("button", name="Publier le commentaire").click()
    error = page.locator("#comments #w-answer-err")
    error.filter(has_text="incorrecte").wait_for()
    assert (
        page.get_by_label("Commentaire", exact=True).input_value() == "Très juste, merci."
    )  # text kept
    page.wait_for_function(  # a fresh question replaced the burnt one
        "old => document.getElementById('comments').shadowRoot"
        ".querySelector('label[for=w-answer]').textContent !== old",
        arg=first_question,
    )
    page.get_by_label(label.inner_text()).fill(str(solve(label.inner_text())))
    page.get_by_role("button", name="Publier le commentaire").click()
    page.locator("#comments .live").filter(
        has_text="Votre commentaire est en attente de modération"
    ).wait_for()
    page.locator("#comments .own").wait_for()
    store = services.store_for("journal")
    assert store.count("pending") == 1
    assert dialogs == [] and errors == []
    page.context.close()


def test_a_published_comment_shows_although_the_list_is_cached(browser, registered, services):
    """The list may be kept by the browser for CACHE_MAX_AGE seconds: when the
    widget learns that the reader's own comment is published, it revalidates
    the list rather than show the cached one, which lacks it."""
    origin, _pages = registered
    page, dialogs, errors = open_host(browser, origin)
    label = page.locator("#comments label[for=w-answer]")
    wait_for_question(page)  # the empty list is in the browser's cache now
    page.get_by_label("Nom").fill("Camille")
    page.get_by_label("E-mail (jamais publié)").fill("camille@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Publié depuis le widget.")
    page.get_by_label(label.inner_text()).fill(str(solve(label.inner_text())))
    page.get_by_role("button", name="Publier le commentaire").click()
    page.locator("#comments .own").wait_for()
    # A visit while it waits (the POST emptied the cache): the list without it is kept.
    page.goto(origin + "/story.html")
    page.locator("#comments .own").wait_for()
    page.locator("#comments li.none").wait_for()  # the published list: empty
    store = services.store_for("journal")
    store.set_status(store.in_status("pending")[0][0].id, "approved")
    page.goto(origin + "/story.html")  # a plain visit: cached subresources are used
    page.locator("#comments .live").filter(has_text="Votre commentaire a été publié").wait_for()
    published = page.locator("#comments .c:not(.own) .body")
    published.filter(has_text="Publié depuis le widget.").wait_for()
    assert page.locator("#comments .own").count() == 0
    assert dialogs == [] and errors == []
    page.context.close()


def test_keyboard_only_posting(browser, registered, services):
    origin, _pages = registered
    page, _dialogs, _errors = open_host(browser, origin)
    question = wait_for_question(page)
    page.get_by_label("Nom").focus()
    page.keyboard.type("Zoé")
    page.keyboard.press("Tab")
    page.keyboard.type("zoe@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Au clavier seulement.")
    page.keyboard.press("Tab")
    page.keyboard.type(str(solve(question)))
    page.keyboard.press("Enter")
    page.locator("#comments .live").filter(has_text="en attente de modération").wait_for()
    assert services.store_for("journal").count("pending") == 1
    page.context.close()


def test_an_unregistered_origin_gets_a_clear_error_and_no_comments(browser, host, services):
    origin, _pages = host  # not registered
    services.sites.add("journal", ["https://elsewhere.example.org"])
    approved(services, "Ne doit pas s’afficher.")
    page, _dialogs, _errors = open_host(browser, origin)
    page.locator("#comments .live").filter(has_text="pas autorisé").wait_for()
    assert page.locator("#comments .c").count() == 0
    page.context.close()


def test_the_embed_page_example_runs_under_our_policy(browser, live_server):
    page = browser.new_context().new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and violations.append(message.text))  # fmt: skip
    page.goto(live_server + "/embed")
    wait_for_question(page)
    assert (
        page.locator("#comments section.w").evaluate("e => getComputedStyle(e).maxWidth") == "672px"
    )  # the widget's own stylesheet applied (42rem)
    assert violations == []
    page.context.close()


def test_count_js_fills_the_counts_of_a_listing_page(browser, registered, live_server, services):
    origin, pages = registered
    approved(services, "Un.")
    approved(services, "Deux.")
    pages["/list.html"] = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"></head>
<body><ul>
<li>Story 1 — <span data-comments-count="story-1">…</span> commentaires</li>
<li>Story 1 again — <span data-comments-count="story-1">…</span></li>
<li>Story 2 — <span data-comments-count="story-2">…</span></li>
</ul><script src="{live_server}/count.js" async></script></body></html>"""
    page, dialogs, errors = open_host(browser, origin, "/list.html")
    page.wait_for_function(
        "document.querySelectorAll('[data-comments-count-loaded]').length === 3"
    )
    counts = page.eval_on_selector_all(
        "[data-comments-count]", "spans => spans.map(span => span.textContent)"
    )
    assert counts == ["2", "2", "0"]
    assert dialogs == [] and errors == []
    page.context.close()


def test_replies_nest_under_their_comment_and_a_reader_answers_one(
    browser, registered, services
):
    origin, _pages = registered
    question_id = approved(services, "Qui accompagnait la ministre ?", author="Léa")
    store = services.store_for("journal")
    store.clock.advance(1)
    answer = store.save("story-1", CommentInput("Bob", "b@example.org", "Son adjoint.", ""),
                        parent=question_id)  # fmt: skip
    store.set_status(answer.id, "approved")
    page, dialogs, errors = open_host(browser, origin)
    nested = page.locator("#comments .c .replies .c")
    nested.wait_for()
    assert nested.locator(".body").inner_text() == "Son adjoint."
    assert page.locator("#comments .w > .list > .c").count() == 1  # the reply is not top-level

    question = wait_for_question(page)
    page.get_by_role("button", name="Répondre").click()
    page.locator("#comments .to").filter(has_text="En réponse à Léa").wait_for()
    page.get_by_label("Nom").fill("Zoé")
    page.get_by_label("E-mail (jamais publié)").fill("zoe@example.org")
    page.get_by_label("Commentaire", exact=True).fill("Et son interprète.")
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_role("button", name="Publier le commentaire").click()
    page.locator("#comments .live").filter(has_text="en attente de modération").wait_for()
    (mine,) = store.in_status("pending")[0]
    assert mine.parent == question_id and mine.body == "Et son interprète."
    assert page.locator("#comments .to").is_hidden()
    assert dialogs == [] and errors == []
    page.context.close()


def test_an_english_host_page_gets_an_english_widget(
    app, browser, registered, live_server, services
):
    origin, pages = registered
    pages["/en.html"] = host_page(live_server, "story-1", lang="en-GB")  # no data-lang
    seen = []  # what reached the API: the widget asks in its language, GETs need no preflight

    @app.before_request
    def record():
        if request.path.startswith("/api/"):
            seen.append((request.method, request.path, request.headers.get("Accept-Language")))

    page, dialogs, errors = open_host(browser, origin, "/en.html")  # a French browser
    question = wait_for_question(page)
    box = page.locator("#comments section.w")
    assert box.get_attribute("lang") == "en" and box.get_attribute("aria-label") == "Comments"
    assert page.locator("#comments h2").inner_text() == "Comments"
    assert page.locator("#comments h3").inner_text() == "Leave a comment"
    assert page.locator("#comments .none").inner_text() == "No comments yet."
    assert page.locator("#comments .hint").inner_text() == "Answer the sum in digits."
    page.get_by_label("Name").fill("Sam")
    page.get_by_label("E-mail (never published)").fill("sam@example.org")
    page.get_by_label("Website (optional)").fill("")
    page.get_by_label("Comment", exact=True).fill("Spot on.")
    page.get_by_label(question).fill(str(solve(question) + 1))
    page.get_by_role("button", name="Post comment").click()
    wrong = "The answer to the sum is wrong. Please answer the new question."
    error = page.locator("#comments #w-answer-err")
    error.filter(has_text="wrong").wait_for()  # the server's message, in English
    page.wait_for_function(QUESTION_READY)
    page.wait_for_function(
        "old => document.getElementById('comments').shadowRoot"
        ".querySelector('label[for=w-answer]').textContent !== old", arg=question
    )  # fmt: skip
    assert error.inner_text() == wrong  # said once, not followed by the widget's own copy
    question = page.locator("#comments label[for=w-answer]").inner_text()
    page.get_by_label(question).fill(str(solve(question)))
    page.get_by_role("button", name="Post comment").click()
    live = page.locator("#comments .live")
    live.filter(has_text="Your comment is awaiting moderation.").wait_for()
    page.locator("#comments .note").filter(has_text="Your comment (awaiting moderation)").wait_for()
    assert services.store_for("journal").count("pending") == 1
    # The POST's preflight (for its JSON Content-Type) carries the browser's own language.
    asked = [(method, lang) for method, _path, lang in seen if method != "OPTIONS"]
    assert {"GET", "POST"} <= {method for method, _lang in asked}
    assert all(lang == "en" for _method, lang in asked)
    preflights = {path for method, path, _lang in seen if method == "OPTIONS"}
    assert preflights == {"/api/v1/threads/story-1/comments"}  # the GETs needed none
    assert dialogs == [] and errors == []
    page.context.close()


def test_data_lang_fr_wins_over_an_english_host_page(browser, registered, live_server, services):
    origin, pages = registered
    approved(services, "Premier avis publié.", author="Léa")
    pages["/en-fr.html"] = host_page(live_server, "story-1", lang="en", data_lang="fr")
    page, dialogs, errors = open_host(browser, origin, "/en-fr.html")
    wait_for_question(page)
    assert page.locator("#comments section.w").get_attribute("lang") == "fr"
    assert page.locator("#comments h2").inner_text() == "Commentaires"
    assert page.locator("#comments h3").inner_text() == "Laisser un commentaire"
    page.get_by_label("Nom").wait_for()
    page.get_by_label("E-mail (jamais publié)").wait_for()
    page.get_by_label("Site web (facultatif)").wait_for()
    page.get_by_label("Commentaire", exact=True).wait_for()
    page.get_by_role("button", name="Publier le commentaire").wait_for()
    page.get_by_role("button", name="Répondre").click()
    page.locator("#comments .to").filter(has_text="En réponse à Léa").wait_for()
    page.get_by_role("button", name="Annuler").wait_for()
    assert dialogs == [] and errors == []
    page.context.close()


def test_a_reader_locked_out_of_questions_is_told_why(
    app, browser, registered, live_server, redis_client
):
    from moderation.keys import SiteKeys
    from moderation.limits import client_key

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        who = client_key()
    redis_client.set(SiteKeys("journal").wrong_answers(who), 99, ex=600)  # too many wrong
    origin, pages = registered
    pages["/en.html"] = host_page(live_server, "story-1", lang="en")
    page, _dialogs, _errors = open_host(browser, origin, "/en.html")
    error = page.locator("#comments #w-answer-err")
    error.filter(has_text="Too many wrong answers").wait_for()
    assert error.inner_text() == "Too many wrong answers: try again later."
    page.context.close()


def test_an_unknown_language_falls_back_to_french(browser, registered, live_server):
    origin, pages = registered
    pages["/de.html"] = host_page(live_server, "story-1", lang="de")
    page, _dialogs, _errors = open_host(browser, origin, "/de.html")
    wait_for_question(page)
    assert page.locator("#comments section.w").get_attribute("lang") == "fr"
    assert page.locator("#comments h2").inner_text() == "Commentaires"
    page.context.close()


def test_the_embed_page_in_english(browser, live_server):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(live_server + "/embed")
    assert page.locator("h1").inner_text() == "Embed the comments on your site"
    wait_for_question(page)  # its live example speaks the page's language
    assert page.locator("#comments h2").inner_text() == "Comments"
    context.close()
