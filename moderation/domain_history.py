"""What moderators decided about comments linking to each domain, per site.

The classifier reads links by kind (a reference, a shortener, a commercial
domain); this adds what this site's own moderators have learnt: a domain
whose comments they keep filing as spam counts against the next comment
linking to it, one they keep publishing counts for it. Counts decay with a
half-life, so a domain that changed hands is forgiven in time.

The counts are folded from the feedback stream (each decision is there
once, with the comment's text), from a cursor kept beside them, in one
WATCH/MULTI step: many workers may fold, none counts a decision twice. A
decision changed later (an undo, spam then approved) replaces the earlier
one. One hash per site, ``domains:{site}``: ``<domain>`` → ``"spam ham time"``,
``c:<comment>`` → ``"label time domain..."`` for comments with links, and
``~cursor``.
"""

import time
from collections.abc import Callable, Sequence

import redis

from classifiers.links import history_evidence, links_in
from moderation.keys import SiteKeys

CURSOR = "~cursor"
DAY = 86400.0


def _domains(body: str) -> list[str]:
    return sorted({link.domain for link in links_in(body)})


def _entry_time(entry_id: str) -> float:
    return int(entry_id.split("-", 1)[0]) / 1000


class DomainHistory:
    def __init__(
        self,
        client: redis.Redis,
        site: str = "default",
        *,
        half_life_days: float = 90.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.keys = SiteKeys(site)
        self.half_life = half_life_days * DAY
        self.clock = clock

    def _decay(self, since: float, now: float) -> float:
        return 0.5 ** (max(0.0, now - since) / self.half_life) if self.half_life > 0 else 1.0

    def counts(self, domains: Sequence[str]) -> dict[str, tuple[float, float]]:
        """(spam, approved) per domain, decayed to now; absent when never decided."""
        if not domains:
            return {}
        now = self.clock()
        found = {}
        for domain, raw in zip(domains, self.client.hmget(self.keys.domains, list(domains)),
                               strict=True):  # fmt: skip
            if raw:
                spam, ham, since = (float(part) for part in raw.split())
                factor = self._decay(since, now)
                found[domain] = (spam * factor, ham * factor)
        return found

    def evidence(self, bodies: Sequence[str]) -> list[float]:
        """For each comment, what past decisions on its link domains say (log-odds)."""
        per_body = [_domains(body) if "." in body else [] for body in bodies]
        known = self.counts(sorted({domain for domains in per_body for domain in domains}))
        evidence = []
        for domains in per_body:
            spam = sum(known.get(domain, (0.0, 0.0))[0] for domain in domains)
            ham = sum(known.get(domain, (0.0, 0.0))[1] for domain in domains)
            evidence.append(history_evidence(spam, ham) if spam or ham else 0.0)
        return evidence

    def fold(self, limit: int = 1000) -> int:
        """Add decisions made since the last fold; returns how many were read."""
        key = self.keys.domains
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    cursor = pipe.hget(key, CURSOR) or "0-0"
                    entries = pipe.xrange(self.keys.feedback, min=f"({cursor}", count=limit)
                    if not entries:
                        pipe.unwatch()
                        return 0
                    writes, removed = self._changes(pipe, entries)
                    pipe.multi()
                    pipe.hset(key, mapping={**writes, CURSOR: entries[-1][0]})
                    if removed:
                        pipe.hdel(key, *removed)
                    pipe.execute()
                    return len(entries)
                except redis.WatchError:
                    continue  # another worker folded first: read again

    def _changes(self, pipe: "redis.client.Pipeline", entries: list) -> tuple[dict, list]:
        """The hash fields to write and to delete for ``entries`` (read through
        ``pipe`` while it watches, so they are consistent with the cursor)."""
        key = self.keys.domains
        decided = [(fields.get("comment", ""), fields) for _id, fields in entries]
        comments = sorted({comment for comment, _fields in decided if comment})
        earlier = dict(zip(comments, pipe.hmget(key, [f"c:{c}" for c in comments]) if comments
                           else [], strict=True))  # fmt: skip
        touched: dict[str, list[float]] = {}

        def counts(domain: str, now: float) -> list[float]:
            if domain not in touched:
                raw = pipe.hget(key, domain)
                spam, ham, since = (float(p) for p in raw.split()) if raw else (0.0, 0.0, now)
                touched[domain] = [spam, ham, since]
            spam, ham, since = touched[domain]
            factor = self._decay(since, now)
            touched[domain] = [spam * factor, ham * factor, max(since, now)]
            return touched[domain]

        records: dict[str, str | None] = {}
        for (comment, fields), (entry_id, _fields) in zip(decided, entries, strict=True):
            now = _entry_time(entry_id)
            previous = records[comment] if comment in records else earlier.get(comment)
            if previous:  # a later decision on the same comment replaces this one
                label, since, *domains = previous.split()
                for domain in domains:
                    row = counts(domain, now)
                    index = 0 if label == "1" else 1
                    row[index] = max(0.0, row[index] - self._decay(float(since), now))
            label = fields.get("label", "")
            domains = _domains(fields.get("body", "")) if label in {"0", "1"} else []
            for domain in domains:
                counts(domain, now)[0 if label == "1" else 1] += 1.0
            records[comment] = f"{label} {now} {' '.join(domains)}" if domains else None
        writes = {domain: f"{spam:.6g} {ham:.6g} {since}"
                  for domain, (spam, ham, since) in touched.items()}  # fmt: skip
        writes.update({f"c:{c}": record for c, record in records.items() if record})
        removed = [f"c:{c}" for c, record in records.items() if record is None and earlier.get(c)]
        return writes, removed
