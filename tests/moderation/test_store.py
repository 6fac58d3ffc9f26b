import pytest
import redis
from redis.crc import key_slot

from moderation.keys import SiteKeys
from moderation.store import (
    CommentNotFound,
    CommentStore,
    StatusConflict,
    is_comment_id,
    new_comment_id,
)
from moderation.validation import CommentInput

pytestmark = pytest.mark.cluster

DATA = CommentInput(author="Léa", email="lea@example.org", body="Bonjour", url="")


@pytest.fixture
def store(redis_client, clock):
    return CommentStore(redis_client, clock=clock)


def test_ids_are_unique_url_safe_and_sort_by_time():
    ids = [new_comment_id(1_700_000_000 + index / 1000) for index in range(1000)]
    assert len(set(ids)) == 1000
    assert ids == sorted(ids)
    assert all(is_comment_id(comment_id) for comment_id in ids)


def test_save_writes_the_comment_and_its_queue_entry_together(store, redis_client):
    comment = store.save("t", DATA, ip_hash="abc", user_agent="UA/1")
    fields = redis_client.hgetall(store.keys.comment(comment.id))
    assert fields["status"] == "pending" and fields["email"] == "lea@example.org"
    assert "id" not in fields and "UA/1" not in fields.values()  # key: id; agents: once
    entries = redis_client.xrange(store.keys.queue)
    assert [entry[1] for entry in entries] == [{"comment": comment.id}]
    assert store.get(comment.id) == comment
    assert store.user_agent(comment) == "UA/1"
    again = store.save("t", DATA, user_agent="UA/1")
    assert store.get(again.id).agent == comment.agent
    assert redis_client.hlen(store.keys.agents) == 1


def test_keys_of_one_site_share_a_cluster_slot():
    news, other = SiteKeys("news"), SiteKeys("other")
    slots = {key_slot(key.encode()) for key in (news.comment("X"), news.approved("t"), news.queue)}
    assert len(slots) == 1
    assert key_slot(other.queue.encode()) not in slots


def test_a_failed_save_leaves_nothing_half_written(store, redis_client):
    redis_client.set(store.keys.queue, "not a stream")
    with pytest.raises(redis.ResponseError):
        store.save("t", DATA)
    assert list(redis_client.scan_iter("comment:*")) == []


def test_set_status_maintains_the_approved_index(store, redis_client):
    comment = store.save("t", DATA)
    assert store.set_status(comment.id, "approved") == "pending"
    assert [c.id for c in store.approved("t")[0]] == [comment.id]
    assert store.set_status(comment.id, "spam") == "approved"
    assert store.approved("t") == ([], None)
    assert store.status(comment.id) == "spam"


def test_compare_and_set_refuses_a_stale_expectation(store):
    comment = store.save("t", DATA)
    store.set_status(comment.id, "review", expected="pending")
    with pytest.raises(StatusConflict) as caught:
        store.set_status(comment.id, "approved", expected="pending")
    assert caught.value.current == "review"
    assert store.status(comment.id) == "review"


def test_unknown_comments_and_statuses(store):
    with pytest.raises(CommentNotFound):
        store.set_status("0" * 26, "approved")
    with pytest.raises(CommentNotFound):
        store.set_status("not-an-id", "approved")
    comment = store.save("t", DATA)
    with pytest.raises(ValueError, match="unknown status"):
        store.set_status(comment.id, "published")
    assert store.get("0" * 26) is None and store.get("../etc") is None


def test_sites_do_not_see_each_other(redis_client, clock):
    one = CommentStore(redis_client, site="one", clock=clock)
    two = CommentStore(redis_client, site="two", clock=clock)
    comment = one.save("t", DATA)
    one.set_status(comment.id, "approved")
    assert two.get(comment.id) is None
    assert two.approved("t") == ([], None)


@pytest.fixture
def challenges(redis_client, clock):
    from captcha import ChallengeStore

    return ChallengeStore(redis_client, clock=clock)


def answer_of(redis_client, challenges, token):
    return redis_client.get(challenges.key(token)).split("|", 1)[0]


def test_submit_checks_the_answer_and_saves_in_one_script(store, challenges, redis_client):
    issued = challenges.issue("t")
    key = challenges.key_for(issued.token)
    answer = answer_of(redis_client, challenges, issued.token)
    submission = store.submit("t", DATA, challenge_key=key, answer=answer)
    assert submission.outcome == "saved" and store.get(submission.comment.id) is not None
    assert [entry[1] for entry in redis_client.xrange(store.keys.queue)] == [
        {"comment": submission.comment.id}
    ]
    again = store.submit("t", DATA, challenge_key=key, answer=answer)
    assert again.outcome == "used" and again.comment is None
    assert store.count("pending") == 1
    assert key_slot(key.encode()) == key_slot(store.keys.queue.encode())


@pytest.mark.parametrize(
    ("thread", "answer", "outcome"),
    [("t", "wrong", "wrong"), ("t", "-1", "wrong"), ("other", None, "thread")],
)
def test_submit_refusals_burn_the_token_and_store_nothing(
    store, challenges, redis_client, thread, answer, outcome
):
    issued = challenges.issue("t")
    key = challenges.key_for(issued.token)
    right = answer_of(redis_client, challenges, issued.token)
    submission = store.submit(thread, DATA, challenge_key=key, answer=answer or right)
    assert submission.outcome == outcome
    assert store.submit("t", DATA, challenge_key=key, answer=right).outcome == "used"
    assert list(redis_client.scan_iter("comment:*")) == []


def test_submit_refuses_an_expired_answer(store, challenges, redis_client, clock):
    issued = challenges.issue("t")
    right = answer_of(redis_client, challenges, issued.token)
    clock.advance(challenges.ttl + 1)
    key = challenges.key_for(issued.token)
    assert store.submit("t", DATA, challenge_key=key, answer=right).outcome == "expired"


def test_submit_springs_the_traps_in_the_same_script(store, challenges, redis_client, clock):
    issued = challenges.issue("t")
    right = answer_of(redis_client, challenges, issued.token)
    clock.advance(1)
    submission = store.submit("t", DATA, challenge_key=challenges.key_for(issued.token),
                              answer=right, honeypot=True, min_fill_seconds=3)  # fmt: skip
    assert submission.outcome == "trapped" and submission.traps == ["honeypot", "too_fast"]
    assert redis_client.hgetall(store.keys.traps) == {"honeypot": "1", "too_fast": "1"}
    assert list(redis_client.scan_iter("comment:*")) == []


def test_a_failed_submit_leaves_the_token_and_nothing_else(store, challenges, redis_client):
    issued = challenges.issue("t")
    key = challenges.key_for(issued.token)
    right = answer_of(redis_client, challenges, issued.token)
    redis_client.set(store.keys.queue, "not a stream")
    with pytest.raises(redis.ResponseError):
        store.submit("t", DATA, challenge_key=key, answer=right)
    assert list(redis_client.scan_iter("comment:*")) == []
    assert redis_client.get(key).startswith(right + "|")  # not burnt: the reader may retry
