"""Atom feeds of published comments, and the published-comment count."""

import xml.etree.ElementTree as ET

import pytest

from moderation.validation import CommentInput
from tests.conftest import THREAD

A = "{http://www.w3.org/2005/Atom}"
FEED = f"/articles/{THREAD}/comments.atom"


def publish(services, clock, body, author="Léa", site="default", thread=THREAD):
    clock.advance(1)  # ids and times in order of creation
    store = services.store_for(site)
    comment = store.save(thread, CommentInput(author, "lea@example.org", body, ""))
    store.set_status(comment.id, "approved")
    return comment.id


def parse(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def assert_valid_atom(feed):
    """RFC 4287's required elements: feed id, title, updated, author (here in
    every entry), a self link; entry id, title, updated; ids unique."""
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    assert feed.find(f"{A}link[@rel='self']") is not None
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        assert entry.find(f"{A}author/{A}name").text
        assert entry.find(f"{A}content").get("type") == "text"
        ids.append(entry.find(f"{A}id").text)
    assert len(ids) == len(set(ids))


def test_an_article_feed_lists_published_comments_newest_first(client, services, clock):
    first = publish(services, clock, "Premier avis.")
    second = publish(services, clock, "<script>alert(1)</script> & « guillemets »", "Bob")
    held = services.comments.save(THREAD, CommentInput("Eve", "e@example.org", "En attente", ""))
    feed = parse(client.get(FEED))
    assert_valid_atom(feed)
    entries = feed.findall(f"{A}entry")
    assert [e.find(f"{A}id").text.rsplit("#c-", 1)[1] for e in entries] == [second, first]
    assert entries[0].find(f"{A}content").text == "<script>alert(1)</script> & « guillemets »"
    assert entries[0].find(f"{A}author/{A}name").text == "Bob"
    assert entries[0].find(f"{A}link").get("href").endswith(f"/articles/{THREAD}#c-{second}")
    assert held.id not in client.get(FEED).get_data(as_text=True)
    assert feed.find(f"{A}updated").text == entries[0].find(f"{A}updated").text
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_an_empty_feed_is_valid_and_unknown_threads_are_404(client):
    feed = parse(client.get(FEED))
    assert_valid_atom(feed)
    assert feed.findall(f"{A}entry") == []
    assert client.get("/articles/nothing-here/comments.atom").status_code == 404
    assert client.get("/sites/nobody/threads/t1/comments.atom").status_code == 404


def test_the_feed_revalidates_until_a_comment_is_published(client, services, clock):
    publish(services, clock, "Un.")
    tag = client.get(FEED).headers["ETag"]
    assert client.get(FEED, headers={"If-None-Match": tag}).status_code == 304
    publish(services, clock, "Deux.")
    fresh = client.get(FEED, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and len(parse(fresh).findall(f"{A}entry")) == 2


def test_a_registered_sites_thread_has_its_feed(client, services, clock):
    services.sites.add("journal", ["https://journal.example"])
    publish(services, clock, "Sur le site partenaire.", site="journal", thread="story-1")
    feed = parse(client.get("/sites/journal/threads/story-1/comments.atom"))
    assert_valid_atom(feed)
    (entry,) = feed.findall(f"{A}entry")
    assert entry.find(f"{A}content").text == "Sur le site partenaire."
    assert parse(client.get(FEED)).findall(f"{A}entry") == []  # sites stay apart


def test_the_count_of_published_comments(client, services, clock):
    url = f"/api/v1/threads/{THREAD}/count"
    assert client.get(url).get_json() == {"thread": THREAD, "count": 0}
    publish(services, clock, "Un.")
    services.comments.save(THREAD, CommentInput("Eve", "e@example.org", "En attente", ""))
    response = client.get(url)
    assert response.get_json() == {"thread": THREAD, "count": 1}
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/threads/nothing-here/count").status_code == 404


@pytest.mark.parametrize("origin", ["https://journal.example"])
def test_a_registered_site_counts_its_own_threads(client, services, clock, origin):
    services.sites.add("journal", [origin])
    publish(services, clock, "Un.", site="journal", thread="story-1")
    response = client.get("/api/v1/threads/story-1/count", headers={"Origin": origin})
    assert response.get_json() == {"thread": "story-1", "count": 1}
    assert response.headers["Access-Control-Allow-Origin"] == origin
    foreign = client.get("/api/v1/threads/story-1/count", headers={"Origin": "https://x.example"})
    assert foreign.status_code == 403


def test_pages_point_feed_readers_at_their_feed(client, services):
    page = client.get(f"/articles/{THREAD}").get_data(as_text=True)
    assert f'type="application/atom+xml" title="Commentaires" href="{FEED}"' in page
    services.sites.add("journal", ["https://journal.example"])
    page = client.get("/sites/journal/threads/story-1").get_data(as_text=True)
    assert 'href="/sites/journal/threads/story-1/comments.atom"' in page


def test_feed_addresses_come_from_public_url_not_from_the_request(make_app, services, clock):
    # A poisoned request first fills the cache; the clean one after it must not get its text.
    client = make_app(PUBLIC_URL="https://comments.example.org/").test_client()
    publish(services, clock, "Un.")
    services.sites.add("journal", ["https://journal.example"])
    publish(services, clock, "Deux.", site="journal", thread="story-1")
    attack = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    for feed, self_link in [
        (FEED, f"https://comments.example.org{FEED}"),
        ("/sites/journal/threads/story-1/comments.atom",
         "https://comments.example.org/sites/journal/threads/story-1/comments.atom?lang=en"),
    ]:  # fmt: skip
        poisoned = client.get(feed + '?lang=en&x="><evil>&evil=1', headers=attack)
        clean = client.get(feed + "?lang=en")
        for response in (poisoned, clean):
            assert b"evil" not in response.data
            document = parse(response)
            assert document.find(f"{A}link[@rel='self']").get("href") == self_link
            addresses = [link.get("href") for link in document.iter(f"{A}link")]
            addresses += [element.text for element in document.iter(f"{A}id")]
            assert all(a.startswith("https://comments.example.org/") for a in addresses)
        assert poisoned.headers["ETag"] == clean.headers["ETag"]  # one cached document
