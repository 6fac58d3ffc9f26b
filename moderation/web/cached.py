"""Answers built from a thread's published comments (the JSON page, the Atom
feed): kept in the process's page cache while the thread's published list
keeps its version, and answered 304 to a client that has that version."""

from collections.abc import Callable

from flask import Response, request

from moderation import read_cache
from moderation.services import services
from moderation.store import CommentStore


def published(
    store: CommentStore, thread: str, key: tuple, build: Callable[[], bytes], *,
    mimetype: str, cache_control: str,
) -> Response:  # fmt: skip
    """One Redis GET (the version), then 304, the cached body, or ``build()``.

    The body is served to every client whose request gives the same ``key``:
    ``key`` must hold everything ``build`` reads from the request, and ``build``
    must read nothing unchecked from it (no Host header, no raw query string)."""
    version = store.approved_version(thread)
    tag = read_cache.etag(key, version)
    if request.if_none_match.contains(tag) or request.if_none_match.star_tag:
        response = Response(status=304)
    else:
        pages = services().pages
        body = pages.get(key, version)
        if body is None:
            body = build()
            pages.put(key, version, body)
        response = Response(body, mimetype=mimetype)
    response.headers["ETag"] = f'"{tag}"'
    response.headers["Cache-Control"] = cache_control
    return response
