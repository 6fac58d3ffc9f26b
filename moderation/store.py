"""Comments in Redis. The only module that writes comment keys.

A comment is a hash; a per-thread sorted set indexes the approved ones in
creation order; saving and queueing for review is one Lua script, so one
atomic step and one round trip.
"""

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis

from captcha import CHECK_LUA, ChallengeStore
from moderation import metrics, queue
from moderation.keys import SiteKeys
from moderation.validation import CommentInput
from moderation.webhooks import Webhooks

log = logging.getLogger(__name__)

STATUSES = ("pending", "review", "approved", "rejected", "spam")
# The name a published comment keeps when its author's is erased or was never given.
ANONYMOUS = "Anonyme"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford digits to the digits int(..., 32) reads.
_TO_BASE32 = str.maketrans(_CROCKFORD, "0123456789abcdefghijklmnopqrstuv")

# Shared by the scripts below. KEYS[1] comment, KEYS[2] the thread's approved
# index, KEYS[3..7] the site's status indexes and KEYS[9..13] the thread's, in
# STATUSES order, KEYS[8] the review items by uncertainty, KEYS[14] the
# version of the thread's approved list (bumped on every change to it, so
# readers can cache); a script's own keys start at KEYS[EXTRA]. Status
# indexes hold ids with score 0: ids sort by creation time, so lexical order
# is age order and a page cursor is just the last id seen.
_MOVE = """
local STATUSES = {'pending', 'review', 'approved', 'rejected', 'spam'}
local PER = 14  -- keys per comment
local EXTRA = PER + 1
local function index_of(name)
  for i, known in ipairs(STATUSES) do
    if known == name then return i end
  end
end
local function move(id, from, to, b)
  b = b or 0  -- where this comment's PER keys start (batch scripts)
  local old = from and index_of(from)
  if old then
    redis.call('ZREM', KEYS[b + 2 + old], id)
    redis.call('ZREM', KEYS[b + 8 + old], id)
  end
  local new = index_of(to)
  redis.call('ZADD', KEYS[b + 2 + new], 0, id)
  redis.call('ZADD', KEYS[b + 8 + new], 0, id)
  if not from and to == 'pending' then return end  -- a new comment: in no other index
  if to == 'approved' then
    redis.call('ZADD', KEYS[b + 2], 0, id)
  else
    redis.call('ZREM', KEYS[b + 2], id)
  end
  if to == 'approved' or from == 'approved' then
    redis.call('INCR', KEYS[b + 14])
  end
  local score = tonumber(redis.call('HGET', KEYS[b + 1], 'score') or '')
  if to == 'review' and score then
    redis.call('ZADD', KEYS[b + 8], math.abs(score - 0.5), id)
  else
    redis.call('ZREM', KEYS[b + 8], id)
  end
end
"""

# Save and enqueue in one step. Types are checked before the first write, so
# a failure leaves nothing behind (Redis does not roll back a MULTI).
# KEYS[EXTRA] is the review stream.
_SAVE_FUNCTIONS = """
local function queue_problem()
  if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('comment id already used') end
  local kind = redis.call('TYPE', KEYS[EXTRA])['ok']
  if kind ~= 'none' and kind ~= 'stream' then
    return redis.error_reply('the review queue key holds a ' .. kind)
  end
end
-- A reply answers a published comment of the same thread, itself no reply
-- (one level deep). parent_key is nil for a comment that answers nobody.
local function parent_problem(parent_key, thread)
  if not parent_key then return nil end
  local p = redis.call('HMGET', parent_key, 'status', 'thread', 'parent')
  if p[1] ~= 'approved' or p[2] ~= thread then return 'parent_not_found' end
  if p[3] then return 'invalid_parent' end
  return nil
end
-- What stops a save before anything is written: a reply for the caller, or
-- nil when the comment may be saved (then nothing has been written yet).
local function refusal(parent_key, thread)
  local problem = queue_problem()
  if problem then return problem end
  local refused = parent_problem(parent_key, thread)
  if refused then return {'parent', refused} end
end
-- ARGV[from..] are the comment's hash fields; returns the queue entry id. The
-- user agent is kept once per site under its digest, which the comment holds.
local function save(id, entry_field, agents, digest, agent, from)
  redis.call('HSET', KEYS[1], unpack(ARGV, from))
  if digest ~= '' then redis.call('HSETNX', agents, digest, agent) end
  move(id, nil, 'pending')
  return redis.call('XADD', KEYS[EXTRA], '*', entry_field, id)
end
"""

