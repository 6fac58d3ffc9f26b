"""Import from WordPress and Disqus exports, export and re-import JSON Lines."""

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.imports import disqus
from moderation.imports.html_text import html_to_text
from moderation.store import CommentStore
from moderation.transfer import import_records

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def cli(redis_server, redis_client, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return run


def by_author(store, thread):
    return {c.author: c for c in store.comments(store.all_ids()) if c.thread == thread}


def test_a_wordpress_export_imports_once(cli, redis_client):
    assert "5 comments imported, 0 already there" in cli("import", "wordpress",
                                                          str(DATA / "wordpress.xml"))
    store = CommentStore(redis_client)
    comments = by_author(store, "ministre-a-moscou")
    assert set(comments) == {"Léa Martin", "Bob", "casino777", "Camille"}
    first = next(c for c in store.comments(store.all_ids()) if c.body.startswith("Merci"))
    assert first.body == "Merci pour cet article & ses sources.\n\nSecond paragraphe."
    assert (first.status, first.email, first.url) == ("approved", "lea@example.org",
                                                      "https://lea.example.org")  # fmt: skip
    assert first.created_at == 1730712600.0  # 2024-11-04 09:30:00 UTC, kept
    assert store.user_agent(first) == "Mozilla/5.0 (X11; Linux x86_64)"
    assert not first.ip_hash  # addresses are not imported
    replies = [c for c in store.comments(store.all_ids()) if c.parent]
    # Bob answered Léa; Léa answered Bob's reply: one level deep, both under her comment.
    assert sorted(c.body for c in replies) == ["Je ne suis pas d’accord.", "Pourquoi donc ?"]
    assert {c.parent for c in replies} == {first.id}
    assert comments["casino777"].status == "spam" and comments["Camille"].status == "review"
    assert store.count("pending") == 0 and store.approved_count("ministre-a-moscou") == 3
    assert redis_client.xlen(store.keys.queue) == 0  # history, not news for the classifier

    again = cli("import", "wordpress", str(DATA / "wordpress.xml"))
    assert "0 comments imported, 5 already there" in again
    assert len(store.all_ids()) == 5


def test_a_disqus_export_imports_threads_replies_and_states(cli, redis_client, services):
    services.sites.add("journal", ["https://journal.example"])
    output = cli("import", "disqus", str(DATA / "disqus.xml"), "--site", "journal")
    assert "journal: 4 comments imported" in output
    store = CommentStore(redis_client, "journal")
    one = by_author(store, "story-1")
    assert one["Ann"].body == "First <b>comment</b>\nsecond line"
    assert one["Ann"].status == "approved"
    assert one["Ben"].parent == one["Ann"].id
    assert one["Cy"].status == "rejected" and one["Cy"].email == ""
    # An empty <id> : the thread comes from the link's whole path (not its last part).
    assert by_author(store, "2024-11-story-2")["Spammer"].status == "spam"
    assert "0 comments imported, 4 already there" in cli(
        "import", "disqus", str(DATA / "disqus.xml"), "--site", "journal")


def test_export_then_import_gives_the_same_comments(cli, redis_client, tmp_path):
    cli("import", "wordpress", str(DATA / "wordpress.xml"))
    exported = cli("export")
    lines = [json.loads(line) for line in exported.splitlines() if line.startswith("{")]
    assert len(lines) == 5 and {row["site"] for row in lines} == {"default"}
    before = {c.id: c for c in CommentStore(redis_client).comments(
        CommentStore(redis_client).all_ids())}  # fmt: skip
    redis_client.flushall()
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in lines), encoding="utf-8")
    assert "5 comments imported" in cli("import", "jsonl", str(path))
    store = CommentStore(redis_client)
    after = {c.id: c for c in store.comments(store.all_ids())}
    assert after == before
    assert "0 comments imported, 5 already there" in cli("import", "jsonl", str(path))


def test_bad_files_are_refused_clearly(redis_server, monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><rss>&a;</rss>')
    result = CliRunner().invoke(main, ["import", "wordpress", str(bomb)])
    assert result.exit_code == 1 and "not a wordpress export" in result.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1}\n')
    result = CliRunner().invoke(main, ["import", "jsonl", str(broken)])
    assert result.exit_code == 1 and "line 1" in result.output
    unknown = CliRunner().invoke(main, ["import", "disqus", str(DATA / "disqus.xml"),
                                        "--site", "nobody"])  # fmt: skip
    assert unknown.exit_code == 2 and "unknown site" in unknown.output  # a usage error


