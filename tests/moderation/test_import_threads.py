"""Where imported comments land: the thread-id rule, --thread-map and
collisions, the page's address kept for the widget and the API, HTML turned
to text, and round trips (export, import, export: the same file)."""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.imports import importer
from moderation.imports.html_text import html_to_text
from moderation.imports.threads import from_value
from moderation.rendering import render_comment
from moderation.thread_urls import ThreadUrls

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
JOURNAL = "https://journal.example"


@pytest.mark.parametrize(("site", "value", "thread"), [
    ("news", "Story_1.html", "Story_1.html"),  # accepted as it is: kept
    ("default", "Story_1.html", "story-1-html"),  # our own site takes slugs only
    ("news", "%ce%ba%ce%b1%ce%bb%ce%b7%ce%bc%ce%ad%cf%81%ce%b1", "kalimera"),
    ("news", "%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", "privet"),
    ("news", "https://a.example:8080/news/index.html", "news-index-html"),
    ("news", "https://a.example/?p=4", "p-4"),
    ("news", "https://a.example/?page_id=12&lang=fr", "p-12"),
    ("news", "123 https://a.example/?p=123", "p-123"),  # the WordPress plugin's identifiers
    ("news", "https://a.example/", ""),  # nothing to name it by
])  # fmt: skip
def test_the_thread_rule(site, value, thread):
    assert from_value(site, value) == thread


def test_a_long_slug_is_cut_and_stays_distinct():
    one, two = from_value("default", "α" * 150), from_value("default", "α" * 151)
    assert one != two and len(one) == len(two) == 100
    digest = hashlib.sha256(("α" * 150).encode()).hexdigest()[:8]
    assert one == "a" * 91 + "-" + digest


@pytest.mark.parametrize(("markup", "text"), [
    ("<p>a &amp; b</p><p>c<br/>d</p><script>x</script>", "a & b\n\nc\nd"),
    ('<a href="https://x.example/a">https://x.example/a</a>', "https://x.example/a"),
    ('<a href="https://x.example/long/path">x.example/long/…</a>.', "https://x.example/long/path."),
    ('Go <a href="https://x.example/">here</a>now', "Go here https://x.example/ now"),
    ('<a href="javascript:alert(1)">click</a>', "click"),
    ('<a href="/relative">text</a>', "text"),
    ("<p>one\n   two\t\tthree</p>\n\n\n<p>four</p>", "one two three\n\nfour"),
    ("bell\x07 &#x1b;[1m\ufffe", "bell [1m"),
])  # fmt: skip
def test_html_to_text(markup, text):
    assert html_to_text(markup) == text


def test_a_kept_link_is_a_link_again_when_shown():
    text = html_to_text('<p>Read <a href="https://x.example/r?a=1&amp;b=2">the report</a>.</p>')
    assert text == "Read the report https://x.example/r?a=1&b=2."
    assert '<a href="https://x.example/r?a=1&amp;b=2" rel="nofollow ugc noopener">' in str(
        render_comment(text))


def disqus_file(tmp_path, *threads):
    body = "".join(
        f'<thread dsq:id="{n}"><id>{ident}</id><link>{link}</link></thread>'
        f'<post dsq:id="p{n}"><message>Post {n}</message><createdAt>2021-01-0{n}T00:00:00Z'
        f'</createdAt><author><name>A{n}</name></author><thread dsq:id="{n}"/></post>'
        for n, (ident, link) in enumerate(threads, 1))  # fmt: skip
    path = tmp_path / "export.xml"
    path.write_text('<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/'
                    f'disqus-internals">{body}</disqus>', encoding="utf-8")  # fmt: skip
    return path


@pytest.fixture
def cli(redis_server, services, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    services.sites.add("journal", [JOURNAL])

    def invoke(*args, code=0):
        result = CliRunner().invoke(main, list(map(str, args)))
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_two_pages_never_become_one_thread(cli, redis_client, tmp_path):
    path = disqus_file(tmp_path, ("story", f"{JOURNAL}/a/"), ("story", f"{JOURNAL}/b/"))
    result = cli("import", "disqus", path, "--site", "journal", code=1)
    assert f"'{JOURNAL}/a/' and '{JOURNAL}/b/' would both become thread 'story'" in result.output
    assert list(redis_client.scan_iter("comment:*")) == []  # nothing half-written
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"source,thread\n{JOURNAL}/b/,story-b\n", encoding="utf-8")
    result = cli("import", "disqus", path, "--site", "journal", "--thread-map", mapping)
    assert "journal: 2 comments imported" in result.stdout
    assert ThreadUrls(redis_client, "journal").all() == {"story": f"{JOURNAL}/a/",
                                                         "story-b": f"{JOURNAL}/b/"}  # fmt: skip
    # Joined on purpose: both mapped to one thread.
    mapping.write_text(f"{JOURNAL}/a/,together\n2,together\n", encoding="utf-8")
    cli("import", "disqus", path, "--site", "journal", "--thread-map", mapping)
    bad = tmp_path / "bad.csv"
    bad.write_text("just-one-column\n", encoding="utf-8")
    assert "line 1" in cli("import", "disqus", path, "--thread-map", bad, code=2).output
    bad.write_text(f"{JOURNAL}/a/,no/slashes\n", encoding="utf-8")
    cli("import", "disqus", path, "--site", "journal", "--thread-map", bad, code=2)


