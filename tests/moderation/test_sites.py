import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.queue import ReviewQueue
from moderation.sites import SiteError, SiteRegistry, normalise_origin
from tests.arith import solve

NEWS = "https://news.example.org"
API = "/api/v1"


@pytest.mark.parametrize(
    ("raw", "origin"),
    [("https://News.Example.org", NEWS), ("https://news.example.org:443/", NEWS),
     ("http://localhost:8080", "http://localhost:8080"), ("http://[::1]:81", "http://[::1]:81")],
)  # fmt: skip
def test_origins_are_normalised(raw, origin):
    assert normalise_origin(raw) == origin


@pytest.mark.parametrize(
    "raw", ["news.example.org", "ftp://x.org", "https://x.org/path", "https://u:p@x.org", "*"]
)
def test_bad_origins_are_refused(raw):
    with pytest.raises(SiteError):
        normalise_origin(raw)


def test_registry(redis_client):
    sites = SiteRegistry(redis_client)
    sites.add("news", [NEWS, "https://www.example.org"])
    assert sites.site_for_origin("https://NEWS.example.org") == "news"
    assert sites.site_for_origin("https://evil.example") is None
    with pytest.raises(SiteError, match="already belongs"):
        sites.add("other", [NEWS])
    sites.add("news", ["https://www.example.org"])  # replacing drops the old origin
    assert sites.site_for_origin(NEWS) is None
    assert sites.names() == ["default", "news"]
    sites.remove("news")
    assert sites.site_for_origin("https://www.example.org") is None
    with pytest.raises(SiteError):
        sites.add("default", [NEWS])


def test_cli(redis_server, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    runner = CliRunner()
    result = runner.invoke(main, ["site", "add", "news", "--origin", NEWS])
    assert result.exit_code == 0, result.output
    assert NEWS in runner.invoke(main, ["site", "list"]).output
    assert runner.invoke(main, ["site", "add", "x", "--origin", "nope"]).exit_code == 1
    assert runner.invoke(main, ["site", "remove", "news"]).exit_code == 0
    assert runner.invoke(main, ["site", "remove", "news"]).exit_code == 1


@pytest.fixture
def news(services):
    services.sites.add("news", [NEWS])
    return {"Origin": NEWS}


def post_from(client, headers, thread="story-42", **fields):
    issued = client.get(f"{API}/challenge?thread={thread}", headers=headers)
    assert issued.status_code == 200, issued.get_json()
    body = issued.get_json()
    payload = {"author": "Ana", "email": "ana@example.org", "body": "Bonjour",
               "captcha": {"token": body["token"], "answer": solve(body["question"])}}  # fmt: skip
    payload.update(fields)
    return client.post(f"{API}/threads/{thread}/comments", json=payload, headers=headers)


def test_a_registered_origin_gets_its_own_origin_echoed(client, news):
    response = client.get(f"{API}/challenge?thread=story-42", headers=news)
    assert response.headers["Access-Control-Allow-Origin"] == NEWS
    assert "Origin" in response.headers["Vary"]
    preflight = client.options(f"{API}/threads/story-42/comments", headers={
        **news, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == NEWS
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    # X-Edit-Key: the author's edits and deletions from the widget (issue 18).
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type, X-Edit-Key"


def test_an_unregistered_origin_gets_no_grant_and_cannot_post(client, news, redis_client):
    evil = {"Origin": "https://evil.example"}
    listing = client.get(f"{API}/threads/story-42/comments", headers=evil)
    assert "Access-Control-Allow-Origin" not in listing.headers
    assert listing.status_code == 403
    preflight = client.options(f"{API}/threads/story-42/comments", headers={
        **evil, "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert "Access-Control-Allow-Origin" not in preflight.headers
    # A token obtained legitimately cannot be spent from another origin.
    token = client.get(f"{API}/challenge?thread=story-42", headers=news).get_json()
    response = client.post(f"{API}/threads/story-42/comments", headers=evil, json={
        "author": "x", "email": "x@example.org", "body": "x",
        "captcha": {"token": token["token"], "answer": solve(token["question"])}})  # fmt: skip
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "origin_not_allowed"
    assert list(redis_client.scan_iter("comment:*")) == []


def test_a_site_has_its_own_threads_and_keys(client, services, news, redis_client):
    response = post_from(client, news)
    assert response.status_code == 202
    comment_id = response.get_json()["id"]
    assert redis_client.exists(f"comment:{{news}}:{comment_id}")
    assert not redis_client.exists(f"comment:{{default}}:{comment_id}")
    status = client.get(f"{API}/comments/{comment_id}", headers=news)
    assert status.get_json()["status"] == "pending"
    assert client.get(f"{API}/comments/{comment_id}").status_code == 404  # not ours
    services.store_for("news").set_status(comment_id, "approved")
    listed = client.get(f"{API}/threads/story-42/comments", headers=news).get_json()
    assert [c["id"] for c in listed["comments"]] == [comment_id]
    assert client.get(f"{API}/threads/story-42/comments").status_code == 404  # no such article


def test_a_token_is_bound_to_its_site(client, news):
    issued = client.get(f"{API}/challenge?thread=ministre-nord-coreen-moscou").get_json()
    response = client.post(f"{API}/threads/ministre-nord-coreen-moscou/comments", headers=news,
                           json={"author": "x", "email": "x@example.org", "body": "x",
                                 "captcha": {"token": issued["token"],
                                             "answer": solve(issued["question"])}})  # fmt: skip
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "captcha_expired"


def test_bad_site_threads(client, news):
    response = client.get(f"{API}/challenge?thread=bad%20thread", headers=news)
    assert response.status_code == 400


@pytest.mark.slow
def test_the_worker_serves_every_site(redis_server, redis_client, client, services, news):
    import subprocess
    import sys

    assert post_from(client, news).status_code == 202
    default = post_from(client, {}, thread="ministre-nord-coreen-moscou")
    assert default.status_code == 202
    result = subprocess.run(
        [sys.executable, "-m", "moderation.cli", "worker", "--burst"],
        env={**__import__("os").environ, "REDIS_URL": redis_server.url},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 classified" in result.stdout
    assert ReviewQueue(redis_client, "news").pending() == 0
    assert services.store_for("news").count("pending") == 0


def test_the_no_javascript_page_of_a_site_thread(client, services, news, redis_client):
    from tests.moderation.reader import form_data

    page = client.get("/sites/news/threads/story-42")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Laisser un commentaire" in html
    assert 'action="/sites/news/threads/story-42#formulaire"' in html
    response = client.post("/sites/news/threads/story-42", data=form_data(html, body="Sans JS"))
    assert response.status_code == 303
    (comment,) = services.store_for("news").in_status("pending")[0]
    assert (comment.thread, comment.body) == ("story-42", "Sans JS")
    assert client.get("/sites/nope/threads/story-42").status_code == 404
    assert client.get("/sites/news/threads/bad%20thread").status_code == 404
