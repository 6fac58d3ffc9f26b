"""Comments in Redis. The only module that writes comment keys.

A comment is a hash; a per-thread sorted set indexes the approved ones in
creation order; saving and queueing for review is one Lua script, so one
atomic step and one round trip.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import redis

from moderation import queue
from moderation.keys import SiteKeys
from moderation.validation import CommentInput

STATUSES = ("pending", "review", "approved", "rejected", "spam")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Save and enqueue in one step. Types are checked before the first write, so
# a failure leaves nothing behind (Redis does not roll back a MULTI).
_SAVE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('comment id already used') end
local kind = redis.call('TYPE', KEYS[2])['ok']
if kind ~= 'none' and kind ~= 'stream' then
  return redis.error_reply('the review queue key holds a ' .. kind)
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
return redis.call('XADD', KEYS[2], '*', ARGV[1], ARGV[2])
"""

# Compare-and-set on the status, and keep the approved index in step.
_SET_STATUS = """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {0, ''} end
if ARGV[2] ~= '' and current ~= ARGV[2] then return {2, current} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updated_at', ARGV[3])
if ARGV[1] == 'approved' then
  redis.call('ZADD', KEYS[2], 0, ARGV[4])
else
  redis.call('ZREM', KEYS[2], ARGV[4])
end
return {1, current}
"""


class CommentNotFound(LookupError):
    pass


class StatusConflict(RuntimeError):
    """The comment's status was not the one expected: someone else moved it."""

    def __init__(self, current: str) -> None:
        super().__init__(f"the comment is now {current!r}")
        self.current = current


def new_comment_id(now: float) -> str:
    """26 characters, sortable by time (48-bit milliseconds + 80 random bits)."""
    value = (int(now * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def is_comment_id(value: str) -> bool:
    return len(value) == 26 and all(char in _CROCKFORD for char in value)


def iso8601(timestamp: float) -> str:
    return (
        datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    site: str
    thread: str
    author: str
    email: str
    url: str
    body: str
    status: str
    created_at: float
    ip_hash: str = ""
    user_agent: str = ""

    def public(self) -> dict[str, str]:
        """What anyone may see of an approved comment: never the e-mail or IP."""
        return {
            "id": self.id,
            "thread": self.thread,
            "author": self.author,
            "url": self.url,
            "body": self.body,
            "created_at": iso8601(self.created_at),
        }

    @property
    def created(self) -> datetime:
        return datetime.fromtimestamp(self.created_at, UTC)


def _comment(fields: dict[str, str]) -> Comment:
    known = Comment.__dataclass_fields__
    values = {name: value for name, value in fields.items() if name in known}
    values["created_at"] = float(values["created_at"])
    return Comment(**values)


class CommentStore:
    def __init__(
        self,
        client: redis.Redis,
        site: str = "default",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.site = site
        self.keys = SiteKeys(site)
        self.clock = clock
        self._save = client.register_script(_SAVE)
        self._set_status = client.register_script(_SET_STATUS)

    def save(
        self, thread: str, data: CommentInput, *, ip_hash: str = "", user_agent: str = ""
    ) -> Comment:
        """Store a new ``pending`` comment and queue it for review, atomically."""
        now = self.clock()
        comment = Comment(
            id=new_comment_id(now),
            site=self.site,
            thread=thread,
            author=data.author,
            email=data.email,
            url=data.url,
            body=data.body,
            status="pending",
            created_at=now,
            ip_hash=ip_hash,
            user_agent=user_agent[:256],
        )
        fields = asdict(comment)
        fields["created_at"] = repr(now)
        flat = [item for pair in fields.items() for item in pair]
        self._save(
            keys=[self.keys.comment(comment.id), self.keys.queue],
            args=[queue.FIELD, comment.id, *flat],
        )
        return comment

    def get(self, comment_id: str) -> Comment | None:
        if not is_comment_id(comment_id):
            return None
        fields = self._decode(self.client.hgetall(self.keys.comment(comment_id)))
        return _comment(fields) if fields else None

    def status(self, comment_id: str) -> str | None:
        if not is_comment_id(comment_id):
            return None
        value = self.client.hget(self.keys.comment(comment_id), "status")
        return value.decode() if isinstance(value, bytes) else value

    def set_status(self, comment_id: str, status: str, expected: str | None = None) -> str:
        """Move a comment to ``status``; return the status it had.

        With ``expected``, the move happens only if the comment is still in
        that status (else :class:`StatusConflict`): two moderators cannot
        silently overwrite each other.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        if not is_comment_id(comment_id):
            raise CommentNotFound(comment_id)
        thread = self.client.hget(self.keys.comment(comment_id), "thread")
        if thread is None:
            raise CommentNotFound(comment_id)
        thread = thread.decode() if isinstance(thread, bytes) else thread
        outcome, previous = self._set_status(
            keys=[self.keys.comment(comment_id), self.keys.approved(thread)],
            args=[status, expected or "", repr(self.clock()), comment_id],
        )
        previous = previous.decode() if isinstance(previous, bytes) else previous
        if outcome == 0:
            raise CommentNotFound(comment_id)
        if outcome == 2:
            raise StatusConflict(previous)
        return previous

    def approved(
        self, thread: str, after: str | None = None, limit: int = 200
    ) -> tuple[list[Comment], str | None]:
        """Approved comments of ``thread``, oldest first, and the cursor of the next page.

        Ids sort by creation time, so the index is ordered by member name and
        the cursor is simply the last id seen.
        """
        start = f"({after}" if after else "-"
        ids = self.client.zrangebylex(
            self.keys.approved(thread), start, "+", start=0, num=limit + 1
        )
        ids = [value.decode() if isinstance(value, bytes) else value for value in ids]
        more = len(ids) > limit
        ids = ids[:limit]
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id in ids:
                pipe.hgetall(self.keys.comment(comment_id))
            rows = pipe.execute()
        comments = [_comment(self._decode(row)) for row in rows if row]
        return comments, (ids[-1] if more and ids else None)

    @staticmethod
    def _decode(fields: dict) -> dict[str, str]:
        return {
            (key.decode() if isinstance(key, bytes) else key): (
                value.decode() if isinstance(value, bytes) else value
            )
            for key, value in fields.items()
        }
