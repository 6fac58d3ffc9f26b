"""Authors editing or deleting their own comment, for a while after posting.

Posting gives the reader's browser a secret edit key; the comment keeps only
its SHA-256. Within ``window`` seconds of the comment's creation, that key
lets its holder change the text or delete the comment, in one Lua step
(``lua/edit.lua``) that checks the key and the window and does the rest.
"""

import hashlib
import secrets
import time
from collections.abc import Callable

import redis

from moderation import queue
from moderation.keys import SiteKeys
from moderation.store import layout
from moderation.store.ids import created_at_of, is_comment_id
from moderation.store.records import CommentNotFound
from moderation.store.scripts import Scripts


def new_edit_key() -> tuple[str, str]:
    """(key for the browser, hash for the comment)."""
    key = secrets.token_urlsafe(24)
    return key, edit_key_hash(key)


def edit_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class BadEditKey(PermissionError):
    pass


class EditWindowClosed(PermissionError):
    pass


class AuthorEdits:
    def __init__(
        self, client: redis.Redis, site: str, window_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.client = client
        self.keys = SiteKeys(site)
        self.window = window_seconds
        self.clock = clock
        self.scripts = Scripts(client)

    def until(self, comment_id: str) -> float:
        """When the comment's edit window closes (epoch seconds)."""
        return created_at_of(comment_id) + self.window

    def edit(self, comment_id: str, key: str, body: str) -> str:
        """Replace the text; returns the comment's new status."""
        return self._run(comment_id, key, "edit", body)

    def delete(self, comment_id: str, key: str) -> str:
        return self._run(comment_id, key, "delete", "")

    def _run(self, comment_id: str, key: str, action: str, body: str) -> str:
        if not is_comment_id(comment_id):
            raise CommentNotFound(comment_id)
        thread = self.client.hget(self.keys.comment(comment_id), "thread")
        if thread is None:
            raise CommentNotFound(comment_id)
        reply = self.scripts.edit(
            keys=[*layout.comment_keys(self.keys, comment_id, thread), self.keys.queue,
                  self.keys.audit],
            args=[comment_id, edit_key_hash(key), repr(self.clock()),
                  repr(self.until(comment_id)), action, body, queue.FIELD],
        )  # fmt: skip
        if reply[0] == "missing":
            raise CommentNotFound(comment_id)
        if reply[0] == "bad_key":
            raise BadEditKey(comment_id)
        if reply[0] == "window_closed":
            raise EditWindowClosed(comment_id)
        return reply[0]