def test_a_page_finds_its_thread_by_address(client, services, tmp_path):
    services.sites.add("journal", [JOURNAL])
    importer.run(services.redis, "disqus", str(DATA / "disqus-ids.xml"), "journal")
    partner = {"Origin": JOURNAL}

    def find(url, headers=partner):
        return client.get("/api/v1/threads", query_string={"url": url}, headers=headers)

    found = find("http://JOURNAL.example:80/news/index.html#comments")
    assert found.status_code == 200, found.get_json()
    assert found.get_json() == {"thread": "news-index-html", "url": f"{JOURNAL}/news/index.html"}
    assert found.headers["Access-Control-Allow-Origin"] == JOURNAL
    assert find("https://journal.example:8080/live?id=3").get_json()["thread"] == "live"
    assert find(f"{JOURNAL}/nowhere").get_json()["error"] == {
        "code": "thread_not_found", "field": "url",
        "message": "Aucune discussion n’est connue pour cette page."}  # fmt: skip
    assert find("").get_json()["error"]["code"] == "required"
    assert find("https://x.example:99999/").get_json()["error"]["code"] == "invalid_url"
    assert find("https://x.example/" + "a" * 2001).status_code == 400
    assert find(f"{JOURNAL}/news/index.html", headers={}).status_code == 404  # our own site
    english = find(f"{JOURNAL}/nowhere", headers={**partner, "Accept-Language": "en"})
    assert english.get_json()["error"]["message"] == "No discussion is known for this page."


def test_isso_paths_match_any_host(services, tmp_path):
    import sqlite3

    db = tmp_path / "isso.db"
    with sqlite3.connect(db) as connection:
        connection.executescript((DATA / "isso.sql").read_text(encoding="utf-8"))
    services.sites.add("blog", ["https://blog.example"])
    importer.run(services.redis, "isso", str(db), "blog")
    urls = ThreadUrls(services.redis, "blog")
    assert urls.find("https://blog.example/blog/first-post") == "blog-first-post"
    assert urls.find("https://blog.example/blog/%D0%B2%D1%82%D0%BE%D1%80%D0%BE%D0%B9-%D0%BF"
                     "%D0%BE%D1%81%D1%82/") == "blog-vtoroy-post"  # fmt: skip


SOURCES = [("wordpress", "wxr-1.0.xml", "default"), ("wordpress", "wxr-1.1.xml", "poly"),
           ("wordpress", "wxr-1.2.xml", "poly"), ("disqus", "disqus-ids.xml", "journal"),
           ("disqus", "disqus-no-ids.xml", "journal"), ("remark42", "remark42.backup", "blog"),
           ("commento", "commento.json", "blog")]  # fmt: skip


def test_export_import_export_gives_the_same_file(cli, services, redis_client, tmp_path):
    for name in ("poly", "blog"):
        services.sites.add(name, [f"https://{name}.example"])
    for kind, name, site in SOURCES:
        cli("import", kind, DATA / name, "--site", site)
    first = cli("export").stdout
    rows = [json.loads(line) for line in first.splitlines()]
    assert len(rows) == 33 and {row["site"] for row in rows} == {"default", "poly", "journal",
                                                                 "blog"}  # fmt: skip
    assert any(row["thread_url"] for row in rows) and any(row["parent"] for row in rows)
    path = tmp_path / "all.jsonl"
    path.write_text(first, encoding="utf-8")
    redis_client.flushall()
    for name in ("journal", "poly", "blog"):
        services.sites.add(name, [f"https://{name}.example"])
    assert "total: 33 comments imported" in cli("import", "jsonl", path).stdout
    assert cli("export").stdout == first


def test_every_imported_thread_is_reachable_through_the_api(client, services):
    """URLs, ports, ?p= links and Greek or Cyrillic slugs once gave threads no
    API call could name: every thread the rule makes is one the API accepts."""
    services.sites.add("poly", ["https://poly.example"])
    services.sites.add("journal", [JOURNAL])
    importer.run(services.redis, "wordpress", str(DATA / "wxr-1.1.xml"), "poly")
    importer.run(services.redis, "disqus", str(DATA / "disqus-ids.xml"), "journal")
    published = {}
    for site, origin in (("poly", "https://poly.example"), ("journal", JOURNAL)):
        store = services.store_for(site)
        for comment in store.comments(store.all_ids()):
            answer = client.get(f"/api/v1/threads/{comment.thread}/comments",
                                headers={"Origin": origin})  # fmt: skip
            assert answer.status_code == 200, (comment.thread, answer.get_json())
            published[comment.thread] = len(answer.get_json()["comments"])
    assert published == {"kalimera-kosme": 1, "privet-mir": 1, "p-4": 1, "members-only": 0,
                         "p-13": 0, "news-index-html": 1, "sport-index-html": 2, "live": 1,
                         "gone": 0}  # fmt: skip
