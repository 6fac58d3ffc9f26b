"""The address of each imported thread's page, both ways: a thread keeps
the URL it had at its source, and a page can find its thread by URL (the
widget's ``data-url``, ``GET /api/v1/threads?url=``).

Addresses are compared normalised: scheme, fragment, default port and a
trailing slash do not matter, nor letter case in the host or percent-encoding.
An address without a host (Isso keeps paths) matches any page with that path.
"""

import re
from urllib.parse import unquote, urlsplit

import redis

from moderation.keys import SiteKeys

URL_MAX = 2000
TITLE_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
DEFAULT_PORTS = {"http": 80, "https": 443}


def page_key(url: str) -> str:
    """``url`` as compared: host (and port unless the default), path, query.
    Raises ValueError on an address that cannot be read."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    if not parts.netloc:
        return "/" + path.lstrip("/") + query
    host = (parts.hostname or "").lower()
    port = parts.port  # ValueError on a bad one
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host += f":{port}"
    return host + "/" + path.lstrip("/") + query


def path_key(url: str) -> str:
    """The same, without the host (how a path-only address was kept)."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path).rstrip("/")
    return "/" + path.lstrip("/") + (f"?{parts.query}" if parts.query else "")


class ThreadUrls:
    """One site's thread addresses."""

    def __init__(self, client: redis.Redis, site: str) -> None:
        self.client = client
        self.keys = SiteKeys(site)

    def remember(self, pages: dict[str, str]) -> None:
        """Keep ``pages`` (thread -> address) in one step; a blank or unreadable
        address is left out."""
        urls, threads = {}, {}
        for thread, url in pages.items():
            try:
                key = page_key(url) if url and len(url) <= URL_MAX else ""
            except ValueError:
                continue
            if key:
                urls[thread], threads[key] = url, thread
        if not urls:
            return
        with self.client.pipeline(transaction=True) as step:
            step.hset(self.keys.thread_urls, mapping=urls)
            step.hset(self.keys.thread_pages, mapping=threads)
            step.execute()

    def find(self, url: str) -> str | None:
        """The thread of the page at ``url``, if an import kept it. Raises
        ValueError on an address that cannot be read."""
        found = self.client.hget(self.keys.thread_pages, page_key(url))
        if found is None and urlsplit(url.strip()).netloc:
            found = self.client.hget(self.keys.thread_pages, path_key(url))
        return found

    def url(self, thread: str) -> str:
        """The address ``thread``'s page had at its source ("" if unknown)."""
        return self.client.hget(self.keys.thread_urls, thread) or ""

    def all(self) -> dict[str, str]:
        """Every thread's address (clients decode responses)."""
        return self.client.hgetall(self.keys.thread_urls)

    def seen(self, thread: str, page: str, origin: str, title: str = "") -> None:
        """The widget loaded ``thread`` on ``page`` (kept only when the page is
        on ``origin``, the registered origin that asked) titled ``title``:
        the no-JavaScript page then links back to it under that title."""
        parts = urlsplit(page.strip()) if len(page) <= URL_MAX else None
        with self.client.pipeline(transaction=False) as step:
            if parts and parts.scheme in DEFAULT_PORTS and f"{parts.scheme}://{parts.netloc}" \
                    == origin:
                step.hset(self.keys.thread_urls, thread, page.strip())
                step.hset(self.keys.thread_pages, page_key(page), thread)
            title = " ".join(_CONTROL.sub(" ", title).split())[:TITLE_MAX]
            if title:
                step.hset(self.keys.thread_titles, thread, title)
            step.execute()

    def title(self, thread: str) -> str:
        """The title the site gave ``thread`` ("" if none)."""
        return self.client.hget(self.keys.thread_titles, thread) or ""
