"""/metrics: counters fed by real requests, and figures read from Redis."""

import re

from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.worker import Worker
from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, post


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value in the exposition text (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match[1] or "").split(","))) == wanted:
            return float(match[2])
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_submissions_captcha_outcomes_and_queue_depth(client, redis_client):
    before = scrape(client)
    accepted = post(client, comment_payload(client))
    assert accepted.status_code == 202
    wrong = comment_payload(client)
    wrong["captcha"]["answer"] = "99999"
    assert post(client, wrong).status_code == 403
    assert post(client, comment_payload(client, email="nope")).status_code == 400
    after = scrape(client)

    def delta(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("comments_submissions_total", via="api", outcome="accepted") == 1
    assert delta("comments_submissions_total", via="api", outcome="captcha_refused") == 1
    assert delta("comments_submissions_total", via="api", outcome="invalid") == 1
    assert delta("comments_captcha_checks_total", outcome="ok") == 1
    assert delta("comments_captcha_checks_total", outcome="wrong") == 1
    assert sample(after, "comments_queue_depth", site="default", status="pending") == 1
    assert sample(after, "comments_oldest_pending_seconds", site="default") >= 0


def test_classification_decisions_and_model_version(client, services, redis_client):
    registry = ModelRegistry(redis_client)
    version = registry.ensure_default()
    post(client, comment_payload(client))
    before = scrape(client)
    Worker(redis_client, models=ModelCache(registry), policy=Policy(), name="w").run(burst=True)
    (comment,), _ = services.comments.in_status("review")
    services.comments.decide(comment.id, "approved", "mod@example.org")
    after = scrape(client)
    assert (sample(after, "comments_classified_total", status="review")
            - sample(before, "comments_classified_total", status="review")) == 1  # fmt: skip
    assert (sample(after, "comments_classification_seconds_count")
            - sample(before, "comments_classification_seconds_count")) == 1  # fmt: skip
    assert (sample(after, "comments_decisions_total", action="approved", via="page")
            - sample(before, "comments_decisions_total", action="approved", via="page")) == 1
    assert sample(after, "comments_model_info", version=version) == 1
    assert sample(after, "comments_queue_depth", site="default", status="approved") == 1


def test_rate_limited_requests_are_counted(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CHALLENGE="1/minute")
    client = app.test_client()
    before = sample(scrape(client), "comments_rate_limited_total", endpoint="api.challenge")
    client.get(f"/api/v1/challenge?thread={THREAD}")
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 429
    after = sample(scrape(client), "comments_rate_limited_total", endpoint="api.challenge")
    assert after - before == 1


def test_a_metrics_token_is_required_when_set(make_app):
    client = make_app(METRICS_TOKEN="s3cret-scrape").test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert ok.status_code == 200
