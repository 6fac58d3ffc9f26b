"""Webhooks: the operator registers URLs for events; each event is queued in
Redis and delivered by the workers, signed, and retried with growing waits.

Every delivery is a POST of a JSON body with these headers:

- ``X-Comments-Event``: ``comment.created`` or ``comment.decided``
- ``X-Comments-Delivery``: the delivery's id (the same on every retry)
- ``X-Comments-Timestamp``: Unix seconds when this attempt was signed
- ``X-Comments-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the
  webhook's secret, of ``timestamp + "." + body``. A receiver recomputes it,
  compares in constant time, and refuses stale timestamps (replays).

A 2xx answer ends a delivery; anything else (or no answer in 5 s) is retried
after 10 s, 20 s, 40 s... up to ``MAX_ATTEMPTS``, then given up and logged. A
delivery is sent at least once: one whose sender died is sent again.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass

import redis

from moderation import keys

log = logging.getLogger(__name__)

P = keys.WEBHOOKS
EVENTS = ("comment.created", "comment.decided")
MAX_ATTEMPTS = 8
FIRST_RETRY = 10.0
TIMEOUT = 5.0
# Straight to the receiver, whatever *_proxy variables say.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


LEASE = 60  # seconds a claimed delivery is someone's; after that, it is sent again

# Claim one delivery: a retry now due, else the oldest queued event. The
# claimed delivery stays in the retry set, leased, until its sender removes it:
# a worker that dies while sending leaves it to be sent again (at least once;
# receivers drop repeats by X-Comments-Delivery). KEYS: queue, retry. ARGV:
# now, lease seconds. Returns the claimed member (JSON) or nil.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 1)[1]
if due then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), due)
  return due
end
local entry = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
if not entry then return nil end
local item = {delivery = entry[1]}
for i = 1, #entry[2], 2 do item[entry[2][i]] = entry[2][i + 1] end
local member = cjson.encode(item)
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), member)
redis.call('XDEL', KEYS[1], entry[1])
return member
"""


@dataclass(frozen=True, slots=True)
class Webhook:
    id: str
    url: str
    events: tuple[str, ...]
    secret: str


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class Webhooks:
    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self._cached: tuple[float, list[Webhook]] = (-1e9, [])
        self._claim = client.register_script(_CLAIM)

    # -- registry ---------------------------------------------------------

    def add(self, url: str, events: list[str], secret: str | None = None) -> Webhook:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the URL must start with https:// (or http://)")
        unknown = set(events) - set(EVENTS)
        if not events or unknown:
            raise ValueError(f"events must be among {', '.join(EVENTS)}")
        hook = Webhook(secrets.token_hex(6), url, tuple(dict.fromkeys(events)),
                       secret or secrets.token_urlsafe(32))  # fmt: skip
        self.client.hset(P + "all", hook.id, json.dumps(asdict(hook)))
        return hook

    def remove(self, hook_id: str) -> bool:
        return bool(self.client.hdel(P + "all", hook_id))

    def all(self) -> list[Webhook]:
        hooks = []
        for raw in self.client.hvals(P + "all"):
            data = json.loads(raw)
            hooks.append(Webhook(data["id"], data["url"], tuple(data["events"]), data["secret"]))
        return sorted(hooks, key=lambda hook: hook.id)

    def _subscribed(self, event: str) -> list[Webhook]:
        """Hooks for ``event``, re-read at most every 5 s: a site with none
        pays nothing per comment but this cached check."""
        read_at, hooks = self._cached
        if self.clock() - read_at > 5:
            hooks = self.all()
            self._cached = (self.clock(), hooks)
        return [hook for hook in hooks if event in hook.events]

    # -- events -----------------------------------------------------------

    def emit(self, event: str, payload: dict) -> int:
        """Queue one delivery per hook subscribed to ``event``."""
        hooks = self._subscribed(event)
        if not hooks:
            return 0
        body = json.dumps({"event": event, "at": self.clock(), "data": payload},
                          ensure_ascii=False)  # fmt: skip
        with self.client.pipeline(transaction=True) as pipe:
            for hook in hooks:
                pipe.xadd(P + "queue", {"hook": hook.id, "event": event, "body": body,
                                        "attempt": "1"})  # fmt: skip
            pipe.execute()
        return len(hooks)

    # -- delivery ---------------------------------------------------------

    def deliver_due(self, limit: int = 50) -> int:
        """Send the retries now due, then what is queued; returns attempts made.
        Several workers may call it: each delivery is claimed by one at a time."""
        sent = 0
        hooks: dict[str, Webhook] | None = None  # read once, when there is work
        while sent < limit:
            member = self._claim(keys=[P + "queue", P + "retry"],
                                 args=[repr(self.clock()), LEASE])  # fmt: skip
            if member is None:
                break
            if hooks is None:
                hooks = {hook.id: hook for hook in self.all()}
            self._attempt(member, json.loads(member), hooks)
            sent += 1
        return sent

    def _attempt(self, member: str, item: dict, hooks: dict[str, Webhook]) -> None:
        """One try; the claimed member is replaced by its next try, or removed."""
        hook = hooks.get(item["hook"])
        ok = hook is not None and self._post(hook, item)  # a removed hook: nothing to do
        attempt = int(item["attempt"])
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zrem(P + "retry", member)
            if not ok and hook is not None and attempt < MAX_ATTEMPTS:
                wait = FIRST_RETRY * 2 ** (attempt - 1)
                retry = json.dumps({**item, "attempt": str(attempt + 1)}, sort_keys=True)
                pipe.zadd(P + "retry", {retry: self.clock() + wait})
                log.warning("webhook %s: delivery %s failed (attempt %d); retrying in %.0f s",
                            hook.id, item["delivery"], attempt, wait)  # fmt: skip
            elif not ok and hook is not None:
                log.error("webhook %s: delivery %s given up after %d attempts",
                          hook.id, item["delivery"], attempt)  # fmt: skip
            pipe.execute()

    def _post(self, hook: Webhook, item: dict) -> bool:
        body = item["body"].encode()
        stamp = int(self.clock())
        # add() let only http(s) URLs in: no file: or custom scheme reaches here.
        request = urllib.request.Request(hook.url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json",
            "User-Agent": "moderation-webhooks",
            "X-Comments-Event": item["event"],
            "X-Comments-Delivery": item["delivery"],
            "X-Comments-Timestamp": str(stamp),
            "X-Comments-Signature": sign(hook.secret, stamp, body),
        })  # fmt: skip
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as response:
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError, ValueError):
            return False
