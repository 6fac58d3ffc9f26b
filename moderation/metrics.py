"""Prometheus metrics, served at ``/metrics``.

Counters and histograms live in each process. Under gunicorn (several
processes) set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by the
web processes and the workers started beside them (``moderation serve`` does
it under the instance folder): prometheus-client then sums every process's
files at each scrape. Queue depths, the oldest waiting comment and the active
model are read from Redis at scrape time, so they are right whichever process
answers.
"""

import os
from collections.abc import Callable, Iterator

import redis
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

from moderation.keys import SiteKeys
from moderation.store.ids import created_at_of
from moderation.store.layout import STATUSES

CONTENT_TYPE = CONTENT_TYPE_LATEST

SUBMISSIONS = Counter(
    "comments_submissions", "Comment submissions by channel and outcome.", ["via", "outcome"]
)
CAPTCHA_CHECKS = Counter("comments_captcha_checks", "CAPTCHA answers checked, by outcome.",
                         ["outcome"])  # fmt: skip
BOT_TRAPS = Counter("comments_bot_traps", "Submissions dropped by a bot trap.", ["trap"])
RATE_LIMITED = Counter("comments_rate_limited", "Requests refused by a rate limit.", ["endpoint"])
DECISIONS = Counter("comments_decisions", "Moderator decisions, by resulting status.",
                    ["action", "via"])  # fmt: skip
CLASSIFIED = Counter("comments_classified", "Comments given a verdict by a worker.", ["status"])
CLASSIFICATION_SECONDS = Histogram(
    "comments_classification_seconds",
    "From a comment's save to its verdict.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)

# HTTP status of a submission to the outcome counted.
OUTCOMES = {202: "accepted", 303: "accepted", 400: "invalid", 403: "captcha_refused",
            413: "too_large", 415: "invalid", 429: "rate_limited", 503: "unavailable"}  # fmt: skip


def submission(via: str, status: int) -> None:
    SUBMISSIONS.labels(via, OUTCOMES.get(status, str(status))).inc()


class RedisCollector(Collector):
    """Figures that live in Redis, read at each scrape (one pipeline a site)."""

    def __init__(self, client: redis.Redis, sites: Callable[[], list[str]],
                 now: Callable[[], float]) -> None:  # fmt: skip
        self.client = client
        self.sites = sites
        self.now = now

    def collect(self) -> Iterator[GaugeMetricFamily | InfoMetricFamily]:
        from moderation.models import ModelRegistry  # loads scikit-learn: only when scraped

        depth = GaugeMetricFamily(
            "comments_queue_depth", "Comments in each status.", labels=["site", "status"]
        )
        oldest = GaugeMetricFamily(
            "comments_oldest_pending_seconds",
            "Age of the oldest comment not yet classified (0 when none).", labels=["site"],
        )  # fmt: skip
        unacked = GaugeMetricFamily(
            "comments_stream_unacknowledged", "Review-stream entries read by a worker and "
            "not yet acknowledged.", labels=["site"],
        )  # fmt: skip
        now = self.now()
        for site in self.sites():
            keys = SiteKeys(site)  # only key names: no store, no scripts per scrape
            with self.client.pipeline(transaction=False) as pipe:
                for status in STATUSES:
                    pipe.zcard(keys.status(status))
                pipe.zrange(keys.status("pending"), 0, 0)
                pipe.xpending(keys.queue, "classifiers")
                replies = pipe.execute(raise_on_error=False)
            for status, count in zip(STATUSES, replies, strict=False):
                depth.add_metric([site, status], count)
            first = replies[len(STATUSES)]
            oldest.add_metric([site], max(0.0, now - created_at_of(first[0])) if first else 0.0)
            pending = replies[len(STATUSES) + 1]
            unacked.add_metric([site], pending["pending"] if isinstance(pending, dict) else 0)
        yield depth
        yield oldest
        yield unacked
        model = InfoMetricFamily("comments_model", "The classifier model version in use.")
        model.add_metric([], {"version": ModelRegistry(self.client).active_version() or ""})
        yield model


def exposition(collector: RedisCollector) -> bytes:
    """The text format of every metric: all processes' counters, then Redis's."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
        own = b""
    else:  # one process (development server, tests)
        own = generate_latest(REGISTRY)
    registry.register(collector)
    return own + generate_latest(registry)


def observe(event: str, payload: dict[str, str]) -> None:
    """A comment store's listener (see CommentStore.listeners): count decisions."""
    if event == "comment.decided":
        DECISIONS.labels(payload["status"], payload["via"]).inc()
