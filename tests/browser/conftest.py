"""Debian's Chromium driven by Playwright (sync API) against a live server.

The browser is never downloaded: Playwright launches /usr/bin/chromium.
Fixtures are our own (``browser``, ``live_server``, ``reader_page``,
``problems``), not pytest-playwright's.
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):  # CI must run the browser tests, never skip them
            pytest.fail(f"{CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The test application on a free loopback port, served from a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def other_origin():
    """A host site of its own on another port (another origin): ``(origin,
    pages)``, where ``pages`` maps a path to the HTML it serves (404 otherwise)."""
    pages: dict[str, str] = {}

    def app(environ, start_response):
        body = pages.get(environ["PATH_INFO"], "")
        return Response(body, status=200 if body else 404, mimetype="text/html")(
            environ, start_response
        )

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="other-origin", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", pages
    finally:
        server.shutdown()
        server.server_close()


class PageProblems:
    """Console errors, uncaught exceptions, failed requests and error responses."""

    def __init__(self) -> None:
        self.console_errors: list[tuple[str, str]] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.error_responses: list[tuple[int, str, str]] = []

    def watch(self, page) -> None:
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.console_errors.append((message.text, message.location.get("url", "")))
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on(
            "requestfailed",
            lambda request: self.failed_requests.append(f"{request.url}: {request.failure}"),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and self.error_responses.append(
                    (response.status, response.request.resource_type, response.url)
                )
            ),
        )

    def assert_clean(self, allowed_document_statuses: frozenset[int] = frozenset()) -> None:
        """Nothing went wrong, except expected error statuses on the page itself
        (a form shown again answers 400/403 on purpose)."""
        assert self.page_errors == []
        assert self.failed_requests == []
        expected = [
            (status, url.split("#")[0])
            for status, kind, url in self.error_responses
            if kind == "document" and status in allowed_document_statuses
        ]
        unexpected = [
            (status, kind, url)
            for status, kind, url in self.error_responses
            if (status, url.split("#")[0]) not in expected
        ]
        assert unexpected == []
        # Chromium logs "Failed to load resource" for the expected error status
        # of the document. Any other console error is a real one.
        real = [
            (text, url)
            for text, url in self.console_errors
            if not any(
                text.startswith(
                    f"Failed to load resource: the server responded with a status of {status} "
                )
                and url.split("#")[0] == document
                for status, document in expected
            )
        ]
        assert real == []


@pytest.fixture
def reader_page(browser, live_server):
    """A fresh context (own cookies) and page on the live server."""
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def problems(reader_page):
    """What went wrong on ``reader_page``; request it before navigating."""
    watcher = PageProblems()
    watcher.watch(reader_page)
    return watcher
