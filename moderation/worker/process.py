"""A whole worker process, built from the settings: the routing policy, one
batch consumer per site (with its burst detector and link history), the
webhook delivery thread, the privacy purge and the moderators' digest, the
optional metrics port, and SIGTERM/SIGINT finishing the batch in hand.

``moderation worker`` runs one; ``moderation serve`` starts that command
beside the site."""

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import redis

from moderation import i18n
from moderation.backoff import Backoff
from moderation.bursts import BurstDetector
from moderation.digest import Digest, Mailer
from moderation.domain_history import DomainHistory
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy, load_blocklist
from moderation.privacy import Privacy
from moderation.reply_mail import ReplyMail
from moderation.reply_tokens import ReplyTokens
from moderation.sites import SiteRegistry
from moderation.spam_folder import SpamFolder
from moderation.webhooks import Webhooks
from moderation.worker.consumer import OUTAGE, Worker, run_sites, wait_for_redis

BLOCK_SECONDS = 1.0  # how long a worker waits on an empty queue before looking again
# A worker's read blocks up to BLOCK_SECONDS when the queue is empty: its
# socket must wait longer than that, or an idle queue looks like an outage.
MIN_SOCKET_TIMEOUT = BLOCK_SECONDS + 2
PURGE_EVERY = 3600.0  # seconds between two runs of the retention purge
DIGEST_EVERY = 60.0  # seconds between two looks at whether a digest is due
REPLY_MAIL_EVERY = 10.0  # seconds between two looks for reply e-mails due

# The logger name webhook failures have always been reported under.
_hooks_log = logging.getLogger("moderation.cli")

Settings = dict[str, Any]


@dataclass(frozen=True)
class Totals:
    """What a worker process did, summed over its sites."""

    classified: int
    skipped: int
    failed: int
    dead_lettered: int
    seconds: float


def policy_from(settings: Settings) -> Policy:
    return Policy(
        spam_threshold=settings["SPAM_THRESHOLD"],
        approve_threshold=settings["APPROVE_THRESHOLD"],
        auto_approve=settings["AUTO_APPROVE"],
        max_links=settings["MAX_LINKS"],
        blocklist=load_blocklist(settings["BLOCKLIST_FILE"]),
        known_authors=settings["AUTO_APPROVE_KNOWN_AUTHORS"],
    )


def worker_factory(
    client: redis.Redis, settings: Settings, *, models: ModelCache, policy: Policy, name: str,
    batch: int | None = None, reclaim_after: float | None = None,
) -> Callable[[str], Worker]:  # fmt: skip
    """Makes the consumer of one site; ``batch`` and ``reclaim_after`` override
    ``WORKER_BATCH`` and ``RECLAIM_AFTER``."""
    half_life = settings["LINK_HISTORY_HALF_LIFE_DAYS"]

    def make_worker(site: str) -> Worker:
        return Worker(
            client, models=models, policy=policy, name=name, site=site,
            block_ms=int(BLOCK_SECONDS * 1000),
            batch_size=batch or settings["WORKER_BATCH"],
            reclaim_after=settings["RECLAIM_AFTER"] if reclaim_after is None else reclaim_after,
            max_deliveries=settings["MAX_DELIVERIES"],
            bursts=BurstDetector(client, site, window=settings["BURST_WINDOW"],
                                 threshold=settings["BURST_THRESHOLD"]),
            history=DomainHistory(client, site, half_life_days=half_life) if half_life else None,
        )  # fmt: skip

    return make_worker


def mailer_from(settings: Settings) -> Mailer:
    return Mailer(
        host=settings["SMTP_HOST"] or "", port=settings["SMTP_PORT"],
        user=settings["SMTP_USER"] or "", password=settings["SMTP_PASSWORD"] or "",
        starttls=settings["SMTP_STARTTLS"], sender=settings["MAIL_FROM"],
    )  # fmt: skip


def make_reply_mail(
    client: redis.Redis, sites: Callable[[], list[str]], settings: Settings
) -> ReplyMail:
    """Readers' reply e-mails; their links are signed with ``SECRET_KEY``
    (the CLI fills it in from the instance folder, as the site does)."""
    return ReplyMail(client, sites, mailer_from(settings), ReplyTokens(settings["SECRET_KEY"]),
                     every_minutes=settings["REPLY_DIGEST_MINUTES"],
                     public_url=settings["PUBLIC_URL"],
                     catalogs=i18n.catalog)  # fmt: skip


