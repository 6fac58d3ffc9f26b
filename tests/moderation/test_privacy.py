"""Personal data: daily-keyed IP hashes, retention, export and erasure."""

import json

import pytest
from click.testing import CliRunner

from moderation.authors import Authors, email_subject
from moderation.cli import main
from moderation.client_ip import ip_hash, network_of
from moderation.privacy import ANONYMOUS, Privacy
from moderation.store import CommentStore
from moderation.validation import CommentInput
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, post

DAY = 86400


def test_ip_hashes_change_every_day_and_group_ipv6_networks():
    secret, noon = b"s", 1_764_331_200.0  # 2025-11-28 12:00 UTC
    same_day = ip_hash(secret, "192.0.2.7", noon + 3600)
    assert ip_hash(secret, "192.0.2.7", noon) == same_day
    assert ip_hash(secret, "192.0.2.7", noon + DAY) != same_day
    assert "192.0.2.7" not in same_day
    assert network_of("2001:db8::1") == network_of("2001:db8::ffff") == "2001:db8::/64"
    assert network_of("::ffff:192.0.2.7") == "192.0.2.7"


def test_no_client_address_reaches_redis(make_app, redis_client):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    assert post(client, comment_payload(client)).status_code == 202
    wrong = comment_payload(client)
    wrong["captcha"]["answer"] = "99999"
    post(client, wrong)  # counted for the wrong-answer lock-out
    dump = []
    for key in redis_client.scan_iter("*"):
        dump.append(key)
        if redis_client.type(key) == "hash":
            dump += redis_client.hvals(key)
    assert len(dump) > 5
    assert not [item for item in dump if "127.0.0.1" in item]


@pytest.fixture
def store(redis_client, clock):
    return CommentStore(redis_client, clock=clock)


@pytest.fixture
def privacy(redis_client, clock):
    return Privacy(redis_client, lambda: ["default"], clock)


def save(store, clock, email, body="Un avis.", status="approved", age_days=0.0):
    clock.advance(0.01)  # ids sort by time: keep the order of creation
    clock.advance(-age_days * DAY)
    comment = store.save(THREAD, CommentInput("Léa", email, body, "https://lea.example"),
                         ip_hash="f" * 32, user_agent="UA/1")  # fmt: skip
    clock.advance(age_days * DAY)
    if status != "pending":
        store.set_status(comment.id, status)
    return comment.id


def test_retention_erases_personal_fields_of_old_comments_only(store, privacy, clock):
    old = save(store, clock, "old@example.org", age_days=100)
    recent = save(store, clock, "new@example.org", age_days=10)
    assert privacy.purge(90) == 1
    kept = store.get(old)
    assert (kept.email, kept.agent, kept.ip_hash) == ("", "", "")
    assert kept.body == "Un avis." and kept.author == "Léa"  # what was published stays
    assert store.get(recent).email == "new@example.org"
    assert privacy.purge(90) == 0  # the next run starts where this one ended
    clock.advance(81 * DAY)
    assert privacy.purge(90) == 1 and store.get(recent).email == ""


def test_retention_trims_old_classifier_examples(store, privacy, clock, redis_client):
    comment_id = save(store, clock, "old@example.org", status="review", age_days=0)
    store.decide(comment_id, "spam", "mod@example.org")
    assert redis_client.xlen(store.keys.feedback) == 1
    clock.advance(91 * DAY)
    privacy.purge(90)
    assert redis_client.xlen(store.keys.feedback) == 0


def test_export_gives_back_everything_about_an_address(store, privacy, clock):
    published = save(store, clock, "Lea@Example.org")
    waiting = save(store, clock, "lea@example.org", status="review")
    store.decide(waiting, "spam", "mod@example.org")
    save(store, clock, "other@example.org")
    exported = privacy.export("lea@example.org")
    assert sorted(c["id"] for c in exported["comments"]) == sorted([published, waiting])
    assert all(c["user_agent"] == "UA/1" for c in exported["comments"])
    assert [e["comment"] for e in exported["classifier_training_examples"]] == [waiting]
    json.dumps(exported)  # serialisable as it is printed


