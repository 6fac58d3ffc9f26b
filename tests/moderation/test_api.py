import json
import threading

import pytest
from werkzeug.serving import make_server

from moderation.validation import AUTHOR_MAX, BODY_MAX, CommentInput
from tests.arith import solve
from tests.conftest import THREAD
from tests.moderation.reader import API, challenge, comment_payload, post

pytestmark = pytest.mark.cluster


def stored_comment_keys(redis_client):
    return list(redis_client.scan_iter("comment:*"))


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"}
    return body["error"]


# --- challenge -------------------------------------------------------------


def test_challenge_shape(client):
    response = client.get(f"{API}/challenge?thread={THREAD}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "question", "expires_in"}
    assert body["expires_in"] == 600
    assert solve(body["question"]) >= 0
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [("", 400, "required"), ("?thread=", 400, "required"),
     ("?thread=Bad%20Thread", 400, "invalid_thread"),
     ("?thread=no-such-article", 404, "thread_not_found")],
)  # fmt: skip
def test_challenge_needs_a_known_thread(client, query, status, code):
    response = client.get(f"{API}/challenge{query}")
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code and error["field"] == "thread"


# --- posting ---------------------------------------------------------------


def test_a_right_answer_stores_a_pending_comment_and_queues_it(client, services, redis_client):
    response = post(client, comment_payload(client, url="example.org"))
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending"
    assert set(body) == {"id", "status", "edit_key", "edit_until"}  # the key: issue 18
    assert response.headers["Location"] == f"{API}/comments/{body['id']}"

    comment = services.comments.get(body["id"])
    assert comment.status == "pending"
    assert comment.thread == THREAD
    assert comment.email == "camille@example.org"
    assert comment.url == "https://example.org"
    assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash
    assert "127.0.0.1" not in json.dumps(
        redis_client.hgetall(services.comments.keys.comment(body["id"]))
    )
    entries = services.queue.read("test-consumer")
    assert [entry.comment_id for entry in entries] == [body["id"]]


def test_status_of_a_comment(client):
    comment_id = post(client, comment_payload(client)).get_json()["id"]
    response = client.get(f"{API}/comments/{comment_id}")
    assert response.status_code == 200
    assert response.get_json() == {"id": comment_id, "status": "pending", "thread": THREAD}


@pytest.mark.parametrize("comment_id", ["nope", "0" * 26, "Z" * 40])
def test_unknown_comment_status_is_404(client, comment_id):
    response = client.get(f"{API}/comments/{comment_id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "comment_not_found"


def test_a_wrong_answer_is_403_and_stores_nothing(client, redis_client):
    payload = comment_payload(client)
    payload["captcha"]["answer"] = str(int(payload["captcha"]["answer"]) + 1)
    response = post(client, payload)
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "captcha_wrong" and error["field"] == "captcha.answer"
    assert stored_comment_keys(redis_client) == []
    # The wrong answer burnt the token: the right one no longer works.
    payload["captcha"]["answer"] = str(int(payload["captcha"]["answer"]) - 1)
    assert error_of(post(client, payload))["code"] == "captcha_used"


def test_a_replayed_token_is_refused(client, redis_client):
    payload = comment_payload(client)
    assert post(client, payload).status_code == 202
    response = post(client, payload)
    assert response.status_code == 403
    assert error_of(response)["code"] == "captcha_used"
    assert len(stored_comment_keys(redis_client)) == 1


def test_an_expired_token_is_refused(client, clock, redis_client):
    payload = comment_payload(client)
    clock.advance(601)
    response = post(client, payload)
    assert response.status_code == 403
    assert error_of(response)["code"] == "captcha_expired"
    assert stored_comment_keys(redis_client) == []


def test_a_token_from_another_thread_is_refused(make_app, tmp_path, redis_client):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "autre.md").write_text(
        "---\nslug: autre-article\ntitle: Autre\ndate: 2024-01-01T00:00:00+00:00\n"
        "lang: fr\n---\nTexte.\n"
    )
    client = make_app(ARTICLES_DIR=str(articles)).test_client()
    payload = comment_payload(client, thread="autre-article")
    response = post(client, payload, thread=THREAD)
    assert response.status_code == 403
    assert error_of(response)["code"] == "captcha_thread"
    assert stored_comment_keys(redis_client) == []