# KEYS[EXTRA + 1] the site's user agents, KEYS[EXTRA + 2] the parent comment
# of a reply (absent otherwise). ARGV: id, entry field, agent digest, agent,
# thread, hash fields... Returns {'saved', entry id} or {'parent', code}.
_SAVE = (
    _MOVE
    + _SAVE_FUNCTIONS
    + """
local refused = refusal(KEYS[EXTRA + 2], ARGV[5])
if refused then return refused end
return {'saved', save(ARGV[1], ARGV[2], KEYS[EXTRA + 1], ARGV[3], ARGV[4], 6)}
"""
)

# A reader's submission in one round trip: check the CAPTCHA answer (burning
# the token whatever the outcome), spring the bot traps, then save and
# enqueue. KEYS[EXTRA + 1] the challenge (same hash tag: the CAPTCHA namespace
# is the site), KEYS[EXTRA + 2] the site's trap counters, KEYS[EXTRA + 3] its
# user agents, KEYS[EXTRA + 4] the parent of a reply (absent otherwise). ARGV:
# id, entry field, now, thread, answer (see captcha_check), honeypot ('' when
# empty), minimum fill seconds, agent digest, agent, hash fields... Returns
# {'saved', entry id}, {'trapped', names}, {'parent', code} (checked before
# the answer, which it leaves unburnt) or {captcha outcome}.
_SUBMIT = (
    CHECK_LUA
    + _MOVE
    + _SAVE_FUNCTIONS
    + """
local refused = refusal(KEYS[EXTRA + 4], ARGV[4])
if refused then return refused end
local outcome, issued = captcha_check(KEYS[EXTRA + 1], ARGV[3], ARGV[4], ARGV[5])
if outcome ~= 'ok' then return {outcome} end
local traps = {}
if ARGV[6] ~= '' then traps[#traps + 1] = 'honeypot' end
local min_fill = tonumber(ARGV[7])
if min_fill > 0 and tonumber(ARGV[3]) - tonumber(issued) < min_fill then
  traps[#traps + 1] = 'too_fast'
end
if #traps > 0 then
  for _, trap in ipairs(traps) do redis.call('HINCRBY', KEYS[EXTRA + 2], trap, 1) end
  return {'trapped', table.concat(traps, ',')}
end
return {'saved', save(ARGV[1], ARGV[2], KEYS[EXTRA + 3], ARGV[8], ARGV[9], 10)}
"""
)

# Compare-and-set on the status. ARGV: id, new status, expected or '', now.
_SET_STATUS = (
    _MOVE
    + """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {0, ''} end
if ARGV[3] ~= '' and current ~= ARGV[3] then return {2, current} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_at', ARGV[4])
move(ARGV[1], current, ARGV[2])
return {1, current}
"""
)

# The classifier's verdicts for a batch and the acknowledgement of their queue
# entries, in one step; each is applied only while its comment is still
# pending, so an entry delivered twice is never classified twice. One script
# for the whole batch: a round trip, and on Redis Cluster one slot (every key
# carries the site's hash tag). KEYS: PER per comment (see _MOVE), then the
# review stream. ARGV: group, now, then per comment: id, entry id, status,
# number of verdict fields, the fields as name/value pairs.
_VERDICTS = (
    _MOVE
    + """
local stream = KEYS[#KEYS]
local before = {}
local a = 3
for i = 0, (#KEYS - 1) / PER - 1 do
  local b = i * PER
  local id, entry, status, count = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local current = redis.call('HGET', KEYS[b + 1], 'status')
  if current == 'pending' then
    redis.call('HSET', KEYS[b + 1], 'status', status, 'updated_at', ARGV[2],
               unpack(ARGV, a + 4, a + 3 + count))
    redis.call('HINCRBY', KEYS[b + 1], 'classifications', 1)
    move(id, current, status, b)
  end
  redis.call('XACK', stream, ARGV[1], entry)
  before[i + 1] = current or ''
  a = a + 4 + count
end
return before
"""
)

