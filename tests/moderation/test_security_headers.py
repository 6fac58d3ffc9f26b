def test_pages_carry_a_strict_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_moderator_pages_cannot_be_framed(client):
    response = client.get("/moderation/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_json_and_scripts_are_not_sniffed(client):
    assert client.get("/healthz").headers["X-Content-Type-Options"] == "nosniff"
    script = client.get(client.get("/embed.js").headers["Location"])
    assert script.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_with_a_csrf_token_or_a_question_are_not_stored(client, services):
    services.sites.add("journal", ["https://journal.example"])
    for path in ("/", "/articles/ministre-nord-coreen-moscou",
                 "/sites/journal/threads/story-1", "/moderation/login"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    challenge = client.get("/api/v1/challenge?thread=ministre-nord-coreen-moscou")
    assert challenge.headers["Cache-Control"] == "no-store"


def test_a_question_alone_is_enough_to_keep_a_page_out_of_caches(make_app):
    client = make_app(WTF_CSRF_ENABLED=False).test_client()  # no CSRF token on the page
    response = client.get("/articles/ministre-nord-coreen-moscou")
    html = response.get_data(as_text=True)
    assert 'name="captcha_token"' in html and 'name="csrf_token"' not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_answers_without_a_form_keep_their_caching(client):
    thread = "ministre-nord-coreen-moscou"
    listing = client.get(f"/api/v1/threads/{thread}/comments")
    shared = "public, max-age=10, stale-while-revalidate=60"  # CACHE_* settings
    assert listing.headers["Cache-Control"] == shared and listing.headers["ETag"]
    feed = client.get(f"/articles/{thread}/comments.atom")
    assert feed.headers["Cache-Control"] == shared
    count = client.get(f"/api/v1/threads/{thread}/count")
    assert count.headers["Cache-Control"] == "public, max-age=60"
    assert "Cache-Control" not in client.get("/healthz").headers