def test_an_unknown_token_is_expired(client):
    payload = comment_payload(client)
    payload["captcha"]["token"] = "A" * 32
    assert error_of(post(client, payload))["code"] == "captcha_expired"


def test_full_width_answer_is_accepted(client):
    payload = comment_payload(client)
    wide = "".join(chr(0xFF10 + int(d)) for d in payload["captcha"]["answer"])
    payload["captcha"]["answer"] = f" {wide} "
    assert post(client, payload).status_code == 202


def test_a_numeric_json_answer_is_accepted(client):
    payload = comment_payload(client)
    payload["captcha"]["answer"] = int(payload["captcha"]["answer"])
    assert post(client, payload).status_code == 202


# --- input rules -----------------------------------------------------------

BAD_FIELDS = [
    ({"author": ""}, "author", "required"),
    ({"author": "   "}, "author", "required"),
    ({"author": "x" * (AUTHOR_MAX + 1)}, "author", "too_long"),
    ({"author": "Bob\x07"}, "author", "invalid_character"),
    ({"author": "Bob\nSmith"}, "author", "invalid_character"),
    ({"email": ""}, "email", "required"),
    ({"email": "not-an-address"}, "email", "invalid_email"),
    ({"email": "a@b@c.org"}, "email", "invalid_email"),
    ({"url": "javascript:alert(1)"}, "url", "invalid_url"),
    ({"url": "ftp://example.org"}, "url", "invalid_url"),
    ({"url": "data:text/html,<b>x</b>"}, "url", "invalid_url"),
    ({"url": "http://"}, "url", "invalid_url"),
    ({"body": ""}, "body", "required"),
    ({"body": " \n\t "}, "body", "required"),
    ({"body": "x" * (BODY_MAX + 1)}, "body", "too_long"),
    ({"body": "bonjour\x00"}, "body", "invalid_character"),
    ({"body": "bonjour\x1b[31m"}, "body", "invalid_character"),
    ({"body": "bonjour\ud800"}, "body", "invalid_character"),
    ({"author": 12}, "author", "invalid_type"),
    ({"email": ["a@b.org"]}, "email", "invalid_type"),
    ({"body": {"text": "x"}}, "body", "invalid_type"),
    ({"url": 5}, "url", "invalid_type"),
    ({"captcha": "12"}, "captcha", "required"),
    ({"captcha": {"answer": "1"}}, "captcha.token", "required"),
    ({"captcha": {"token": "A" * 32, "answer": [1]}}, "captcha.answer", "invalid_type"),
    ({"captcha": {"token": "A" * 32, "answer": True}}, "captcha.answer", "invalid_type"),
]


@pytest.mark.parametrize(("fields", "field", "code"), BAD_FIELDS)
def test_bad_input_is_400_naming_the_field(client, redis_client, fields, field, code):
    payload = comment_payload(client)
    payload.update(fields)
    response = post(client, payload)
    assert response.status_code == 400, response.get_json()
    error = error_of(response)
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"]
    assert stored_comment_keys(redis_client) == []


def test_bad_input_does_not_burn_the_answer(client):
    payload = comment_payload(client, email="nope")
    assert post(client, payload).status_code == 400
    payload["email"] = "camille@example.org"
    assert post(client, payload).status_code == 202


def test_body_limits_are_counted_after_trimming(client):
    assert (
        post(client, comment_payload(client, body="  " + "é" * BODY_MAX + "\n\n")).status_code
        == 202
    )


def test_newlines_and_tabs_are_kept(client, services):
    response = post(client, comment_payload(client, body="ligne 1\r\n\tligne 2"))
    assert services.comments.get(response.get_json()["id"]).body == "ligne 1\n\tligne 2"


