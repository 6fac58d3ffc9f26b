"""The classifier worker: read the review stream in batches, score, route,
write each verdict and acknowledge its entry in one atomic step.

Many workers share one consumer group. An entry a dead worker held is
reclaimed after ``reclaim_after`` seconds; an entry that failed
``max_deliveries`` times goes to the dead-letter stream and its comment to
human review, never to publication.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import redis

from classifiers.model import SpamClassifier
from classifiers.sample import Sample
from moderation import metrics
from moderation.authors import Authors
from moderation.backoff import Backoff
from moderation.bursts import BurstDetector
from moderation.domain_history import DomainHistory
from moderation.models import ModelCache
from moderation.policy import Decision, Policy
from moderation.queue import QueueEntry, ReviewQueue
from moderation.routing import text_scores
from moderation.store import CommentStore, Verdict, created_at_of

log = logging.getLogger("moderation.worker")  # the name its log lines have always carried

# Redis unreachable or too slow: wait and try again, never give up on entries.
OUTAGE = (redis.ConnectionError, redis.TimeoutError)


@dataclass
class WorkerStats:
    classified: int = 0
    skipped: int = 0  # delivered again after a verdict: acknowledged, not re-scored
    failed: int = 0
    dead_lettered: int = 0
    batches: int = 0


class Worker:
    def __init__(
        self,
        client: redis.Redis,
        *,
        models: ModelCache,
        policy: Policy,
        name: str,
        site: str = "default",
        batch_size: int = 100,
        block_ms: int = 1000,
        reclaim_after: float = 60.0,
        max_deliveries: int = 5,
        bursts: BurstDetector | None = None,
        history: DomainHistory | None = None,
        history_every: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.queue = ReviewQueue(client, site)
        self.store = CommentStore(client, site, clock=clock)
        self.authors = Authors(client, site, clock=clock)
        self.models = models
        self.policy = policy
        self.name = name
        self.batch_size = batch_size
        self.block_ms = block_ms
        self.reclaim_after = reclaim_after
        self.max_deliveries = max_deliveries
        self.bursts = bursts
        self.history = history
        self.history_every = history_every
        self._history_due = 0.0
        self.stop_event = threading.Event()
        self.stats = WorkerStats()

    def stop(self) -> None:
        """Finish the batch in hand, then return from :meth:`run`."""
        self.stop_event.set()

    def run(self, burst: bool = False, max_batches: int | None = None) -> WorkerStats:
        """Work until stopped; with ``burst``, until nothing is left to do."""
        self.queue.ensure_group()
        while not self.stop_event.is_set():
            if max_batches is not None and self.stats.batches >= max_batches:
                break
            if not self.step(block=not burst) and burst:
                break
        self.queue.trim()
        return self.stats

    def step(self, block: bool = False) -> bool:
        """One batch: stale entries first, else new ones (waiting up to
        ``block_ms`` if ``block``). Returns whether there was anything to do."""
        entries = self._reclaim()
        if not entries:
            entries = self.queue.read(
                self.name, count=self.batch_size, block_ms=self.block_ms if block else None
            )
        if not entries:
            return False
        self.process(entries)
        self.stats.batches += 1
        if self.stats.batches % 100 == 0:
            self.queue.trim()
        return True

    def _reclaim(self) -> list[QueueEntry]:
        """Entries idle too long in any consumer, minus those past their last try."""
        entries = self.queue.reclaim(
            self.name, min_idle_ms=int(self.reclaim_after * 1000), count=self.batch_size
        )
        if not entries:
            return []
        deliveries = self.queue.deliveries([entry.entry_id for entry in entries])
        keep = []
        for entry in entries:
            count = deliveries.get(entry.entry_id, 1)
            if count > self.max_deliveries:
                self._give_up(entry, f"failed {count - 1} deliveries", count)
            else:
                keep.append(entry)
        return keep

    def _give_up(self, entry: QueueEntry, reason: str, deliveries: int) -> None:
        fields = self.store.get_many([entry.comment_id])[0] if entry.comment_id else {}
        thread = fields.get("thread", "")
        self.store.dead_letter(
            self.queue.group, entry.entry_id, entry.comment_id or "", thread, reason, deliveries
        )
        self.stats.dead_lettered += 1
        log.error("entry %s (comment %s) dead-lettered: %s",
                  entry.entry_id, entry.comment_id, reason)  # fmt: skip

    def process(self, entries: list[QueueEntry]) -> None:
        """Score and route one batch. An entry that fails stays pending, to be
        retried after ``reclaim_after`` and dead-lettered after too many tries."""
        rows = self.store.get_many([entry.comment_id or "" for entry in entries])
        ready: list[tuple[QueueEntry, dict[str, str]]] = []
        done_already: list[str] = []
        for entry, fields in zip(entries, rows, strict=True):
            if not fields:
                self._give_up(entry, "comment not found", 1)
            elif fields.get("status") != "pending":
                done_already.append(entry.entry_id)  # a verdict exists: never classify twice
            elif not fields.get("thread") or "body" not in fields:
                self.stats.failed += 1
                log.error("comment %s is malformed; left pending for retry", entry.comment_id)
            else:
                ready.append((entry, fields))
        if done_already:
            self.queue.ack(done_already)
            self.stats.skipped += len(done_already)
        if not ready:
            return
        verdicts = self._verdicts([fields for _entry, fields in ready])
        if self.bursts is not None:
            verdicts = self._flag_bursts(ready, verdicts)
        verdicts = self._by_author([fields for _entry, fields in ready], verdicts)
        items = []
        for (entry, fields), verdict in zip(ready, verdicts, strict=True):
            if verdict is None:
                self.stats.failed += 1
                continue
            items.append((entry.entry_id, entry.comment_id, fields["thread"], verdict))
        before = self.store.apply_verdicts(self.queue.group, items)
        self.authors.record([(entry.comment_id or "", fields.get("email", ""),
                              fields.get("ip_hash", "")) for entry, fields in ready])  # fmt: skip
        now = self.store.clock()
        for (_entry, comment_id, _thread, verdict), status in zip(items, before, strict=True):
            if status == "pending":
                self.stats.classified += 1
                metrics.CLASSIFIED.labels(verdict.status).inc()
                metrics.CLASSIFICATION_SECONDS.observe(max(0.0, now - created_at_of(comment_id)))
            else:
                self.stats.skipped += 1

    def _by_author(self, rows: list[dict[str, str]], verdicts: list[Verdict | None]
                   ) -> list[Verdict | None]:  # fmt: skip
        """Trusted, blocked and new authors (authors.py, Policy.for_author)."""
        standings = self.authors.standings(rows, counted=self.policy.known_authors > 0)
        routed: list[Verdict | None] = []
        for verdict, standing in zip(verdicts, standings, strict=True):
            if verdict is not None:
                decision = self.policy.for_author(
                    Decision(verdict.status, verdict.rules), standing.mark,
                    approved=standing.approved, refused=standing.refused)  # fmt: skip
                verdict = replace(verdict, status=decision.status, rules=decision.rules)
            routed.append(verdict)
        return routed

    def _link_history(self, rows: list[dict[str, str]]) -> list[float]:
        """What this site's moderators decided about the links' domains,
        folding their newest decisions in first (at most every ``history_every`` s)."""
        if self.history is None:
            return [0.0] * len(rows)
        try:
            if time.monotonic() >= self._history_due:
                self._history_due = time.monotonic() + self.history_every
                while self.history.fold() >= 1000:  # a long backlog: all of it
                    pass
            return self.history.evidence([row.get("body", "") for row in rows])
        except OUTAGE:
            raise
        except Exception:  # a hint, not a verdict: score without it
            log.exception("link history unavailable; scoring without it")
            return [0.0] * len(rows)

    def _verdicts(self, rows: list[dict[str, str]]) -> list[Verdict | None]:
        history = self._link_history(rows)
        samples = [
            Sample(body=row.get("body", ""), author=row.get("author", ""),
                   email=row.get("email", ""), url=row.get("url", ""), link_history=known)
            for row, known in zip(rows, history, strict=True)
        ]  # fmt: skip
        try:
            version, model = self.models.current()
        except OUTAGE:
            raise  # Redis is down, the model is not broken: the batch stays pending
        except Exception:  # a broken model must not stop the queue: people review
            log.exception("cannot load the active model; routing to review")
            version, model = None, None
        if model is None:
            return [self._route(None, "", sample) for sample in samples]
        try:
            scores = model.predict_proba(samples)[:, 1]
            texts = self._text_scores(model, samples, scores)
        except Exception:
            log.exception("batch scoring failed; scoring one by one")
            return [self._one(model, version or "", sample) for sample in samples]
        return [
            self._route(float(score), version or "", sample, text)
            for score, sample, text in zip(scores, samples, texts, strict=True)
        ]

    def _flag_bursts(
        self, ready: list[tuple[QueueEntry, dict[str, str]]], verdicts: list[Verdict | None]
    ) -> list[Verdict | None]:
        """Near-duplicates posted again and again go to a person (or stay spam),
        marked as part of a burst."""
        assert self.bursts is not None
        earlier = self.bursts.observe(
            [(entry.comment_id, fields.get("body", "")) for entry, fields in ready]
        )
        flagged = []
        for (entry, _fields), verdict in zip(ready, verdicts, strict=True):
            if verdict is not None and self.bursts.is_burst(earlier[entry.comment_id]):
                status = verdict.status if verdict.status == "spam" else "review"
                rules = [rule for rule in verdict.rules if rule != "likely_good"] + ["burst"]
                verdict = replace(verdict, status=status, rules=rules)
            flagged.append(verdict)
        return flagged

    def _text_scores(self, model: SpamClassifier, samples: list[Sample], scores: Sequence[float]
                     ) -> list[float | None]:  # fmt: skip
        spam_at, _good = self.policy.thresholds(self.models.bands)
        return text_scores(model, samples, scores, spam_at)

    def _one(self, model: SpamClassifier, version: str, sample: Sample) -> Verdict | None:
        try:
            score = float(model.predict_proba([sample])[0, 1])
            text = self._text_scores(model, [sample], [score])[0]
        except Exception:
            log.exception("cannot score a comment; it stays pending for retry")
            return None
        return self._route(score, version, sample, text)

    def _route(self, score: float | None, version: str, sample: Sample,
               text_score: float | None = None) -> Verdict:  # fmt: skip
        decision = self.policy.decide(score, sample.body, self.models.bands, text_score)
        return Verdict(decision.status, score, version, decision.rules)


def run_sites(
    make_worker: Callable[[str], Worker],
    sites: Callable[[], list[str]],
    stop_event: threading.Event,
    *,
    burst: bool = False,
    idle_wait: float = 0.2,
    backoff: Backoff | None = None,
    tasks: Sequence[tuple[float, Callable[[], object]]] = (),
) -> list[Worker]:
    """Serve the review stream of every site (the list is re-read each round,
    so a site added while running is picked up). With one site, reads block
    on its stream; with several, an idle round waits ``idle_wait`` seconds.

    While Redis is unreachable, rounds are retried after growing waits; what
    a worker had read stays pending and is taken over or finished later.
    Each of ``tasks`` (seconds, callable: the privacy purge, the moderators'
    digest) runs at most that often; it decides itself whether there is work."""
    backoff = backoff or Backoff()
    workers: dict[str, Worker] = {}
    regroup = False
    due = [time.monotonic()] * len(tasks)
    while not stop_event.is_set():
        try:
            if regroup:
                for worker in workers.values():
                    worker.queue.ensure_group()
                regroup = False
            busy, several = _round(make_worker, sites(), workers, stop_event, burst)
            for index, (every, task) in enumerate(tasks):
                if time.monotonic() >= due[index]:
                    due[index] = time.monotonic() + every
                    _housekeep(task)
        except OUTAGE as error:
            wait_for_redis(backoff, error, stop_event)
            continue
        except redis.ResponseError as error:
            if "NOGROUP" not in str(error):
                raise
            # Redis came back without our consumer group (restarted without
            # persistence): make it again on the next round.
            log.warning("consumer group missing; recreating it")
            regroup = True
            continue
        if backoff.failures:
            log.info("Redis reachable again")
            backoff.reset()
        if not busy:
            if burst:
                break
            if several:
                stop_event.wait(idle_wait)
    for worker in workers.values():
        with contextlib.suppress(*OUTAGE):  # housekeeping; the next run trims
            worker.queue.trim()
    return list(workers.values())


def wait_for_redis(backoff: Backoff, error: Exception, stop_event: threading.Event) -> None:
    """Log the outage and wait the backoff's next delay (or until stopped)."""
    delay = backoff.next_delay()
    log.warning("Redis unreachable (%s); retrying in %.1f s", error, delay)
    stop_event.wait(delay)


def _housekeep(task: Callable[[], object]) -> None:
    try:
        task()
    except OUTAGE:
        raise  # the round's outage handling waits and retries
    except Exception:  # housekeeping must never stop the classification
        log.exception("housekeeping failed; it will be tried again")


def _round(
    make_worker: Callable[[str], Worker],
    names: list[str],
    workers: dict[str, Worker],
    stop_event: threading.Event,
    burst: bool,
) -> tuple[bool, bool]:
    """One batch for each site; returns (any work done, several sites)."""
    busy = False
    for site in names:
        worker = workers.get(site)
        if worker is None:
            worker = make_worker(site)
            worker.stop_event = stop_event
            worker.queue.ensure_group()
            workers[site] = worker
        busy = worker.step(block=not burst and len(names) == 1) or busy
    return busy, len(names) > 1