# An entry that failed too often: copy it to the dead-letter stream (KEYS[EXTRA + 1]),
# send its comment to human review (never to publication) and acknowledge.
# ARGV: id, group, entry id, now, reason, deliveries.
_DEAD_LETTER = (
    _MOVE
    + """
redis.call('XADD', KEYS[EXTRA + 1], '*', 'comment', ARGV[1], 'entry', ARGV[3], 'reason', ARGV[5],
           'deliveries', ARGV[6], 'at', ARGV[4])
local current = redis.call('HGET', KEYS[1], 'status')
if current == 'pending' then
  redis.call('HSET', KEYS[1], 'status', 'review', 'updated_at', ARGV[4],
             'rules', '["dead_letter"]')
  move(ARGV[1], current, 'review')
end
redis.call('XACK', KEYS[EXTRA], ARGV[2], ARGV[3])
return current or false
"""
)

# A moderator's decision: compare-and-set on the status, the audit entry and
# the labelled example for the classifier, all or nothing. KEYS[EXTRA] audit
# log, KEYS[EXTRA + 1] feedback stream. ARGV: id, new status, expected or '', now,
# moderator, via.
_DECIDE = (
    _MOVE
    + """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {0, ''} end
if ARGV[3] ~= '' and current ~= ARGV[3] then return {2, current} end
local c = redis.call('HMGET', KEYS[1], 'created_at', 'score', 'model_version', 'body', 'author',
                     'email', 'url')
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_at', ARGV[4], 'decided_by', ARGV[5],
           'decided_at', ARGV[4])
move(ARGV[1], current, ARGV[2])
redis.call('XADD', KEYS[EXTRA], '*', 'at', ARGV[4], 'moderator', ARGV[5], 'comment', ARGV[1],
           'from', current, 'to', ARGV[2], 'score', c[2] or '', 'model_version', c[3] or '',
           'via', ARGV[6])
local labels = {approved = '0', spam = '1', rejected = 'rejected', review = ''}
redis.call('XADD', KEYS[EXTRA + 1], '*', 'comment', ARGV[1], 'label', labels[ARGV[2]] or '',
           'body', c[4] or '', 'author', c[5] or '', 'email', c[6] or '', 'url', c[7] or '',
           'model_version', c[3] or '')
return {1, current}
"""
)


@dataclass(frozen=True, slots=True)
class Submission:
    """What :meth:`CommentStore.submit` did: ``saved`` (with the comment),
    ``trapped`` (dropped silently, with the traps), or the CAPTCHA outcome
    that refused it (``wrong``, ``used``, ``expired``, ``thread``)."""

    outcome: str
    comment: "Comment | None" = None
    traps: list[str] = field(default_factory=list)
    at: float = 0.0


# Privacy: erase a comment from every index and drop its hash, or keep its
# text under another name without what identifies its author. Either bumps
# the thread's published version when the comment was published. ARGV: id,
# then for anonymise the new author name.
_ERASE = (
    _MOVE
    + """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 0 end
for i = 1, #STATUSES do
  redis.call('ZREM', KEYS[2 + i], ARGV[1])
  redis.call('ZREM', KEYS[8 + i], ARGV[1])
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
if current == 'approved' then redis.call('INCR', KEYS[14]) end
redis.call('DEL', KEYS[1])
return 1
"""
)
# An imported comment, straight into its status (it is history: no review
# queue); nothing happens if the id exists, so an import can run twice.
# ARGV: id, status, hash fields...
_RESTORE = (
    _MOVE
    + """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
move(ARGV[1], nil, ARGV[2])  -- bumps the thread's version for an approved one
return 1
"""
)
_ANONYMISE = """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 0 end
redis.call('HSET', KEYS[1], 'author', ARGV[2])
redis.call('HDEL', KEYS[1], 'email', 'url', 'agent', 'ip_hash')
if current == 'approved' then redis.call('INCR', KEYS[14]) end
return 1
"""


class InvalidParent(ValueError):
    """A reply to a comment that is unknown, unpublished, of another thread
    (``parent_not_found``) or itself a reply (``invalid_parent``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class CommentNotFound(LookupError):
    pass


class StatusConflict(RuntimeError):
    """The comment's status was not the one expected: someone else moved it."""

    def __init__(self, current: str) -> None:
        super().__init__(f"the comment is now {current!r}")
        self.current = current


