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
after 10 s, 20 s, 40 s... up to ``MAX_ATTEMPTS``, then given up and logged.
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

log = logging.getLogger(__name__)

P = "hook:{hooks}:"  # one hash tag: hooks, queue and retries in one slot
EVENTS = ("comment.created", "comment.decided")
MAX_ATTEMPTS = 8
FIRST_RETRY = 10.0
TIMEOUT = 5.0
# Straight to the receiver, whatever *_proxy variables say.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
        """Send what is queued and the retries now due; returns deliveries made.
        Several workers may call it: each entry is taken by exactly one."""
        sent = 0
        now = self.clock()
        for member in self.client.zrangebyscore(P + "retry", "-inf", now, start=0, num=limit):
            if self.client.zrem(P + "retry", member):  # whoever removes it sends it
                sent += self._attempt(json.loads(member))
        while sent < limit:
            taken = self._take()
            if taken is None:
                break
            sent += self._attempt(taken)
        return sent

    def _take(self) -> dict | None:
        entries = self.client.xrange(P + "queue", count=1)
        if not entries:
            return None
        entry_id, fields = entries[0]
        if not self.client.xdel(P + "queue", entry_id):
            return None  # another worker took it
        return {**fields, "delivery": entry_id}

    def _attempt(self, item: dict) -> int:
        hook = next((h for h in self.all() if h.id == item["hook"]), None)
        if hook is None:
            return 0  # removed since: nothing to deliver to
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
                ok = 200 <= response.status < 300
        except (urllib.error.URLError, OSError, ValueError):
            ok = False
        if ok:
            return 1
        attempt = int(item["attempt"])
        if attempt >= MAX_ATTEMPTS:
            log.error("webhook %s: delivery %s given up after %d attempts",
                      hook.id, item["delivery"], attempt)  # fmt: skip
            return 1
        wait = FIRST_RETRY * 2 ** (attempt - 1)
        retry = {**item, "attempt": str(attempt + 1)}
        self.client.zadd(P + "retry", {json.dumps(retry, sort_keys=True): self.clock() + wait})
        log.warning("webhook %s: delivery %s failed (attempt %d); retrying in %.0f s",
                    hook.id, item["delivery"], attempt, wait)  # fmt: skip
        return 1
