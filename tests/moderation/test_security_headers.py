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
