"""``HEAD`` answered as ``GET`` without the body, wherever ``GET`` is.

Views that take a form test ``request.method == "GET"`` and treat anything
else as a post: a ``HEAD`` then ran the form's validation and came back 400.
Rather than teach every such view about ``HEAD``, the request is handed to
the app as a ``GET`` and the body dropped on the way out, so the headers
(length, type, validators, caching) are the ``GET``'s by construction
(RFC 9110, section 9.3.2). A route without ``GET`` still answers 405 with
its ``Allow`` list.
"""

from collections.abc import Iterable
from typing import Any


class HeadAsGet:
    """WSGI middleware around the Flask app's ``wsgi_app``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.app(environ, start_response)
        # A copy: the server's own environ (gunicorn's access log) still says HEAD.
        body = self.app({**environ, "REQUEST_METHOD": "GET"}, start_response)
        close = getattr(body, "close", None)
        if close is not None:  # the app's teardown runs on close, as for any answer
            close()
        return []
