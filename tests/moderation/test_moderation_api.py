import threading

import pytest
from werkzeug.serving import make_server

from moderation.audit import AuditLog
from moderation.validation import CommentInput

API = "/api/v1/moderation"
DATA = CommentInput(author="Léa", email="lea@example.org", body="Bonjour", url="")


@pytest.fixture
def token(services):
    services.accounts.add("mod@example.org", "correct horse battery")
    return services.accounts.create_token("mod@example.org")


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


def in_review(services, count=1):
    ids = []
    for _ in range(count):
        services.comments.clock.advance(0.01)  # ids sort by time: keep them apart
        comment_id = services.comments.save("ministre-nord-coreen-moscou", DATA).id
        services.comments.set_status(comment_id, "review")
        ids.append(comment_id)
    return ids


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_a_valid_token_is_required(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(f"{API}/queue", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_queue_pages_through_a_status(client, services, auth):
    ids = in_review(services, 5)
    page = client.get(f"{API}/queue?status=review&limit=2", headers=auth).get_json()
    assert page["count"] == 5 and [item["id"] for item in page["items"]] == ids[:2]
    item = page["items"][0]
    assert item["email"] == "lea@example.org" and item["status"] == "review"
    assert "ip_hash" not in item
    rest = client.get(f"{API}/queue?limit=10&cursor={page['next']}", headers=auth).get_json()
    assert [item["id"] for item in rest["items"]] == ids[2:] and rest["next"] is None


@pytest.mark.parametrize("query", ["status=published", "limit=0", "cursor=bad"])
def test_bad_queue_parameters(client, auth, query):
    assert client.get(f"{API}/queue?{query}", headers=auth).status_code == 400


def test_each_decision_and_its_undo_publish_and_hide(client, services, auth):
    (comment_id,) = in_review(services)
    url = f"{API}/comments/{comment_id}/decision"
    response = client.post(url, json={"decision": "approve"}, headers=auth)
    assert response.status_code == 200
    assert response.get_json() == {"id": comment_id, "status": "approved", "previous": "review"}
    listed = client.get("/api/v1/threads/ministre-nord-coreen-moscou/comments").get_json()
    assert [c["id"] for c in listed["comments"]] == [comment_id]
    for decision, status in (("reject", "rejected"), ("spam", "spam"), ("review", "review")):
        response = client.post(url, json={"decision": decision}, headers=auth)
        assert response.get_json()["status"] == status
        listed = client.get("/api/v1/threads/ministre-nord-coreen-moscou/comments").get_json()
        assert listed["comments"] == []
    assert services.comments.count("review") == 1


def test_decision_errors(client, services, auth):
    (comment_id,) = in_review(services)
    url = f"{API}/comments/{comment_id}/decision"
    bad = client.post(url, json={"decision": "publish"}, headers=auth)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "decision"
    assert client.post(url, data="x", headers=auth).status_code == 400
    missing = client.post(f"{API}/comments/{'0' * 26}/decision", json={"decision": "spam"},
                          headers=auth)  # fmt: skip
    assert missing.status_code == 404
    stale = client.post(url, json={"decision": "spam", "expected": "pending"}, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"


def test_two_concurrent_decisions_one_wins_one_conflicts(app, services, auth):
    (comment_id,) = in_review(services)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    import http.client
    import json

    barrier = threading.Barrier(2)
    statuses = []

    def decide(decision):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        body = json.dumps({"decision": decision, "expected": "review"})
        barrier.wait()
        connection.request("POST", f"{API}/comments/{comment_id}/decision", body,
                           {**auth, "Content-Type": "application/json"})  # fmt: skip
        statuses.append(connection.getresponse().status)
        connection.close()

    try:
        workers = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "spam")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        server.shutdown()
    assert sorted(statuses) == [200, 409]
    decisions = [e for e in AuditLog(services.redis).entries() if e.fields.get("to")]
    assert len(decisions) == 1


def test_decisions_and_token_use_are_audited(client, services, auth, redis_client):
    (comment_id,) = in_review(services)
    redis_client.hset(services.comments.keys.comment(comment_id),
                      mapping={"score": "0.42", "model_version": "v3"})  # fmt: skip
    client.post(f"{API}/comments/{comment_id}/decision", json={"decision": "spam"}, headers=auth)
    log = AuditLog(redis_client)
    (decision,) = log.entries(comment=comment_id)
    assert decision.fields["moderator"] == "mod@example.org"
    assert (decision.fields["from"], decision.fields["to"]) == ("review", "spam")
    assert (decision.fields["score"], decision.fields["model_version"]) == ("0.42", "v3")
    assert decision.fields["via"] == "api"
    calls = [e for e in log.entries(moderator="mod@example.org") if e.fields.get("event") == "api"]
    assert calls and calls[0].fields["path"].endswith("/decision")


def test_the_api_moderates_a_registered_site(client, services, auth):
    services.sites.add("news", ["https://news.example.org"])
    store = services.store_for("news")
    comment_id = store.save("story-1", DATA).id
    store.set_status(comment_id, "review")
    page = client.get(f"{API}/queue?site=news", headers=auth).get_json()
    assert [item["id"] for item in page["items"]] == [comment_id]
    assert page["items"][0]["site"] == "news"
    response = client.post(f"{API}/comments/{comment_id}/decision?site=news",
                           json={"decision": "approve"}, headers=auth)  # fmt: skip
    assert response.status_code == 200 and store.status(comment_id) == "approved"
    assert client.get(f"{API}/queue?site=nope", headers=auth).status_code == 404


def test_queue_items_carry_the_reasons_for_their_score(client, services, auth, redis_client):
    from moderation.models import ModelCache, ModelRegistry
    from moderation.policy import Policy
    from moderation.worker import Worker

    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    services.comments.save("ministre-nord-coreen-moscou", DATA)
    Worker(redis_client, models=ModelCache(registry), policy=Policy(), name="w").run(burst=True)
    (item,) = client.get(f"{API}/queue?status=review", headers=auth).get_json()["items"]
    assert item["model_version"] == registry.active_version()
    assert item["features"] and all(len(reason) == 3 for reason in item["features"])
