"""The site owner's side (issue 18, part 6): /embed fills in the snippet,
lists every CSS property with its default and runs its example on a
demonstration thread; a site's page without JavaScript is neutral, titled
and links back to the page that embeds it."""

import re
from html import unescape

from moderation.sites import DEMO_THREAD
from moderation.store import CommentStore
from tests.moderation.reader import comment_payload, post

ORIGIN = "https://www.journal.example"


def test_the_snippet_is_filled_in_for_a_registered_site(client, services):
    services.sites.add("journal", [ORIGIN])
    html = client.get("/embed?site=journal&thread=story-1&lang=en").get_data(as_text=True)
    code = unescape(re.search(r'<code id="snippet-code">(.*?)</code>', html, re.S)[1])
    assert 'data-thread="story-1"' in code and 'data-lang="en"' in code
    assert "/sites/journal/threads/story-1" in code
    assert 'data-copy="snippet-code"' in html  # the copy button (shown by snippet.js)
    assert '<option value="journal">' in html
    unknown = client.get("/embed?site=nowhere&thread=x y").get_data(as_text=True)
    assert "Ce site n’est pas enregistré" in unknown
    assert "Identifiant de discussion invalide." in unknown
    assert 'data-thread="identifiant-de-l-article"' in unknown  # the example, not the bad input


def test_every_css_property_is_listed_with_its_default(client):
    from moderation.web.widget import SOURCE

    css = (SOURCE / "widget.css").read_text()
    used = set(re.findall(r"var\((--comments-[a-z-]+)", css))
    html = client.get("/embed?lang=en").get_data(as_text=True)
    rows = dict(re.findall(r"<tr><td><code>(--comments-[a-z-]+)</code></td><td>(.*?)</td></tr>",
                           html))  # fmt: skip
    assert set(rows) == used and "--comments-font" in rows
    assert rows["--comments-text"] == "<code>#1d1d1f</code>"
    assert rows["--comments-font"] == "the page’s own"


def test_the_live_example_posts_to_a_demonstration_thread(client, services):
    html = client.get("/embed").get_data(as_text=True)
    example = html[html.index('id="comments"'):]
    assert f'data-thread="{DEMO_THREAD}"' in example
    assert services.articles.newest().slug not in example
    assert post(client, comment_payload(client, DEMO_THREAD), DEMO_THREAD).status_code == 202
    comments, _ = services.comments.in_status("pending")
    assert [c.thread for c in comments] == [DEMO_THREAD]


def test_the_page_without_javascript_is_neutral_titled_and_links_back(client, services):
    services.sites.add("journal", [ORIGIN])
    bare = client.get("/sites/journal/threads/story-1").get_data(as_text=True)
    assert 'class="masthead"' not in bare and "<h1" not in bare and "story-1</" not in bare
    page = f"{ORIGIN}/2024/11/ministre.html"
    asked = client.get("/api/v1/challenge", headers={"Origin": ORIGIN}, query_string={
        "thread": "story-1", "page": page, "title": "La ministre\x07 à Moscou"})  # fmt: skip
    assert asked.status_code == 200
    html = client.get("/sites/journal/threads/story-1").get_data(as_text=True)
    assert '<h1 class="thread-title">La ministre à Moscou</h1>' in html
    assert f'<a href="{page}">← Retour à l’article</a>' in html
    assert "<title>La ministre à Moscou</title>" in html
    text = re.sub(r"<[^>]+>", " ", html[html.index("<body"):])
    assert "story-1" not in text and "journal" not in text  # no raw ids in what one reads
    # A page of another origin is not taken as the article's.
    client.get("/api/v1/challenge", headers={"Origin": ORIGIN}, query_string={
        "thread": "story-1", "page": "https://evil.example/x"})  # fmt: skip
    assert f'href="{page}"' in client.get("/sites/journal/threads/story-1").get_data(as_text=True)
    assert client.get("/api/v1/challenge", headers={"Origin": ORIGIN}, query_string={
        "thread": "story-1", "page": "http://[bad"}).status_code == 200  # fmt: skip
    assert CommentStore(services.redis, "journal").count("pending") == 0
