"""Emptying the spam folder: older than N days or all, counted and audited;
the daily retention purge runs once a day."""

from moderation.audit import AuditLog
from moderation.spam_folder import DAY, SpamFolder
from moderation.store import CommentStore
from moderation.validation import CommentInput

SPAM = CommentInput(author="x", email="x@example.org", url="", body="Casino bonus !!!")


def spam(store, clock, count):
    ids = []
    for _ in range(count):
        comment_id = store.save("t", SPAM).id
        store.set_status(comment_id, "spam")
        ids.append(comment_id)
        clock.advance(1)
    return ids


def test_older_than_n_days_then_all(redis_client, clock):
    store = CommentStore(redis_client, clock=clock)
    old = spam(store, clock, 3)
    clock.advance(31 * DAY)
    recent = spam(store, clock, 2)
    kept = store.save("t", SPAM).id  # in review: never touched
    store.set_status(kept, "review")
    folder = SpamFolder(redis_client, clock=clock)
    assert folder.count_older(30) == 3
    assert folder.empty(30, "mod@example.org") == 3
    assert [store.get(i) for i in old] == [None] * 3
    assert all(store.get(i).status == "spam" for i in recent)
    assert folder.empty(0, "mod@example.org") == 2
    assert store.count("spam") == 0 and store.get(kept).status == "review"
    entries = [e.fields for e in AuditLog(redis_client).entries() if e.fields.get("event")]
    assert [(e["event"], e["count"], e["older_than_days"]) for e in entries[:2]] == [
        ("spam_emptied", "2", "0"), ("spam_emptied", "3", "30")]


def test_the_retention_purge_runs_once_a_day(redis_client, clock):
    store = CommentStore(redis_client, clock=clock)
    spam(store, clock, 2)
    clock.advance(8 * DAY)
    folder = SpamFolder(redis_client, clock=clock)
    assert not folder.purge_daily(0)  # off
    assert folder.purge_daily(7)
    assert store.count("spam") == 0
    spam(store, clock, 1)
    clock.advance(8 * DAY)
    assert not folder.purge_daily(7)  # the lock holds for the day (Redis's own clock)
    assert store.count("spam") == 1
