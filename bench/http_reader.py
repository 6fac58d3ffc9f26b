"""A reader over real HTTP: ask for a question, compute the answer, post.

Used by the fault suite and the load benchmarks; standard library only, so it
measures the server rather than a client library.
"""

import http.client
import json
import re
import time
from dataclasses import dataclass

THREAD = "ministre-nord-coreen-moscou"  # the article shipped with the site

_QUESTION = re.compile(r"^\s*(\d+)\s*([+\u2212\u00d7])\s*(\d+)\s*=\s*$")


def solve(question: str) -> int:
    """The answer to one of our questions (a regular expression is enough:
    the arithmetic question only stops naive bots)."""
    match = _QUESTION.match(question)
    if match is None:
        raise ValueError(f"not an arithmetic question: {question!r}")
    left, operator, right = int(match[1]), match[2], int(match[3])
    return {"+": left + right, "\u2212": left - right, "\u00d7": left * right}[operator]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one submission got: the comment id on a 202, else why not."""

    status: int  # HTTP status of the POST, or of the challenge if that failed; 0: no answer
    comment_id: str | None = None
    error: str = ""
    post_ms: float = 0.0  # how long the POST took


class HttpReader:
    """One reader on ``host:port``; a new connection per request, as gunicorn's
    sync workers close them anyway."""

    def __init__(self, host: str, port: int, *, thread: str = THREAD, timeout: float = 10.0):
        self.host = host
        self.port = port
        self.thread = thread
        self.timeout = timeout

    def request(
        self, method: str, path: str, payload: dict | None = None
    ) -> tuple[int, dict | None]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            headers = {}
            body = None
            if payload is not None:
                body = json.dumps(payload).encode()
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            try:
                data = json.loads(raw) if raw else None
            except ValueError:
                data = None
            return response.status, data
        finally:
            connection.close()

    def submit(self, body: str, author: str = "Lecteur", email: str = "lecteur@example.org"):
        """One comment, the way the widget posts it. Never raises for a network
        failure: a refused or cut connection is an outcome with status 0."""
        try:
            status, issued = self.request("GET", f"/api/v1/challenge?thread={self.thread}")
            if status != 200 or not issued:
                return Outcome(status, error=_code(issued))
            payload = {
                "author": author,
                "email": email,
                "body": body,
                "captcha": {"token": issued["token"], "answer": str(solve(issued["question"]))},
            }
            started = time.perf_counter()
            status, reply = self.request(
                "POST", f"/api/v1/threads/{self.thread}/comments", payload
            )
            post_ms = (time.perf_counter() - started) * 1000
        except (OSError, http.client.HTTPException) as error:
            return Outcome(0, error=type(error).__name__)
        if status == 202 and reply:
            return Outcome(status, reply["id"], post_ms=post_ms)
        return Outcome(status, error=_code(reply), post_ms=post_ms)

    def etag(self, path: str) -> str | None:
        """The ETag a GET of ``path`` answers with."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.getheader("ETag")
        finally:
            connection.close()


def _code(reply: dict | None) -> str:
    if isinstance(reply, dict) and isinstance(reply.get("error"), dict):
        return str(reply["error"].get("code", ""))
    return ""