def new_comment_id(now: float) -> str:
    """26 characters, sortable by time (48-bit milliseconds + 80 random bits)."""
    return _encode((int(now * 1000) << 80) | secrets.randbits(80))


def stable_id(moment: float, source: str) -> str:
    """An id with ``moment``'s time and bits derived from ``source``: the same
    imported comment gets the same id every time (imports are idempotent)."""
    bits = int.from_bytes(hashlib.sha256(source.encode()).digest()[:10], "big")
    return _encode((int(moment * 1000) << 80) | bits)


def first_id_at(moment: float) -> str:
    """The smallest id a comment created at ``moment`` can have: ids below it
    are older (ranges of comments by time)."""
    return _encode(int(moment * 1000) << 80)


def _agent(user_agent: str) -> tuple[str, str]:
    """(digest, text) of a user agent, kept once per site under its digest."""
    agent = user_agent[:256]
    return (hashlib.blake2b(agent.encode(), digest_size=8).hexdigest() if agent else ""), agent


def _encode(value: int) -> str:
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def created_at_of(comment_id: str) -> float:
    """Creation time (epoch seconds, to the millisecond) carried by a comment id.

    The inverse of ``new_comment_id``: its first 10 characters are 50 bits,
    the id's value shifted right by the 80 random bits, i.e. the milliseconds.
    Reading the id saves storing the time, or fetching the comment's hash.
    """
    if not is_comment_id(comment_id):
        raise ValueError(f"not a comment id: {comment_id!r}")
    return int(comment_id[:10].translate(_TO_BASE32), 32) / 1000


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
    created_at: float  # to the millisecond: read back from the id
    ip_hash: str = ""
    agent: str = ""  # digest of the user agent: CommentStore.user_agent() reads it
    score: str = ""
    model_version: str = ""
    rules: str = ""  # JSON: ["links", ...]
    updated_at: str = ""  # when the status last changed (epoch seconds, as text)
    parent: str = ""  # the comment this one answers (one level deep)

    def public(self) -> dict[str, str]:
        """What anyone may see of an approved comment: never the e-mail or IP."""
        return {
            "id": self.id,
            "thread": self.thread,
            "author": self.author,
            "url": self.url,
            "body": self.body,
            "created_at": iso8601(self.created_at),
        } | ({"parent": self.parent} if self.parent else {})

    @property
    def created(self) -> datetime:
        return datetime.fromtimestamp(self.created_at, UTC)

    @property
    def rules_list(self) -> list:
        return _json_list(self.rules)