def raw_post(client, data, content_type="application/json"):
    return client.post(f"{API}/threads/{THREAD}/comments", data=data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (b'{"author": "x"', "application/json", 400, "invalid_json"),
        (b"\xff\xfe{}", "application/json", 400, "invalid_utf8"),
        (b"[1, 2]", "application/json", 400, "invalid_json"),
        (b'"text"', "application/json", 400, "invalid_json"),
        (b"", "application/json", 400, "invalid_json"),
        (b"[" * 30_000 + b"]" * 30_000, "application/json", 400, "invalid_json"),
        (b"author=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b"{}", "text/plain", 415, "unsupported_media_type"),
        (b"{}", None, 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies(client, redis_client, data, content_type, status, code):
    response = raw_post(client, data, content_type)
    assert response.status_code == status
    assert error_of(response)["code"] == code
    assert stored_comment_keys(redis_client) == []


def test_json_with_charset_is_accepted(client):
    data = json.dumps(comment_payload(client)).encode()
    assert raw_post(client, data, "application/json; charset=utf-8").status_code == 202


def test_a_body_over_64_kb_is_413(client, redis_client):
    payload = comment_payload(client, body="x" * (70 * 1024))
    response = post(client, payload)
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    assert stored_comment_keys(redis_client) == []


def test_posting_to_an_unknown_thread_is_404(client):
    response = post(client, comment_payload(client), thread="no-such-article")
    assert response.status_code == 404
    assert error_of(response)["code"] == "thread_not_found"


def test_unknown_api_routes_and_methods_answer_json(client):
    response = client.get(f"{API}/nothing-here")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    response = client.delete(f"{API}/threads/{THREAD}/comments")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


# --- reading ---------------------------------------------------------------


def test_only_approved_comments_are_listed_oldest_first_without_private_fields(
    client, services, clock
):
    ids = []
    for index in range(4):
        clock.advance(1)
        ids.append(
            post(client, comment_payload(client, body=f"commentaire {index}")).get_json()["id"]
        )
    services.comments.set_status(ids[2], "approved")
    services.comments.set_status(ids[0], "approved")
    services.comments.set_status(ids[3], "spam")
    response = client.get(f"{API}/threads/{THREAD}/comments")
    assert response.status_code == 200
    body = response.get_json()
    assert [c["id"] for c in body["comments"]] == [ids[0], ids[2]]
    assert body["next"] is None
    first = body["comments"][0]
    assert set(first) == {"id", "thread", "author", "url", "body", "created_at"}
    assert first["body"] == "commentaire 0"
    assert first["created_at"].endswith("Z")
    assert "camille@example.org" not in response.get_data(as_text=True)


def test_listing_pages_with_a_cursor(client, services, clock):
    ids = []
    for index in range(5):
        clock.advance(1)
        comment_id = post(client, comment_payload(client, body=f"c{index}")).get_json()["id"]
        services.comments.set_status(comment_id, "approved")
        ids.append(comment_id)
    page = client.get(f"{API}/threads/{THREAD}/comments?limit=2").get_json()
    assert [c["id"] for c in page["comments"]] == ids[:2]
    page = client.get(f"{API}/threads/{THREAD}/comments?limit=2&after={page['next']}").get_json()
    assert [c["id"] for c in page["comments"]] == ids[2:4]
    page = client.get(f"{API}/threads/{THREAD}/comments?limit=2&after={page['next']}").get_json()
    assert [c["id"] for c in page["comments"]] == ids[4:] and page["next"] is None


@pytest.mark.parametrize(
    ("query", "field"), [("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"),
                         ("after=bad", "after")]
)  # fmt: skip
def test_bad_listing_parameters(client, query, field):
    response = client.get(f"{API}/threads/{THREAD}/comments?{query}")
    assert response.status_code == 400 and error_of(response)["field"] == field


def test_an_approved_comment_status_carries_its_public_fields(client, services):
    comment_id = post(client, comment_payload(client)).get_json()["id"]
    services.comments.set_status(comment_id, "approved")
    body = client.get(f"{API}/comments/{comment_id}").get_json()
    assert body["status"] == "approved" and body["author"] == "Camille"
    assert "email" not in body


# --- Redis down, seen from a registered site ----------------------------------


def test_a_registered_site_gets_503_not_500_while_redis_is_down(outage_app, own_redis):
    # The CORS hook looked the origin up again after the 503 and failed with a 500.
    outage_app.extensions["moderation"].sites.add("partner", ["https://partner.example"])
    own_redis.stop()
    client = outage_app.test_client()
    partner = {"Origin": "https://partner.example"}
    responses = [
        client.get(f"{API}/origin", headers=partner),
        client.get(f"{API}/challenge?thread=dossier-1", headers=partner),
        client.get(f"{API}/threads/dossier-1/comments", headers=partner),
        client.get(f"{API}/comments/{'0' * 26}", headers=partner),
        client.post(f"{API}/threads/dossier-1/comments", json={}, headers=partner),
        client.options(f"{API}/threads/dossier-1/comments", headers=partner),
    ]
    for response in responses[:-1]:
        assert response.status_code == 503
        assert error_of(response)["code"] == "store_unavailable"
        # The origin cannot be checked: no grant.
        assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in responses[-1].headers


# --- concurrency over real HTTP ----------------------------------------------


def test_ten_parallel_posts_of_one_token_store_exactly_one_comment(app, redis_client):
    import http.client

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        issued = challenge(app.test_client())
        payload = json.dumps({
            "author": "Camille", "email": "camille@example.org", "body": "Course",
            "captcha": {"token": issued["token"], "answer": str(solve(issued["question"]))},
        })  # fmt: skip
        barrier = threading.Barrier(10)
        statuses: list[int] = []

        def submit() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            barrier.wait()
            connection.request(
                "POST",
                f"{API}/threads/{THREAD}/comments",
                payload,
                {"Content-Type": "application/json"},
            )
            statuses.append(connection.getresponse().status)
            connection.close()

        workers = [threading.Thread(target=submit) for _ in range(10)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        server.shutdown()
    assert sorted(statuses) == [202] + [403] * 9
    assert len(stored_comment_keys(redis_client)) == 1


# --- cached pages of published comments -------------------------------------


def test_published_pages_revalidate_with_their_etag(client, services, clock):
    first = services.comments.save(THREAD, CommentInput("A", "a@example.org", "Un.", ""))
    services.comments.set_status(first.id, "approved")
    url = f"{API}/threads/{THREAD}/comments"
    response = client.get(url)
    tag = response.headers["ETag"]
    assert response.headers["Cache-Control"] == "public, max-age=10, stale-while-revalidate=60"
    assert [c["id"] for c in response.get_json()["comments"]] == [first.id]

    unchanged = client.get(url, headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == tag
    assert client.get(f"{url}?limit=5", headers={"If-None-Match": tag}).status_code == 200

    # A comment saved or rejected does not change the published page...
    clock.advance(0.01)  # ids sort by time
    other = services.comments.save(THREAD, CommentInput("B", "b@example.org", "Deux.", ""))
    services.comments.set_status(other.id, "rejected")
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    # ...publishing one does, and so does unpublishing.
    services.comments.set_status(other.id, "approved")
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert [c["id"] for c in changed.get_json()["comments"]] == [first.id, other.id]
    services.comments.set_status(first.id, "spam")
    assert [c["id"] for c in client.get(url).get_json()["comments"]] == [other.id]


def test_a_page_is_served_from_memory_until_the_list_changes(client, services, redis_client):
    comment = services.comments.save(THREAD, CommentInput("A", "a@example.org", "Un.", ""))
    services.comments.set_status(comment.id, "approved")
    url = f"{API}/threads/{THREAD}/comments"
    before = client.get(url).get_json()
    # Edit the hash behind the store's back: the cached page does not see it...
    redis_client.hset(services.comments.keys.comment(comment.id), "body", "Modifié")
    assert client.get(url).get_json() == before
    # ...until the list's version moves.
    redis_client.incr(services.comments.keys.approved_version(THREAD))
    assert client.get(url).get_json()["comments"][0]["body"] == "Modifié"
