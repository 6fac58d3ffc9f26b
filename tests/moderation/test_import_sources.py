"""Imports from each source on samples shaped like real exports (WXR 1.0,
1.1, 1.2; Disqus with and without dsq:id; an Isso database; a Remark42
backup; a Commento export): one bad record never costs the others, parents
only through the source's ids, hidden states never published."""

import gzip
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.authors import email_subject, history
from moderation.cli import main
from moderation.store import CommentStore

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
REPORT = "https://source.example/reports/2020/annual-figures.pdf"


@pytest.fixture
def run(redis_server, services, monkeypatch):
    """``moderation import …``, checking the exit code; sites blog, journal, poly exist."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    for name in ("blog", "journal", "poly"):
        services.sites.add(name, [f"https://{name}.example"])

    def invoke(*args, code=0):
        result = CliRunner().invoke(main, ["import", *map(str, args)])
        assert result.exit_code == code, result.output
        return result

    return invoke


def comments(redis_client, site="default"):
    store = CommentStore(redis_client, site)
    return {c.author: c for c in store.comments(store.all_ids())}


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def isso_db(tmp_path):
    path = tmp_path / "comments.db"
    with sqlite3.connect(path) as db:
        db.executescript((DATA / "isso.sql").read_text(encoding="utf-8"))
    return path


def test_wxr_1_0_repairs_a_missing_gmt_date_and_reads_unescaped_markup(run, redis_client):
    result = run("wordpress", DATA / "wxr-1.0.xml")
    assert "default: 3 comments imported, 0 already there, 1 skipped" in result.stdout
    assert "skipped: 1 not a comment (pingback or trackback)" in result.stdout
    assert "comment '2': GMT date from its local date and the site's offset (+2h)" in result.stderr
    found = comments(redis_client)
    # 09:00 local, the file's one offset +2 h: 07:00 UTC.
    assert found["Nadia"].created_at == utc("2008-05-02 07:00:00")
    assert found["Omar"].body == "Nested markup left unescaped http://omar.example/notes."
    assert found["Omar"].parent == found["Nadia"].id
    assert {c.thread for c in found.values()} == {"hello-world"}


def test_wxr_1_1_slugs_links_passwords_and_drafts(run, redis_client):
    result = run("wordpress", DATA / "wxr-1.1.xml", "--site", "poly")
    assert "poly: 5 comments imported" in result.stdout
    hidden = "hidden (not public): 1 its post has a password, 1 its post is not published"
    assert hidden in result.stdout
    found = comments(redis_client, "poly")
    assert {a: c.thread for a, c in found.items()} == {
        "Ελένη": "kalimera-kosme", "Иван": "privet-mir",  # Greek and Cyrillic, transliterated
        "Pat": "p-4",  # known only by its ?p= link
        "Insider": "members-only", "Early": "p-13",
    }  # fmt: skip
    assert found["Insider"].status == "rejected" and found["Early"].status == "rejected"
    store = CommentStore(redis_client, "poly")
    assert store.approved_count("members-only") == 0 and store.approved_count("p-13") == 0
    # Our own site takes only slugs: the same rule gives the same ids there.
    run("wordpress", DATA / "wxr-1.1.xml")
    assert {c.thread for c in comments(redis_client).values()} == {
        "kalimera-kosme", "privet-mir", "p-4", "members-only", "p-13"}  # fmt: skip


def test_wxr_1_2_one_bad_record_costs_only_itself(run, redis_client):
    result = run("wordpress", DATA / "wxr-1.2.xml", "--site", "blog")
    assert "blog: 6 comments imported, 0 already there, 1 skipped" in result.stdout
    assert "comment '6': skipped, unreadable date (comment_date_gmt 'not a date')" in result.stderr
    assert ("hidden (not public): 1 awaiting moderation at the source, 1 spam at the source, "
            "1 in the bin at the source") in result.stdout  # fmt: skip
    found = comments(redis_client, "blog")
    assert found["Ann"].body == "First line with tabs\n\nSecond paragraph\nand a line."
    assert found["Ben"].body == ("See https://docs.example/a/very/long/path?x=1, and my page "
                                 "https://ben.example/.")  # fmt: skip
    assert found["Fay"].body == "Bellandtab"  # control characters gone
    assert [found[a].status for a in ("Cy", "Spam", "Dee")] == ["review", "spam", "rejected"]
    assert {c.thread for c in found.values()} == {"story"}


def test_disqus_threads_stay_apart_and_deleted_threads_stay_hidden(run, redis_client):
    result = run("disqus", DATA / "disqus-ids.xml", "--site", "journal")
    assert "journal: 6 comments imported, 0 already there, 1 skipped" in result.stdout
    assert "post '5006': skipped, unreadable date" in result.stderr
    found = comments(redis_client, "journal")
    assert found["Ann"].thread == "news-index-html" and found["Ben"].thread == "sport-index-html"
    assert found["Dee"].thread == "live"  # an address with a port
    # The shortened link text gave way to the link's target.
    assert found["Ann"].body == "On the news. Read " + REPORT
    # A parent in another thread is dropped, with a warning.
    assert found["Cy"].parent == "" and found["Cy"].thread == "sport-index-html"
    assert "comment '5003': answers '5001' in another thread" in result.stderr
    assert found["Eve"].status == "rejected" and found["Gus"].status == "rejected"
    assert "1 deleted at the source, 1 its thread was deleted" in result.stdout


def test_a_disqus_post_without_an_id_is_nobodys_parent(run, redis_client):
    result = run("disqus", DATA / "disqus-no-ids.xml", "--site", "journal")
    assert "journal: 5 comments imported" in result.stdout
    found = comments(redis_client, "journal")
    assert found["Ann"].parent == found["Ben"].parent == found["Dee"].parent == ""
    assert found["Cy"].parent == found["Ben"].id
    assert found["Nobody"].thread == "first-story" and found["Dee"].thread == "second-story"
    again = run("disqus", DATA / "disqus-no-ids.xml", "--site", "journal")
    assert "journal: 0 comments imported, 5 already there" in again.stdout


def test_isso_database(run, redis_client, tmp_path):
    result = run("isso", isso_db(tmp_path), "--site", "blog")
    assert "blog: 5 comments imported, 0 already there, 1 skipped" in result.stdout
    found = comments(redis_client, "blog")
    assert found["Ann"].thread == "blog-first-post" and found["Иван"].thread == "blog-vtoroy-post"
    assert found["Ann"].created_at == 1600000000.5 and found["Ann"].url == "https://ann.example"
    assert found["Ben"].parent == found["Ann"].id
    assert found["Anonyme"].status == "review"  # mode 2, no name given
    assert found["Cy"].parent == ""  # its comment was deleted (mode 4, no text left)
    assert "comment '4': skipped, no text" in result.stderr


@pytest.mark.parametrize("zipped", [False, True], ids=["plain", "gzip"])
def test_remark42_backup(run, redis_client, tmp_path, zipped):
    path = DATA / "remark42.backup"
    if zipped:
        path = tmp_path / "backup.gz"
        path.write_bytes(gzip.compress((DATA / "remark42.backup").read_bytes()))
    result = run("remark42", path, "--site", "blog")
    assert "blog: 4 comments imported, 0 already there, 1 skipped" in result.stdout
    assert "line 5: skipped, unreadable record" in result.stderr
    found = comments(redis_client, "blog")
    assert found["Ann"].body == "Hello https://remark.example/about/"
    # Ben's reply is dated before Ann's comment (another time zone): still her reply.
    assert found["Ben"].parent == found["Ann"].id
    assert found["Cy"].status == "rejected" and found["Dee"].thread == "post-2"


def test_commento_export(run, redis_client):
    result = run("commento", DATA / "commento.json", "--site", "blog")
    assert "blog: 4 comments imported, 0 already there, 1 skipped" in result.stdout
    store = CommentStore(redis_client, "blog")
    found = {c.body: c for c in store.comments(store.all_ids())}
    assert found["Great post"].author == "Ann" and found["Great post"].thread == "posts-one"
    assert found["Thanks"].parent == found["Great post"].id and found["Thanks"].url == ""
    assert found["Cheap pills"].status == "spam" and found["Not yet"].status == "review"


def test_a_dry_run_prints_the_same_summary_and_writes_nothing(run, redis_client):
    before = sorted(redis_client.scan_iter())
    dry = run("disqus", DATA / "disqus-ids.xml", "--site", "journal", "--dry-run")
    assert sorted(redis_client.scan_iter()) == before
    real = run("disqus", DATA / "disqus-ids.xml", "--site", "journal")
    assert dry.stdout.replace("dry run, nothing written: ", "") == real.stdout
    again = run("disqus", DATA / "disqus-ids.xml", "--site", "journal", "--dry-run")
    assert "journal: 0 comments imported, 6 already there" in again.stdout


def test_exit_codes(run, tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    nothing = run("jsonl", broken, code=1)
    assert "total: 0 comments imported, 0 already there, 2 skipped" in nothing.stdout
    run("wordpress", DATA / "wxr-1.2.xml", "--site", "Bad Site", code=2)
    run("wordpress", DATA / "wxr-1.2.xml", "--site", "nobody", code=2)
    run("isso", DATA / "commento.json", code=1)  # not a database
    run("mastodon", DATA / "commento.json", code=2)
    run("jsonl", broken, "--thread-map", DATA / "commento.json", code=2)


def test_the_import_benchmark_still_runs():
    from bench import import_speed

    figures = import_speed.run(150)  # asserts every comment imported, then already there
    assert figures["n"] == 150 and figures["first_per_s"] > 0


def test_imported_comments_count_in_their_authors_history(run, redis_client):
    """The author panel knows an imported reader at once (not only once the
    worker has classified a comment of theirs)."""
    run("wordpress", DATA / "wxr-1.2.xml", "--site", "blog")
    ann = history(redis_client, ["blog"], email_subject("ann@example.org"), field_name="email",
                  value="ann@example.org")  # fmt: skip
    assert ann.counts["approved"] >= 1 and ann.first_seen is not None
    spam = history(redis_client, ["blog"], email_subject("spam@example.org"), field_name="email",
                   value="spam@example.org")  # fmt: skip
    assert spam.counts["spam"] >= 1