def _json_list(value: str) -> list:
    try:
        parsed = json.loads(value) if value else []
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the classifier worker decided for one comment."""

    status: str
    score: float | None
    model_version: str
    rules: list[str]

    def fields(self, now: float) -> list[str]:
        # No explanation here: moderation/explanations.py works it out when shown.
        pairs = {
            "score": "" if self.score is None else f"{self.score:.6f}",
            "model_version": self.model_version,
            "rules": json.dumps(self.rules),
            "classified_at": repr(now),
        }
        return [item for pair in pairs.items() for item in pair]


def _comment(fields: dict[str, str], comment_id: str, site: str) -> Comment:
    """A comment from its hash; its key holds the id and site, and the id the
    creation time: none is stored twice (a comment costs less memory)."""
    known = Comment.__dataclass_fields__
    values = {name: value for name, value in fields.items() if name in known}
    values.setdefault("url", "")
    values.setdefault("email", "")  # erased after the retention period
    values.update(id=comment_id, site=site, created_at=created_at_of(comment_id))
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
        self._submit = client.register_script(_SUBMIT)
        self._erase = client.register_script(_ERASE)
        self._anonymise = client.register_script(_ANONYMISE)
        self._restore = client.register_script(_RESTORE)
        self.webhooks = Webhooks(client, clock)
        self._set_status = client.register_script(_SET_STATUS)
        self._verdicts = client.register_script(_VERDICTS)
        self._dead_letter = client.register_script(_DEAD_LETTER)
        self._decide = client.register_script(_DECIDE)

    def _script_keys(self, comment_id: str, thread: str, *extra: str) -> list[str]:
        """The keys every script declares (see _MOVE), then ``extra``."""
        return [
            self.keys.comment(comment_id),
            self.keys.approved(thread),
            *(self.keys.status(status) for status in STATUSES),
            self.keys.uncertain,
            *(self.keys.thread_status(thread, status) for status in STATUSES),
            self.keys.approved_version(thread),
            *extra,
        ]

    def _new(
        self, thread: str, data: CommentInput, now: float, ip_hash: str, user_agent: str,
        parent: str = "",
    ) -> tuple[Comment, list[str], list[str]]:  # fmt: skip
        """A new pending comment, its hash fields flattened for a script, and
        its user agent as [digest, text] (kept once per site: they repeat)."""
        comment_id = new_comment_id(now)
        digest, agent = _agent(user_agent)
        comment = Comment(
            id=comment_id,
            site=self.site,
            thread=thread,
            author=data.author,
            email=data.email,
            url=data.url,
            body=data.body,
            status="pending",
            created_at=created_at_of(comment_id),
            ip_hash=ip_hash,
            agent=digest,
            parent=parent,
        )
        flat = ["thread", thread, "author", data.author, "email", data.email,
                "body", data.body, "status", "pending"]  # fmt: skip
        # Empty optional fields are left out of the hash to save memory.
        for name, value in (("url", data.url), ("ip_hash", ip_hash), ("agent", digest),
                            ("parent", parent)):  # fmt: skip
            if value:
                flat += [name, value]
        return comment, flat, [digest, agent]

    def save(
        self, thread: str, data: CommentInput, *, ip_hash: str = "", user_agent: str = "",
        parent: str = "",
    ) -> Comment:  # fmt: skip
        """Store a new ``pending`` comment and queue it for review, atomically.
        Raises :class:`InvalidParent` for a reply to a comment it cannot answer."""
        comment, flat, agent = self._new(thread, data, self.clock(), ip_hash, user_agent, parent)
        reply = self._save(
            keys=self._script_keys(comment.id, thread, self.keys.queue, self.keys.agents,
                                   *self._parent_key(parent)),
            args=[comment.id, queue.FIELD, *agent, thread, *flat],
        )  # fmt: skip
        if reply[0] == "parent":
            raise InvalidParent(reply[1])
        self._created(comment)
        return comment

    def _created(self, comment: Comment) -> None:
        self._announce("comment.created", {**comment.public(), "site": self.site,
                                           "status": comment.status})  # fmt: skip

    def _announce(self, event: str, payload: dict[str, str]) -> None:
        """Tell the webhooks about a change already made: a failure to queue
        the event is logged, never allowed to undo or hide the change."""
        try:
            self.webhooks.emit(event, payload)
        except redis.RedisError:
            log.exception("%s of comment %s done, but its webhook event could not be queued",
                          event, payload["id"])  # fmt: skip

    def restore(self, comment: Comment, user_agent: str = "") -> bool:
        """Store an imported or exported comment as it was (its id, status,
        time and parent); False when a comment with that id already exists."""
        if comment.status not in STATUSES or not is_comment_id(comment.id):
            raise ValueError(f"cannot restore {comment.id!r} as {comment.status!r}")
        fields = {"thread": comment.thread, "author": comment.author, "email": comment.email,
                  "body": comment.body, "status": comment.status, "url": comment.url,
                  "ip_hash": comment.ip_hash, "score": comment.score,
                  "model_version": comment.model_version, "rules": comment.rules,
                  "updated_at": comment.updated_at, "parent": comment.parent}  # fmt: skip
        if user_agent:
            fields["agent"], agent = _agent(user_agent)
            self.client.hsetnx(self.keys.agents, fields["agent"], agent)
        flat = [item for name, value in fields.items() if value for item in (name, value)]
        keys = self._script_keys(comment.id, comment.thread)
        return bool(self._restore(keys=keys, args=[comment.id, comment.status, *flat]))

    def all_ids(self) -> list[str]:
        """Every comment id of the site, oldest first (from the status indexes)."""
        ids: set[str] = set()
        for status in STATUSES:
            ids.update(self.client.zrange(self.keys.status(status), 0, -1))
        return sorted(ids)

    def _parent_key(self, parent: str) -> list[str]:
        if not parent:
            return []
        if not is_comment_id(parent):
            raise InvalidParent("invalid_parent")
        return [self.keys.comment(parent)]

    def erase(self, comment: Comment) -> bool:
        """Remove a comment entirely (privacy). False if it was already gone."""
        keys = self._script_keys(comment.id, comment.thread)
        return bool(self._erase(keys=keys, args=[comment.id]))

    def anonymise(self, comment: Comment, author: str) -> bool:
        """Keep the text under ``author``; drop e-mail, website, agent, IP hash."""
        keys = self._script_keys(comment.id, comment.thread)
        return bool(self._anonymise(keys=keys, args=[comment.id, author]))

    def ids_before(self, status: str, before_id: str, after_id: str = "") -> list[str]:
        """Ids in ``status`` created after ``after_id`` and before ``before_id``
        (ids sort by creation time)."""
        low = f"({after_id}" if after_id else "-"
        return self.client.zrangebylex(self.keys.status(status), low, f"({before_id}")

    def user_agent(self, comment: Comment) -> str:
        """The user agent a comment was posted with ('' if unknown or erased)."""
        if not comment.agent:
            return ""
        return self.client.hget(self.keys.agents, comment.agent) or ""

    def user_agents(self) -> dict[str, str]:
        """Every user agent of the site by digest, for reading many comments'."""
        return self.client.hgetall(self.keys.agents)

    def submit(
        self, thread: str, data: CommentInput, *, challenge_key: str, answer: object,
        honeypot: bool = False, min_fill_seconds: float = 0.0, ip_hash: str = "",
        user_agent: str = "", parent: str = "",
    ) -> "Submission":  # fmt: skip
        """A reader's comment behind its CAPTCHA answer, in one round trip: the
        answer is checked (and the token burnt), the bot traps sprung, and only
        then the comment saved and queued. ``challenge_key`` must carry this
        site's hash tag (``ChallengeStore.key_for(token, namespace=site)``)."""
        now = self.clock()
        comment, flat, agent = self._new(thread, data, now, ip_hash, user_agent, parent)
        reply = self._submit(
            keys=self._script_keys(comment.id, thread, self.keys.queue, challenge_key,
                                   self.keys.traps, self.keys.agents,
                                   *self._parent_key(parent)),
            args=[comment.id, queue.FIELD, *ChallengeStore.check_args(now, thread, answer),
                  "1" if honeypot else "", repr(min_fill_seconds), *agent, *flat],
        )  # fmt: skip
        if reply[0] == "saved":
            self._created(comment)
            return Submission("saved", comment=comment)
        if reply[0] == "trapped":
            return Submission("trapped", traps=reply[1].split(","), at=now)
        if reply[0] == "parent":
            raise InvalidParent(reply[1])
        return Submission(reply[0], at=now)

    def get(self, comment_id: str) -> Comment | None:
        if not is_comment_id(comment_id):
            return None
        fields = self.client.hgetall(self.keys.comment(comment_id))
        return _comment(fields, comment_id, self.site) if fields else None

    def get_many(self, comment_ids: list[str]) -> list[dict[str, str]]:
        """Raw fields of each comment, ``{}`` for a missing one; one round trip."""
        with self.client.pipeline(transaction=False) as pipe:
            for comment_id in comment_ids:
                pipe.hgetall(self.keys.comment(comment_id))
            return pipe.execute()

    def status(self, comment_id: str) -> str | None:
        if not is_comment_id(comment_id):
            return None
        return self.client.hget(self.keys.comment(comment_id), "status")

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
        outcome, previous = self._set_status(
            keys=self._script_keys(comment_id, thread),
            args=[comment_id, status, expected or "", repr(self.clock())],
        )
        if outcome == 0:
            raise CommentNotFound(comment_id)
        if outcome == 2:
            raise StatusConflict(previous)
        return previous

    def decide(
        self, comment_id: str, status: str, moderator: str, *, expected: str | None = None,
        via: str = "page",
    ) -> str:  # fmt: skip
        """A moderator moves a comment; audited and fed back to the classifier
        in the same atomic step. Returns the previous status.

        Raises :class:`StatusConflict` when ``expected`` is given and is no
        longer the comment's status (someone else decided first).
        """
        if status not in STATUSES or status == "pending":
            raise ValueError(f"not a decision: {status!r}")
        thread = (
            self.client.hget(self.keys.comment(comment_id), "thread")
            if is_comment_id(comment_id)
            else None
        )
        if thread is None:
            raise CommentNotFound(comment_id)
        keys = self._script_keys(comment_id, thread, self.keys.audit, self.keys.feedback)
        outcome, previous = self._decide(
            keys=keys, args=[comment_id, status, expected or "", repr(self.clock()), moderator, via]
        )
        if outcome == 0:
            raise CommentNotFound(comment_id)
        if outcome == 2:
            raise StatusConflict(previous)
        metrics.DECISIONS.labels(status, via).inc()
        self._announce("comment.decided", {
            "site": self.site, "id": comment_id, "thread": thread, "status": status,
            "previous": previous, "moderator": moderator, "via": via,
        })  # fmt: skip
        return previous

    def apply_verdicts(
        self, group: str, items: list[tuple[str, str, str, Verdict]]
    ) -> list[str | None]:
        """For each (entry id, comment id, thread, verdict): write the verdict if
        the comment is still pending, and acknowledge the entry; one script.

        Returns each comment's status before, ``None`` if it no longer exists.
        """
        if not items:
            return []
        now = self.clock()
        keys: list[str] = []
        args: list[str] = [group, repr(now)]
        for entry_id, comment_id, thread, verdict in items:
            keys += self._script_keys(comment_id, thread)
            fields = verdict.fields(now)
            args += [comment_id, entry_id, verdict.status, str(len(fields)), *fields]
        keys.append(self.keys.queue)
        return [value or None for value in self._verdicts(keys=keys, args=args)]

    def dead_letter(
        self, group: str, entry_id: str, comment_id: str, thread: str, reason: str,
        deliveries: int,
    ) -> str | None:  # fmt: skip
        """Give up on an entry: record it, send its comment to review, acknowledge."""
        previous = self._dead_letter(
            keys=self._script_keys(comment_id, thread, self.keys.queue, self.keys.dead_letters),
            args=[comment_id, group, entry_id, repr(self.clock()), reason[:500], deliveries],
        )
        return previous or None

    def count(self, status: str) -> int:
        return self.client.zcard(self.keys.status(status))

    def in_status(
        self, status: str, after: str | None = None, limit: int = 50, thread: str | None = None
    ) -> tuple[list[Comment], str | None]:
        """Comments in ``status`` (of one thread if given), oldest first, and the
        cursor of the next page."""
        index = self.keys.thread_status(thread, status) if thread else self.keys.status(status)
        return self._page(index, after, limit)

    def most_uncertain(self, offset: int = 0, limit: int = 50) -> tuple[list[Comment], int | None]:
        """Comments in review whose score is nearest 0.5 first; unscored ones are
        not in this order. Returns the offset of the next page."""
        ids = self.client.zrange(self.keys.uncertain, offset, offset + limit)
        more = len(ids) > limit
        return self.comments(ids[:limit]), (offset + limit if more else None)

    def approved(
        self, thread: str, after: str | None = None, limit: int = 200
    ) -> tuple[list[Comment], str | None]:
        """Approved comments of ``thread``, oldest first, and the cursor of the next page.

        Ids sort by creation time, so the index is ordered by member name and
        the cursor is simply the last id seen.
        """
        return self._page(self.keys.approved(thread), after, limit)

    def latest_approved(self, thread: str, limit: int = 50) -> list[Comment]:
        """The ``limit`` newest approved comments of ``thread``, newest first."""
        ids = self.client.zrevrangebylex(self.keys.approved(thread), "+", "-", start=0, num=limit)
        return self.comments(ids)

    def approved_count(self, thread: str) -> int:
        return self.client.zcard(self.keys.approved(thread))

    def approved_version(self, thread: str) -> int:
        """Changes whenever the thread's approved list does (0 before the first)."""
        return int(self.client.get(self.keys.approved_version(thread)) or 0)

    def _page(self, index: str, after: str | None, limit: int) -> tuple[list[Comment], str | None]:
        low = f"({after}" if after else "-"
        ids = self.client.zrangebylex(index, low, "+", start=0, num=limit + 1)
        more = len(ids) > limit
        ids = ids[:limit]
        return self.comments(ids), (ids[-1] if more and ids else None)

    def comments(self, ids: list[str]) -> list[Comment]:
        """The comments of these ids that exist, in the same order."""
        rows = self.get_many(ids)
        return [_comment(row, i, self.site) for i, row in zip(ids, rows, strict=True) if row]