def make_digest(client: redis.Redis, sites: Callable[[], list[str]], settings: Settings) -> Digest:
    mailer = mailer_from(settings)
    recipients = [a.strip() for a in (settings["DIGEST_TO"] or "").split(",") if a.strip()]
    # No request to take a language from: each moderator's choice, else the default.
    return Digest(client, sites, mailer, every_minutes=settings["DIGEST_MINUTES"],
                  public_url=settings["PUBLIC_URL"], recipients=recipients or None,
                  lang=settings["DEFAULT_LANG"], catalogs=i18n.catalog)  # fmt: skip


def housekeeping(
    client: redis.Redis, sites: Callable[[], list[str]], settings: Settings
) -> list[tuple[float, Callable[[], object]]]:
    """The tasks a worker runs between batches: (at most every so many seconds, task)."""
    privacy = Privacy(client, sites)

    def purge_spam() -> None:
        for site in sites():
            SpamFolder(client, site).purge_daily(settings["SPAM_RETENTION_DAYS"])

    tasks = [(PURGE_EVERY, lambda: privacy.purge_daily(settings["RETENTION_DAYS"])),
             (PURGE_EVERY, purge_spam),
             (DIGEST_EVERY, make_digest(client, sites, settings).send_if_due)]  # fmt: skip
    if settings.get("SECRET_KEY"):
        tasks.append((REPLY_MAIL_EVERY, make_reply_mail(client, sites, settings).send_due))
    return tasks


def deliver_webhooks(client: redis.Redis, stop: threading.Event) -> None:
    """Send due webhook deliveries until ``stop``; run in its own thread, so a
    slow receiver does not hold up classification."""
    webhooks = Webhooks(client)
    while not stop.is_set():
        try:
            busy = webhooks.deliver_due()
        except OUTAGE:
            busy = 0  # the classifier loop reports outages; try again shortly
        except Exception:
            _hooks_log.exception("webhook delivery failed")
            busy = 0
        stop.wait(0 if busy else 1.0)


def serve_metrics(port: int) -> None:
    """This process's Prometheus metrics on 0.0.0.0:``port`` (all processes'
    when ``PROMETHEUS_MULTIPROC_DIR`` is set)."""
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr="0.0.0.0", registry=registry)  # noqa: S104 - scraped from outside


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set ``stop``: the batch in hand is finished first."""
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())


def wait_for_models(registry: ModelRegistry, stop: threading.Event) -> None:
    """Publish the packaged model if none is; a worker started before Redis waits for it."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            registry.ensure_default()
            return
        except OUTAGE as error:
            wait_for_redis(backoff, error, stop)


def totals(workers: Sequence[Worker], seconds: float) -> Totals:
    def total(field: str) -> int:
        return sum(getattr(worker.stats, field) for worker in workers)

    return Totals(total("classified"), total("skipped"), total("failed"), total("dead_lettered"),
                  seconds)  # fmt: skip


def run(
    client: redis.Redis, settings: Settings, *, name: str, burst: bool = False,
    reclaim_after: float | None = None, batch: int | None = None, metrics_port: int | None = None,
) -> Totals:  # fmt: skip
    """Classify every site's queue until a signal (with ``burst``, until the
    queues are empty). ``client`` needs a socket timeout of at least
    :data:`MIN_SOCKET_TIMEOUT`."""
    registry = ModelRegistry(client)
    policy = policy_from(settings)
    models = ModelCache(registry)
    make_worker = worker_factory(client, settings, models=models, policy=policy, name=name,
                                 batch=batch, reclaim_after=reclaim_after)  # fmt: skip
    if metrics_port is not None:
        serve_metrics(metrics_port)
    stop = threading.Event()
    stop_on_signals(stop)
    wait_for_models(registry, stop)
    started = time.monotonic()
    sites = SiteRegistry(client).names
    hooks = threading.Thread(target=deliver_webhooks, args=(client, stop), daemon=True)
    hooks.start()
    workers = run_sites(make_worker, sites, stop, burst=burst,
                        tasks=housekeeping(client, sites, settings))  # fmt: skip
    return totals(workers, time.monotonic() - started)