def test_delete_anonymises_published_and_erases_the_rest(store, privacy, clock, redis_client,
                                                          client):  # fmt: skip
    published = save(store, clock, "lea@example.org", body="Texte publié.")
    waiting = save(store, clock, "lea@example.org", status="review")
    store.decide(waiting, "spam", "mod@example.org")
    other = save(store, clock, "other@example.org")
    page = f"/api/v1/threads/{THREAD}/comments"
    tag = client.get(page).headers["ETag"]
    authors_of = Authors(redis_client)
    authors_of.record([(published, "lea@example.org", ""), (waiting, "lea@example.org", "")])
    authors_of.mark(email_subject("lea@example.org"), "blocked", "mod@example.org")

    done = privacy.delete("LEA@example.org")
    assert not redis_client.exists(store.keys.author(email_subject("lea@example.org")))
    assert authors_of.mark_of(email_subject("lea@example.org")) is None
    assert (done.erased, done.anonymised, done.training_examples) == (1, 1, 1)
    kept = store.get(published)
    assert kept.author == ANONYMOUS and kept.body == "Texte publié."
    assert (kept.email, kept.url, kept.agent, kept.ip_hash) == ("", "", "", "")
    assert store.get(waiting) is None and store.count("spam") == 0
    assert store.get(other).email == "other@example.org"
    assert privacy.export("lea@example.org")["comments"] == []
    refreshed = client.get(page, headers={"If-None-Match": tag})  # the page cache moved on
    assert refreshed.status_code == 200
    authors = {c["id"]: c["author"] for c in refreshed.get_json()["comments"]}
    assert authors == {published: ANONYMOUS, other: "Léa"}
    (entry,) = [e for e in redis_client.xrange(store.keys.audit)
                if e[1].get("event") == "privacy_delete"]  # fmt: skip
    assert "lea@example.org" not in json.dumps(entry)


def test_delete_with_comments_erases_published_ones_too(store, privacy, clock):
    published = save(store, clock, "lea@example.org")
    assert privacy.delete("lea@example.org", with_comments=True).erased == 1
    assert store.get(published) is None and store.count("approved") == 0


def test_the_privacy_commands(redis_server, redis_client, monkeypatch, clock):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    store = CommentStore(redis_client)
    store.set_status(store.save(THREAD, CommentInput("Léa", "lea@example.org", "Un.", "")).id,
                     "approved")  # fmt: skip
    runner = CliRunner()
    exported = runner.invoke(main, ["privacy", "export", "lea@example.org"])
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(exported.output)["comments"]) == 1
    deleted = runner.invoke(main, ["privacy", "delete", "lea@example.org"])
    assert deleted.exit_code == 0 and "1 anonymised" in deleted.output
    purged = runner.invoke(main, ["privacy", "purge", "--days", "30"])
    assert purged.exit_code == 0 and "purged" in purged.output


def test_workers_purge_once_a_day_between_them(redis_client, store, privacy, clock):
    import threading

    from moderation.models import ModelCache, ModelRegistry
    from moderation.policy import Policy
    from moderation.worker import Worker, run_sites

    old = save(store, clock, "old@example.org", status="pending", age_days=100)
    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    runs = []

    def make_worker(site):
        return Worker(redis_client, models=ModelCache(registry), policy=Policy(), name="w",
                      site=site)  # fmt: skip

    def housekeeping():
        runs.append(privacy.purge_daily(90))

    for _ in range(2):  # two workers, one after the other, the same day
        run_sites(make_worker, lambda: ["default"], threading.Event(), burst=True,
                  tasks=[(3600.0, housekeeping)])  # fmt: skip
    assert runs == [True, False]
    assert store.get(old).email == "" and store.get(old).status != "pending"
