import re
import threading

import pytest

from moderation import bot_traps
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, post

PAGE = f"/articles/{THREAD}"


@pytest.fixture
def strict_app(make_app):
    return make_app(MIN_FILL_SECONDS=3)


def stored(redis_client):
    return list(redis_client.scan_iter("comment:*"))


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, redis_client):
    response = post(client, comment_payload(client, homepage="https://spam.example"))
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending" and len(body["id"]) == 26
    assert response.headers["Location"].endswith(body["id"])
    assert stored(redis_client) == []
    assert bot_traps.counts(redis_client, "default") == {"honeypot": 1}


def test_an_answer_faster_than_a_person_is_dropped(strict_app, clock, redis_client):
    client = strict_app.test_client()
    payload = comment_payload(client)
    clock.advance(1)
    assert post(client, payload).status_code == 202
    assert stored(redis_client) == []
    payload = comment_payload(client)
    clock.advance(4)
    assert post(client, payload).status_code == 202
    assert len(stored(redis_client)) == 1
    assert bot_traps.counts(redis_client, "default") == {"too_fast": 1}


def test_both_traps_are_counted(strict_app, redis_client):
    client = strict_app.test_client()
    post(client, comment_payload(client, homepage="x"))
    assert bot_traps.counts(redis_client, "default") == {"honeypot": 1, "too_fast": 1}


def test_the_form_has_a_hidden_honeypot(client):
    html = client.get(PAGE).get_data(as_text=True)
    trap = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S)
    assert trap
    field = re.search(r"<input[^>]*name=\"homepage\"[^>]*>", trap.group(0)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_the_form_drops_a_bot_with_the_usual_answer(client, redis_client):
    html = client.get(PAGE).get_data(as_text=True)
    response = client.post(PAGE, data=form_data(html, homepage="http://bot.example"))
    assert response.status_code == 303
    assert "en attente de modération" in client.get(PAGE).get_data(as_text=True)
    assert stored(redis_client) == []
    assert bot_traps.counts(redis_client, "default") == {"honeypot": 1}


def test_the_form_drops_a_hurried_answer(strict_app, clock, redis_client):
    client = strict_app.test_client()
    html = client.get(PAGE).get_data(as_text=True)
    assert client.post(PAGE, data=form_data(html)).status_code == 303
    assert stored(redis_client) == []
    html = client.get(PAGE).get_data(as_text=True)
    clock.advance(10)
    assert client.post(PAGE, data=form_data(html)).status_code == 303
    assert len(stored(redis_client)) == 1


def test_too_many_wrong_answers_stop_new_questions(make_app, redis_client):
    app = make_app(WRONG_ANSWERS_LIMIT=3, WRONG_ANSWERS_WINDOW=600)
    client = app.test_client()
    for _ in range(3):
        payload = comment_payload(client)
        payload["captcha"]["answer"] = str(int(payload["captcha"]["answer"]) + 1)
        assert post(client, payload).status_code == 403
    refused = client.get(f"/api/v1/challenge?thread={THREAD}")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_wrong_answers"
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    page = client.get(PAGE)
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert (
        "Trop de mauvaises réponses" in html
        and 'name="captcha_token" type="hidden" value=""' in html
    )
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    assert other.get(f"/api/v1/challenge?thread={THREAD}").status_code == 200


def test_wrong_answers_on_the_form_count_too(make_app):
    app = make_app(WRONG_ANSWERS_LIMIT=2)
    client = app.test_client()
    for _ in range(2):
        html = client.get(PAGE).get_data(as_text=True)
        data = form_data(html)
        data["captcha"] = str(int(data["captcha"]) + 1)
        assert client.post(PAGE, data=data).status_code in {403, 429}
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 429


# The lock-out refuses answers, not only new questions (issue 14).


def wrong(payload):
    payload["captcha"]["answer"] = str(int(payload["captcha"]["answer"]) + 1)
    return payload


@pytest.fixture
def locking_app(make_app):
    return make_app(WRONG_ANSWERS_LIMIT=3, WRONG_ANSWERS_WINDOW=600)


def test_the_lock_out_refuses_a_question_fetched_before_it_on_the_api(locking_app, redis_client):
    client = locking_app.test_client()
    kept = [comment_payload(client, email=f"k{n}@example.org") for n in range(2)]
    html = client.get(PAGE).get_data(as_text=True)  # one fetched through the page, too
    for _ in range(3):
        assert post(client, wrong(comment_payload(client))).status_code == 403
    for payload in kept:  # right answers to questions issued before the lock
        refused = post(client, payload)
        assert refused.status_code == 429
        error = refused.get_json()["error"]
        assert error["code"] == "too_many_wrong_answers" and error["message"]
        assert 0 < int(refused.headers["Retry-After"]) <= 600
    from_page = form_data(html)
    payload = {**kept[0], "captcha": {"token": from_page["captcha_token"],
                                      "answer": from_page["captcha"]}}  # fmt: skip
    assert post(client, payload).status_code == 429
    assert stored(redis_client) == []


def test_the_lock_out_refuses_a_question_fetched_before_it_on_the_form(locking_app, redis_client):
    client = locking_app.test_client()
    kept = client.get(PAGE).get_data(as_text=True)
    for _ in range(3):
        assert post(client, wrong(comment_payload(client))).status_code == 403
    response = client.post(PAGE, data=form_data(kept, body="Une réponse juste, mais trop tard."))
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Trop de mauvaises réponses" in html
    assert "Une réponse juste, mais trop tard." in html  # the reader's text is kept
    assert 'name="captcha_token" type="hidden" value=""' in html
    assert stored(redis_client) == []


def test_answers_sent_all_at_once_are_counted_before_they_are_checked(locking_app, redis_client):
    payloads = [wrong(comment_payload(locking_app.test_client())) for _ in range(8)]
    start = threading.Barrier(len(payloads))
    statuses = []

    def send(payload):
        client = locking_app.test_client()
        start.wait()
        statuses.append(post(client, payload).status_code)

    workers = [threading.Thread(target=send, args=(payload,)) for payload in payloads]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(statuses) == [403] * 3 + [429] * 5
    (counter,) = redis_client.scan_iter("wrong:*")
    assert redis_client.get(counter) == "3"


def test_a_right_answer_does_not_count_towards_the_lock_out(locking_app, redis_client):
    client = locking_app.test_client()
    for _ in range(2):
        assert post(client, wrong(comment_payload(client))).status_code == 403
    for n in range(3):
        assert post(client, comment_payload(client, email=f"ok{n}@example.org")).status_code == 202
    html = client.get(PAGE).get_data(as_text=True)
    assert client.post(PAGE, data=form_data(html)).status_code == 303
    assert post(client, wrong(comment_payload(client))).status_code == 403
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 429


def test_wrong_answers_keep_counting_across_midnight(locking_app, clock):
    client = locking_app.test_client()
    clock.now = (clock.now // 86400 + 1) * 86400 - 30  # 23:59:30 UTC
    for _ in range(2):
        assert post(client, wrong(comment_payload(client))).status_code == 403
    kept = comment_payload(client)
    clock.advance(60)  # past midnight: the daily IP hash has changed
    html = client.get(PAGE).get_data(as_text=True)
    data = form_data(html)
    data["captcha"] = str(int(data["captcha"]) + 1)
    assert client.post(PAGE, data=data).status_code in {403, 429}
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 429
    assert post(client, kept).status_code == 429
