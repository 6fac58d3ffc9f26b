"""Rendered JSON pages of a thread's approved comments, kept per process.

Each page is stored with the thread's approved-list version (a counter the
store bumps in the same script that changes the list), so a page is served
from memory until the list changes, and the version makes an ETag that lets
clients revalidate for a 304. Reading the version is one Redis GET; building
a page costs two round trips and 200 hashes.
"""

import hashlib
import threading
from collections import OrderedDict


class PageCache:
    """At most ``max_pages`` pages, least recently used dropped first."""

    def __init__(self, max_pages: int = 256) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()  # the threaded dev and test servers share it

    def get(self, key: tuple, version: int) -> bytes | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None or found[0] != version:
                return None
            self._pages.move_to_end(key)
            return found[1]

    def put(self, key: tuple, version: int, body: bytes) -> None:
        with self._lock:
            self._pages[key] = (version, body)
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)


def etag(key: tuple, version: int) -> str:
    """Validator of one page at one version (unquoted; sent weak)."""
    return hashlib.blake2b(repr((key, version)).encode(), digest_size=12).hexdigest()