def test_html_becomes_plain_text():
    assert html_to_text("<p>a &amp; b</p><p>c<br/>d</p><script>x</script>") == "a & b\n\nc\nd"
    assert html_to_text("plain") == "plain"


def test_import_records_skips_empty_comments(redis_client):
    store = CommentStore(redis_client)
    records = disqus.read(io.BytesIO((DATA / "disqus.xml").read_bytes())).records
    for record in records:
        record.thread = "story"
    records[0].body = "   "
    summary = import_records(store, "disqus", records)
    assert (summary.created, summary.skipped) == (3, {"no_text": 1})


def test_restoring_a_published_comment_changes_the_thread_version_once(redis_client):
    # Cached pages and feeds follow the version: one new published comment,
    # one change (the shared move() bumps it; the restore script must not again).
    from moderation.store import Comment, stable_id

    store = CommentStore(redis_client)
    comment_id = stable_id(1_700_000_000.0, "test:restore")
    comment = Comment(id=comment_id, site="default", thread="fil", author="Léa", email="",
                      url="", body="Texte.", status="approved", created_at=1_700_000_000.0)
    assert store.approved_version("fil") == 0
    assert store.restore(comment)
    assert store.approved_version("fil") == 1
    assert [c.id for c in store.approved("fil")[0]] == [comment_id]
    assert not store.restore(comment)  # already there: nothing changes
    assert store.approved_version("fil") == 1


def jsonl_row(**fields):
    row = {"id": f"src-{fields.pop('n')}", "thread": "ministre-a-moscou", "author": "Léa",
           "email": "lea@example.org", "body": "Un avis.", "status": "approved",
           "created_at": "2024-11-04T09:30:00Z", "site": "default"}  # fmt: skip
    row.update(fields)
    return json.dumps(row)


def test_jsonl_names_follow_the_apis_rules(redis_server, redis_client, services, tmp_path,
                                           monkeypatch):  # fmt: skip
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    services.sites.add("news", ["https://news.example"])
    rows = [
        jsonl_row(n=1),
        jsonl_row(n=2, thread="a:b"),
        jsonl_row(n=3, thread="x}:status:approved:{default"),
        jsonl_row(n=4, thread="../etc/passwd"),
        jsonl_row(n=5, site="news", thread="Story_1.html"),
        jsonl_row(n=6, site="news", thread="story:1:approved"),
        jsonl_row(n=7, site="news", thread="{news}"),
        jsonl_row(n=8, site="bad}site"),
        jsonl_row(n=9, site="news", thread="x" * 129),
        jsonl_row(n=10, thread="ministre-a-moscou", body="Deuxième avis."),
    ]
    path = tmp_path / "names.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    assert "default: 2 comments imported, 0 already there, 3 skipped" in result.stdout
    assert "news: 1 comments imported, 0 already there, 3 skipped" in result.stdout
    reported = dict(line.split(": skipped, ", 1) for line in result.stderr.splitlines()
                    if ": skipped, " in line)  # fmt: skip
    assert set(reported) == {f"line {n}" for n in (2, 3, 4, 6, 7, 8, 9)}
    assert reported["line 2"].startswith("invalid thread name 'a:b'")
    assert reported["line 8"].startswith("invalid site name 'bad}site'")
    threads = {(c.site, c.thread) for site in ("default", "news")
               for c in CommentStore(redis_client, site).comments(
                   CommentStore(redis_client, site).all_ids())}  # fmt: skip
    assert threads == {("default", "ministre-a-moscou"), ("news", "Story_1.html")}
    for key in redis_client.scan_iter():
        assert not any(bad in key for bad in ("a:b", "x}", "passwd", "story:1", "{news}:{",
                                              "bad}", "x" * 129))  # fmt: skip


def test_imports_drop_characters_xml_forbids_and_count_them(cli, redis_client, tmp_path):
    path = tmp_path / "dirty.jsonl"
    path.write_text("\n".join([
        jsonl_row(n=1, author="Lé\ufffea", body="Bon\x00jour \x1b[1m\uffff!"),
        jsonl_row(n=2, body="Propre."),
        jsonl_row(n=3, body="Un \ud800 seul", user_agent="UA\x07"),
    ]) + "\n", encoding="utf-8")  # fmt: skip
    output = cli("import", "jsonl", str(path))
    assert "3 comments imported, 0 already there, 0 skipped, 2 changed" in output
    store = CommentStore(redis_client)
    comments = {c.body: c for c in store.comments(store.all_ids())}
    assert set(comments) == {"Bonjour [1m!", "Propre.", "Un  seul"}
    assert comments["Bonjour [1m!"].author == "Léa"
    assert store.user_agent(comments["Un  seul"]) == "UA"
