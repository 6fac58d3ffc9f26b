"""The OpenAPI document of /api/v1: served, complete, and the API answers as it says.

Schemathesis generates requests from the document, valid and invalid ones, and
checks each answer against it. The run is repeated for the three kinds of
caller: the service's own pages, a registered site, a foreign origin.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from moderation.store import comments as store_comments
from moderation.web import openapi
from tests.arith import solve
from tests.conftest import THREAD
from tests.moderation.reader import API

PARTNER = "https://partner.example"
PARTNER_THREAD = "Dossier_2024.11~suite"
FOREIGN = "https://stranger.example"
# Seeded comments get these ids, so the generator can be told about them up front.
PUBLISHED, PENDING = "01HZX3K9Q7M2V8T5R4N6P0W1BC", "01HZX3K9Q7M2V8T5R4N6P0W1BD"

ORIGIN = "GET /api/v1/origin"
CHALLENGE = "GET /api/v1/challenge"
POST = "POST /api/v1/threads/{thread}/comments"
LIST = "GET /api/v1/threads/{thread}/comments"
STATUS = "GET /api/v1/comments/{comment_id}"
REPORT = "POST /api/v1/comments/{comment_id}/reports"


@dataclass(frozen=True)
class Caller:
    """Who calls, and the answers a run must have produced to have tested anything."""

    name: str
    headers: dict[str, str]
    site: str | None  # None: refused, nothing to seed
    thread: str
    must_reach: frozenset[tuple[str, int]]


CALLERS = [
    Caller("own", {}, "default", THREAD, frozenset({
        (CHALLENGE, 200), (POST, 202), (POST, 400), (POST, 403),
        (LIST, 200), (LIST, 404), (STATUS, 200), (STATUS, 404),
        (REPORT, 202), (REPORT, 400), (REPORT, 404),
    })),
    Caller("partner", {"Origin": PARTNER}, "partner", PARTNER_THREAD, frozenset({
        (CHALLENGE, 200), (POST, 202), (POST, 400), (POST, 403), (LIST, 200), (STATUS, 200),
    })),
    Caller("foreign", {"Origin": FOREIGN}, None, THREAD, frozenset({
        (ORIGIN, 200), (CHALLENGE, 403), (POST, 403), (LIST, 403), (STATUS, 403),
        (REPORT, 403),
    })),
]  # fmt: skip

CONFIG = SchemathesisConfig.from_dict({
    # The same requests on every run, so the goals in CALLERS are reached or not for a
    # reason; change the seed to explore other inputs.
    "seed": 2024,
    "generation": {"max-examples": 50, "database": "none"},
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        "response_headers_conformance": {"enabled": True},
        # Every refusal the document lists, 413 included (the default list lacks it).
        "negative_data_rejection": {
            "enabled": True,
            "expected-statuses": [400, 403, 404, 405, 413, 415, 429],
        },
    },
    # Random values almost never name an article or a comment that exists: offer
    # real ones now and then, and a well-formed slug of no article.
    "dictionaries": {
        "threads": {"values": [THREAD, PARTNER_THREAD, "article-inconnu"]},
        "comments": {"values": [PUBLISHED, PENDING]},
    },
    "parameters": {
        "thread": {"dictionary": "threads", "probability": 0.6},
        "comment_id": {"dictionary": "comments", "probability": 0.5},
        "after": {"dictionary": "comments", "probability": 0.3},
    },
})  # fmt: skip
# The shipped file; test_the_document_is_served_as_shipped checks the app serves exactly it.
schema = schemathesis.openapi.from_dict(json.loads(openapi.document()), config=CONFIG)


def issue(client, thread, headers):
    response = client.get(f"{API}/challenge", query_string={"thread": thread}, headers=headers)
    return response.get_json() if response.status_code == 200 else None


def comment(issued, body, wrong_by=0):
    answer = solve(issued["question"]) + wrong_by
    return {"author": "Camille", "email": "camille@example.org", "body": body,
            "captcha": {"token": issued["token"], "answer": answer}}  # fmt: skip


def submit(client, thread, headers, body):
    payload = comment(issue(client, thread, headers), body)
    response = client.post(f"{API}/threads/{thread}/comments", json=payload, headers=headers)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


@pytest.fixture(params=CALLERS, ids=lambda caller: caller.name)
def caller(request):
    return request.param


@pytest.fixture
def api_app(make_app, caller):
    """The app with a registered site and, for an allowed caller, one published
    and one pending comment on its thread."""
    app = make_app()
    services = app.extensions["moderation"]
    services.sites.add("partner", [PARTNER])
    if caller.site is not None:
        client = app.test_client()
        ids = iter([PUBLISHED, PENDING])
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store_comments, "new_comment_id", lambda now: next(ids))
            submit(client, caller.thread, caller.headers, "Publié.")
            submit(client, caller.thread, caller.headers, "En attente.")
        services.store_for(caller.site).set_status(PUBLISHED, "approved")
    return app


@pytest.fixture
def reached(request, caller):
    """The answers seen; the run fails if it never got past the refusals it should have."""
    seen = Counter()
    failed_before = request.session.testsfailed
    yield seen
    if request.session.testsfailed == failed_before:  # do not pile onto a real failure
        operations = {operation for operation, _ in seen}
        goals = {goal for goal in caller.must_reach if goal[0] in operations}
        assert goals <= set(seen), f"never reached {sorted(goals - set(seen))}; saw {seen}"


@pytest.mark.slow  # schemathesis: generated requests for every operation, ~10 s in all
@schema.parametrize()
# One app serves all the requests generated for an operation, as a real service would.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_answers_as_documented(case, api_app, caller, reached):
    body = case.body
    if (
        case.meta is not None
        and case.meta.generation.mode is GenerationMode.POSITIVE
        and isinstance(body, dict)
        and isinstance(body.get("captcha"), dict)
        and isinstance(body["captcha"].get("answer"), int)
    ):
        # A random token only ever meets the CAPTCHA refusals. When the generated
        # answer is a number, answer a real question instead, so the fields reach
        # the store too; a text answer keeps its random token.
        issued = issue(api_app.test_client(), case.path_parameters["thread"], caller.headers)
        if issued is not None:
            body["captcha"] = {"token": issued["token"], "answer": solve(issued["question"])}
    response = case.call_and_validate(app=api_app, headers=caller.headers)
    reached[(f"{case.method.upper()} {case.operation.full_path}", response.status_code)] += 1


# --- answers the generated requests cannot produce ---------------------------


def assert_documented(response, method, path):
    """``response`` is one the document lists for the operation, in the shape it says."""
    names = re.findall(r"{(\w+)}", path)
    case = schema[path][method].Case(path_parameters=dict.fromkeys(names, "x"))
    # Here a 503 is the point: it only has to be the documented one.
    case.validate_response(response, excluded_checks=[not_a_server_error])


def test_rate_limit_refusals_are_documented(make_app):
    client = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_POST="1/minute", RATELIMIT_CHALLENGE="2/minute"
    ).test_client()
    assert submit(client, THREAD, {}, "Premier.")
    payload = comment(issue(client, THREAD, {}), "Second.")
    response = client.post(f"{API}/threads/{THREAD}/comments", json=payload)
    assert response.status_code == 429
    assert_documented(response, "POST", "/threads/{thread}/comments")
    response = client.get(f"{API}/challenge", query_string={"thread": THREAD})
    assert response.status_code == 429
    assert_documented(response, "GET", "/challenge")


def test_too_many_wrong_answers_is_documented(make_app):
    client = make_app(WRONG_ANSWERS_LIMIT=1).test_client()
    earlier = comment(issue(client, THREAD, {}), "Juste, mais trop tard.")
    payload = comment(issue(client, THREAD, {}), "Faux.", wrong_by=1)
    response = client.post(f"{API}/threads/{THREAD}/comments", json=payload)
    assert response.get_json()["error"]["code"] == "captcha_wrong"
    assert_documented(response, "POST", "/threads/{thread}/comments")
    response = client.post(f"{API}/threads/{THREAD}/comments", json=earlier)
    assert response.get_json()["error"]["code"] == "too_many_wrong_answers"
    assert_documented(response, "POST", "/threads/{thread}/comments")
    response = client.get(f"{API}/challenge", query_string={"thread": THREAD})
    assert response.get_json()["error"]["code"] == "too_many_wrong_answers"
    assert_documented(response, "GET", "/challenge")


def test_a_body_too_large_is_documented(client):
    response = client.post(f"{API}/threads/{THREAD}/comments", json={"body": "x" * 70_000})
    assert response.status_code == 413
    assert_documented(response, "POST", "/threads/{thread}/comments")


def test_answers_while_redis_is_down_are_documented(outage_app, own_redis):
    own_redis.stop()
    client = outage_app.test_client()
    calls = [
        ("GET", "/origin", {"headers": {"Origin": FOREIGN}}),
        ("GET", "/challenge", {"query_string": {"thread": THREAD}}),
        ("GET", "/threads/{thread}/comments", {}),
        ("POST", "/threads/{thread}/comments", {"json": {
            "author": "Camille", "email": "camille@example.org", "body": "Texte.",
            "captcha": {"token": "A" * 32, "answer": 3},
        }}),
        ("GET", "/comments/{comment_id}", {}),
    ]  # fmt: skip
    for method, path, options in calls:
        url = API + path.format(thread=THREAD, comment_id=PUBLISHED)
        response = client.open(url, method=method, **options)
        assert response.status_code == 503, (method, path)
        assert_documented(response, method, path)


# --- the document itself -----------------------------------------------------


def test_the_document_is_served_as_shipped(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_data() == openapi.document()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    again = client.get(f"{API}/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_the_served_document_is_valid_openapi(app):
    loaded = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    loaded.validate()  # against the OpenAPI 3.1 meta-schema
    assert loaded.raw_schema["openapi"].startswith("3.1.")
    for result in loaded.get_all_operations():
        result.ok()  # raises for an operation schemathesis cannot use


def documented_operations():
    document = json.loads(openapi.document())
    prefix = document["servers"][0]["url"]
    return {
        (method.upper(), prefix + path)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }


def test_every_route_of_the_api_is_documented_and_nothing_else(app):
    routes = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD"}  # HEAD is GET without a body
    }
    assert routes == documented_operations()


@pytest.mark.parametrize("path", sorted(json.loads(openapi.document())["paths"]))
def test_the_cors_preflight_is_answered_as_documented(make_app, path):
    app = make_app()
    app.extensions["moderation"].sites.add("partner", [PARTNER])
    url = API + path.format(thread=THREAD, comment_id=PUBLISHED)
    granted = app.test_client().options(url, headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    allowed = {method.strip() for method in granted.headers["Allow"].split(",")}
    assert granted.status_code == 200 and allowed - {"OPTIONS", "HEAD"}
    assert granted.headers["Access-Control-Allow-Origin"] in (PARTNER, "*")
    assert_documented(granted, "OPTIONS", path)
    refused = app.test_client().options(url, headers={"Origin": FOREIGN})
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert_documented(refused, "OPTIONS", path)
