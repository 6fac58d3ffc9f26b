"""Redis stops: the API answers 503 with the error shape, the form keeps the
reader's text, nothing is half-written, and the service recovers."""

import time

import redis

from tests.conftest import THREAD
from tests.moderation.reader import comment_payload, form_data, post

PAGE = f"/articles/{THREAD}"


def test_api_answers_503_while_redis_is_down_then_recovers(outage_app, own_redis):
    client = outage_app.test_client()
    payload = comment_payload(client)
    port = own_redis.port
    own_redis.stop()

    started = time.monotonic()
    response = post(client, payload)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "store_unavailable"
    assert client.get(f"/api/v1/challenge?thread={THREAD}").status_code == 503
    assert client.get(f"/api/v1/threads/{THREAD}/comments").status_code == 503
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200

    own_redis.port = port
    own_redis.start()  # same port, a fresh empty server
    assert client.get("/readyz").status_code == 200
    assert post(client, comment_payload(client)).status_code == 202


def test_the_form_keeps_the_text_when_redis_is_down(outage_app, own_redis):
    client = outage_app.test_client()
    data = form_data(client.get(PAGE).get_data(as_text=True), body="Mon long texte précieux")
    own_redis.stop()
    response = client.post(PAGE, data=data)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "momentanément indisponible" in html
    assert "Mon long texte précieux</textarea>" in html
    # The article itself is still readable.
    page = client.get(PAGE)
    assert page.status_code == 200 and "Choe Son-hui" in page.get_data(as_text=True)


def test_redis_dying_before_the_submission_writes_nothing(outage_app, own_redis):
    """The form checks and saves in one script, as the API does: Redis dying
    once the page's fields are checked leaves no comment and no burnt answer
    behind, and the reader gets a 503 with their text."""
    client = outage_app.test_client()
    services = outage_app.extensions["moderation"]
    data = form_data(client.get(PAGE).get_data(as_text=True), body="Texte gardé")
    submit = services.submitter.submit

    def die_then_submit(*args, **kwargs):
        own_redis.stop()
        return submit(*args, **kwargs)

    services.submitter.submit = die_then_submit
    response = client.post(PAGE, data=data)
    assert response.status_code == 503
    assert "Texte gardé</textarea>" in response.get_data(as_text=True)
    own_redis.start()
    probe = redis.Redis.from_url(own_redis.url)
    assert list(probe.scan_iter("comment:*")) == []
    probe.close()
