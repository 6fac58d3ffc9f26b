"""Answers built from a thread's published comments (the JSON page, the Atom
feed): kept in the process's page cache while the thread's published list
keeps its version, and answered 304 to a client that has that version."""

from collections.abc import Callable

from flask import Response, request

from moderation import read_cache
from moderation.services import services
from moderation.store import CommentStore
from moderation.web import conditional


def published(
    store: CommentStore, thread: str, key: tuple, build: Callable[[], bytes], *, mimetype: str,
) -> Response:  # fmt: skip
    """One Redis round trip (the version and when it changed), then 304, the
    cached body, or ``build()``; any cache may keep the answer a few seconds
    (``conditional.public_cache_control``).

    The body is served to every client whose request gives the same ``key``:
    ``key`` must hold everything ``build`` reads from the request, and ``build``
    must read nothing unchecked from it (no Host header, no raw query string)."""
    version, changed = store.approved_state(thread)
    tag = read_cache.etag(key, version)
    modified = conditional.last_modified(changed, services().clock())
    if conditional.not_modified(request, tag, modified):
        response = Response(status=304)
    else:
        pages = services().pages
        body = pages.get(key, version)
        if body is None:
            body = build()
            pages.put(key, version, body)
        response = Response(body, mimetype=mimetype)
    # Weak: a proxy that compresses the body keeps it as it is (nginx would
    # weaken a strong one on its 200s but not on the 304s it passes on).
    response.headers["ETag"] = f'W/"{tag}"'
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = conditional.public_cache_control()
    return response
