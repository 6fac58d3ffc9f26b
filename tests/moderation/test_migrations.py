"""Upgrades: data of format 0 (tests/data/format-0.jsonl, a backup of a
service from before format versions, with an account from before roles) is
restored, refused at start-up, migrated by ``moderation migrate`` or by
``AUTO_MIGRATE``, and each migration changes nothing the second time."""

import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation import create_app, keys, migrations
from moderation.authors import email_subject, history, ip_subject
from moderation.backup import restore
from moderation.cli import main
from moderation.migrations import m001_roles, m002_author_lists
from moderation.store import CommentStore
from moderation.validation import CommentInput
from tests.conftest import THREAD

pytestmark = pytest.mark.cluster

FORMAT_0 = Path(__file__).parents[1] / "data" / "format-0.jsonl"
PASSWORD = "correct horse battery"
LEGACY = keys.ACCOUNTS + "user:legacy@example.org"
MODERATOR = keys.ACCOUNTS + "user:mod@example.org"


@pytest.fixture
def format_0(redis_server, redis_client):
    restore(redis_server.url, FORMAT_0)
    assert redis_client.get(keys.DATA_FORMAT) is None
    assert "role" not in redis_client.hgetall(LEGACY)
    yield redis_client
    redis_client.flushall()  # tests that take no redis_client must not meet old accounts


def test_unversioned_data_that_needs_nothing_is_stamped_current(format_0):
    assert migrations.status(format_0).stored == 0  # a legacy account: format 0
    assert format_0.get(keys.DATA_FORMAT) is None
    format_0.hset(LEGACY, mapping=m001_roles.DEFAULTS)  # as if made by this code's CLI
    assert migrations.status(format_0).stored == migrations.CURRENT
    assert format_0.get(keys.DATA_FORMAT) == str(migrations.CURRENT)


def config(redis_server, tmp_path, **more):
    return {
        "TESTING": True, "REDIS_URL": redis_server.url, "SECRET_KEY": "s",
        "INSTANCE_PATH": str(tmp_path / "instance"), "RATELIMIT_ENABLED": False, **more,
    }  # fmt: skip


def cli(redis_server, *args):
    return CliRunner().invoke(main, list(args), env={"REDIS_URL": redis_server.url})


def test_a_new_redis_is_stamped_with_the_current_format(redis_client, make_app):
    make_app()
    assert redis_client.get(keys.DATA_FORMAT) == str(migrations.CURRENT)


def test_older_data_is_refused_at_start_up_until_migrated(format_0, redis_server, tmp_path):
    with pytest.raises(migrations.DataFormatError, match="format 0.*moderation migrate"):
        create_app(config(redis_server, tmp_path))
    checked = cli(redis_server, "migrate", "--check")
    assert checked.exit_code == 1
    assert f"data format 0; {migrations.CURRENT} migration(s) pending" in checked.output
    assert format_0.get(keys.DATA_FORMAT) is None  # --check changes nothing

    moderator_before = format_0.hgetall(MODERATOR)
    done = cli(redis_server, "migrate")
    assert done.exit_code == 0, done.output
    assert "format 1: accounts made before roles become owners" in done.output
    assert "(1 changed)" in done.output
    legacy = format_0.hgetall(LEGACY)
    assert (legacy["role"], legacy["sites"], legacy["generation"]) == ("owner", "[]", "0")
    assert format_0.hgetall(MODERATOR) == moderator_before  # had a role: left alone
    assert format_0.get(keys.DATA_FORMAT) == str(migrations.CURRENT)
    assert cli(redis_server, "migrate", "--check").exit_code == 0

    app = create_app(config(redis_server, tmp_path))
    try:
        owner = app.extensions["moderation"].accounts.get("legacy@example.org")
        assert owner.owner and owner.generation == 0
        client = app.test_client()
        page = client.get("/moderation/login").get_data(as_text=True)
        token = unescape(re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page)[1])
        signed = client.post("/moderation/login", data={
            "csrf_token": token, "email": "legacy@example.org", "password": PASSWORD})  # fmt: skip
        assert signed.status_code == 303
        assert client.get("/moderation/team").status_code == 200  # owners' page
    finally:
        app.extensions["moderation"].redis.close()


def test_auto_migrate_migrates_at_start_up(format_0, redis_server, tmp_path):
    app = create_app(config(redis_server, tmp_path, AUTO_MIGRATE=True))
    app.extensions["moderation"].redis.close()
    assert format_0.get(keys.DATA_FORMAT) == str(migrations.CURRENT)
    assert format_0.hget(LEGACY, "role") == "owner"
    assert format_0.get(keys.MIGRATION_LOCK) is None


def test_each_migration_changes_nothing_the_second_time(format_0):
    def everything():
        return {key: (format_0.type(key), format_0.hgetall(key) if format_0.type(key) == "hash"
                      else None) for key in format_0.scan_iter()}  # fmt: skip

    assert m001_roles.needed(format_0) == 1
    assert m001_roles.apply(format_0) == 1
    once = everything()
    assert m001_roles.needed(format_0) == 0
    assert m001_roles.apply(format_0) == 0
    assert everything() == once


def test_newer_data_is_refused_even_with_auto_migrate(format_0, redis_server, tmp_path):
    format_0.set(keys.DATA_FORMAT, migrations.CURRENT + 1)
    with pytest.raises(migrations.DataFormatError, match="newer than this version"):
        create_app(config(redis_server, tmp_path, AUTO_MIGRATE=True))
    refused = cli(redis_server, "migrate")
    assert refused.exit_code == 1
    assert "newer than this version" in refused.output
    worker = cli(redis_server, "worker", "--burst")
    assert worker.exit_code == 1
    assert "newer than this version" in worker.output


def test_format_2_puts_earlier_comments_in_their_authors_history(format_0, redis_server):
    """Format 1 data: comments settled before the worker kept author lists (or
    imported then) are in none; the author would look new. Migration 2 lists
    every settled comment, leaves pending ones to the worker, and changes
    nothing the second time."""
    m001_roles.apply(format_0)
    format_0.set(keys.DATA_FORMAT, 1)
    store = CommentStore(format_0, "default")
    settled = []
    for n, status in enumerate(("approved", "approved", "spam")):
        comment = store.save(THREAD, CommentInput("Léa", "Lea@Example.org", f"Avis {n}.", ""),
                             ip_hash="abc123")  # fmt: skip
        store.set_status(comment.id, status)
        settled.append(comment.id)
    assert migrations.status(format_0).pending == [2]
    assert m002_author_lists.needed(format_0) == 3  # the format-0 comment is still pending

    done = cli(redis_server, "migrate")
    assert done.exit_code == 0, done.output
    assert "format 2: " in done.output and "(3 changed)" in done.output
    found = history(format_0, ["default"], email_subject("lea@example.org"),
                    field_name="email", value="lea@example.org")  # fmt: skip
    assert (found.counts["approved"], found.counts["spam"]) == (2, 1)
    by_ip = history(format_0, ["default"], ip_subject("abc123"), field_name="ip_hash",
                    value="abc123")  # fmt: skip
    assert sum(by_ip.counts.values()) == 3
    assert m002_author_lists.needed(format_0) == 0 and m002_author_lists.apply(format_0) == 0
    assert format_0.get(keys.DATA_FORMAT) == "2"
