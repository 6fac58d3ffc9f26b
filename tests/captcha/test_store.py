import threading
import time

import pytest

from captcha import ChallengeStore, Expired, Used, Wrong, WrongThread
from tests.arith import solve

pytestmark = pytest.mark.cluster

THREAD = "a-thread"


@pytest.fixture
def store(redis_client, clock):
    return ChallengeStore(redis_client, ttl=600, clock=clock)


def test_issue_keeps_only_a_token_in_the_challenge(store, redis_client):
    challenge = store.issue(THREAD)
    assert len(challenge.token) >= 22  # ≥ 128 bits in URL-safe base64
    assert challenge.expires_in == 600
    answer = solve(challenge.question)
    assert str(answer) not in challenge.token or len(challenge.token) > 30
    assert not hasattr(challenge, "answer")
    key = store.key(challenge.token)
    assert 0 < redis_client.ttl(key) <= 600


def test_tokens_are_unique(store):
    assert len({store.issue(THREAD).token for _ in range(200)}) == 200


def test_the_right_answer_passes_once(store, clock):
    challenge = store.issue(THREAD)
    passed = store.check(challenge.token, THREAD, str(solve(challenge.question)))
    assert passed.thread == THREAD
    assert passed.issued_at == pytest.approx(clock.now)
    with pytest.raises(Used):
        store.check(challenge.token, THREAD, str(solve(challenge.question)))


def test_a_wrong_answer_burns_the_token(store):
    challenge = store.issue(THREAD)
    right = solve(challenge.question)
    with pytest.raises(Wrong):
        store.check(challenge.token, THREAD, str(right + 1))
    with pytest.raises(Used):
        store.check(challenge.token, THREAD, str(right))


@pytest.mark.parametrize("answer", ["abc", "", "-1", "1.5", None, [], {"a": 1}])
def test_a_non_number_is_a_wrong_answer(store, answer):
    challenge = store.issue(THREAD)
    with pytest.raises(Wrong):
        store.check(challenge.token, THREAD, answer)


def test_full_width_and_spaced_answers_pass(store):
    challenge = store.issue(THREAD)
    wide = "".join(chr(0xFF10 + int(d)) for d in str(solve(challenge.question)))
    store.check(challenge.token, THREAD, f"  {wide} ")


def test_an_expired_token_fails_even_with_the_right_answer(store, clock):
    challenge = store.issue(THREAD)
    clock.advance(601)
    with pytest.raises(Expired):
        store.check(challenge.token, THREAD, str(solve(challenge.question)))


def test_redis_forgets_the_answer_when_the_ttl_runs_out(redis_client, clock):
    store = ChallengeStore(redis_client, ttl=1, clock=clock)
    challenge = store.issue(THREAD)
    redis_client.pexpire(store.key(challenge.token), 1)  # let Redis expire it now
    time.sleep(0.02)
    with pytest.raises(Expired):
        store.check(challenge.token, THREAD, str(solve(challenge.question)))


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "bad token with spaces!!!", 12, None])
def test_unknown_or_malformed_tokens_are_expired(store, token):
    with pytest.raises(Expired):
        store.check(token, THREAD, "1")


def test_a_token_is_bound_to_its_thread(store):
    challenge = store.issue(THREAD)
    with pytest.raises(WrongThread):
        store.check(challenge.token, "another-thread", str(solve(challenge.question)))
    with pytest.raises(Used):
        store.check(challenge.token, THREAD, str(solve(challenge.question)))


def test_a_token_is_bound_to_its_namespace(store):
    challenge = store.issue(THREAD, namespace="site-a")
    assert "{site-a}" in store.key(challenge.token, "site-a")
    with pytest.raises(Expired):
        store.check(challenge.token, THREAD, str(solve(challenge.question)), namespace="site-b")
    store.check(challenge.token, THREAD, str(solve(challenge.question)), namespace="site-a")


def test_ten_parallel_right_answers_give_exactly_one_success(store):
    challenge = store.issue(THREAD)
    answer = str(solve(challenge.question))
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def submit() -> None:
        barrier.wait()
        try:
            store.check(challenge.token, THREAD, answer)
            outcomes.append("ok")
        except Used:
            outcomes.append("used")

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["used"] * 9


def test_questions_skip_the_append_only_file_but_answers_do_not(tmp_path):
    """A question costs no disk sync; it is lost in a crash (the reader gets
    another), while what its check writes is kept."""
    import redis as redis_module

    from captcha import ChallengeStore
    from moderation.redis_server import RedisServer

    def aof_bytes():
        return sum(f.stat().st_size for f in tmp_path.rglob("appendonly*") if f.is_file())

    with RedisServer(tmp_path, persistent=True) as server:
        client = redis_module.Redis(port=server.port, decode_responses=True)
        store = ChallengeStore(client)
        store.issue("t")  # scripts are loaded once: measure after that
        before = aof_bytes()
        issued = [store.issue("t") for _ in range(50)]
        assert aof_bytes() == before
        answer = client.get(store.key(issued[0].token)).split("|", 1)[0]
        store.check(issued[0].token, "t", answer)
        assert aof_bytes() > before  # the tombstone is persisted
        client.close()
