"""A reader posting through the JSON API or the HTML form, answering the question."""

import re
from html import unescape

from tests.arith import solve
from tests.conftest import THREAD

API = "/api/v1"


def challenge(client, thread=THREAD):
    response = client.get(f"{API}/challenge?thread={thread}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def comment_payload(client, thread=THREAD, **fields):
    issued = challenge(client, thread)
    payload = {
        "author": "Camille",
        "email": "camille@example.org",
        "body": "Un article clair, merci.",
        "captcha": {"token": issued["token"], "answer": str(solve(issued["question"]))},
    }
    payload.update(fields)
    return payload


def post(client, payload, thread=THREAD):
    return client.post(f"{API}/threads/{thread}/comments", json=payload)


def form_state(html: str) -> dict[str, str]:
    """The hidden fields and the question of the comment form on a page."""

    def hidden(name: str) -> str:
        match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
        assert match, f"no hidden field {name}"
        return unescape(match[1])

    question = re.search(r'<label for="captcha">([^<]*)</label>', html)
    assert question, "no question label"
    return {
        "csrf_token": hidden("csrf_token"),
        "captcha_token": hidden("captcha_token"),
        "question": unescape(question[1]),
    }


def form_data(html: str, **fields) -> dict[str, str]:
    state = form_state(html)
    data = {
        "csrf_token": state["csrf_token"],
        "captcha_token": state["captcha_token"],
        "author": "Camille",
        "email": "camille@example.org",
        "url": "",
        "body": "Un article clair, merci.",
        "captcha": str(solve(state["question"])),
    }
    data.update(fields)
    return data
