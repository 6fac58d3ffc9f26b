import pytest

from moderation.queue import ReviewQueue
from moderation.store import CommentStore
from moderation.validation import CommentInput

pytestmark = pytest.mark.cluster

DATA = CommentInput(author="Léa", email="lea@example.org", body="Bonjour", url="")


@pytest.fixture
def store(redis_client, clock):
    return CommentStore(redis_client, clock=clock)


@pytest.fixture
def queue(redis_client):
    queue = ReviewQueue(redis_client)
    queue.ensure_group()
    return queue


def test_ensure_group_is_idempotent(queue):
    queue.ensure_group()
    queue.ensure_group()
    assert queue.length() == 0


def test_comments_saved_before_the_group_exists_are_still_read(redis_client, store):
    comment = store.save("t", DATA)
    queue = ReviewQueue(redis_client)
    queue.ensure_group()
    assert [entry.comment_id for entry in queue.read("w1")] == [comment.id]


def test_read_then_ack(queue, store):
    ids = [store.save("t", DATA).id for _ in range(3)]
    entries = queue.read("w1", count=10)
    assert [entry.comment_id for entry in entries] == ids
    assert queue.pending() == 3
    assert queue.read("w2") == []  # each entry goes to one consumer
    assert queue.ack([entry.entry_id for entry in entries]) == 3
    assert queue.pending() == 0


def test_entries_of_a_dead_consumer_are_reclaimed(queue, store):
    comment = store.save("t", DATA)
    assert [entry.comment_id for entry in queue.read("dies")] == [comment.id]
    assert queue.reclaim("survivor", min_idle_ms=60_000) == []  # not idle long enough
    reclaimed = queue.reclaim("survivor", min_idle_ms=0)
    assert [entry.comment_id for entry in reclaimed] == [comment.id]
    assert queue.ack([reclaimed[0].entry_id]) == 1
    assert queue.pending() == 0


def test_read_blocks_at_most_the_given_time(queue):
    assert queue.read("w1", block_ms=50) == []
