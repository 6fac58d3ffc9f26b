"""The objects one application instance works with, built once at start-up
and kept in ``app.extensions["moderation"]``."""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import redis
from flask import Flask, current_app
from redis.backoff import ExponentialBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.retry import Retry

from captcha import ChallengeStore, Expired
from moderation import keys, metrics
from moderation.accounts import Accounts
from moderation.articles import ArticleLibrary
from moderation.audit import AuditLog
from moderation.closed_threads import ClosedThreads
from moderation.queue import ReviewQueue
from moderation.read_cache import PageCache
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.sites import SiteRegistry
from moderation.store import CommentStore
from moderation.store.edits import AuthorEdits
from moderation.store.reports import Reports
from moderation.submission import Rules, Submitter

if TYPE_CHECKING:
    from moderation.explanations import Explainer

CONTENT = Path(__file__).parent / "content" / "articles"


@dataclass
class Services:
    redis: redis.Redis
    challenges: ChallengeStore
    comments: CommentStore  # the default site's: the service's own article pages
    queue: ReviewQueue
    articles: ArticleLibrary
    ip_secret: bytes
    accounts: Accounts
    audit: AuditLog
    sites: SiteRegistry
    closed_threads: ClosedThreads
    clock: Callable[[], float] = time.time
    pages: PageCache = field(default_factory=PageCache)  # rendered approved-comment pages
    reports_to_review: int = 3  # REPORTS_TO_REVIEW
    edit_window: float = 900.0  # EDIT_WINDOW_MINUTES, in seconds
    submitter: Submitter | None = None  # made in build(): it needs the store_for above
    _stores: dict[str, CommentStore] = field(default_factory=dict)
    _explainer: "Explainer | None" = None

    def audit_for(self, site: str) -> AuditLog:
        return self.audit if site == DEFAULT_SITE else AuditLog(self.redis, site, clock=self.clock)

    def store_for(self, site: str) -> CommentStore:
        """One store per site, made on first use (its scripts are registered once)."""
        if site == DEFAULT_SITE:
            return self.comments
        store = self._stores.get(site)
        if store is None:
            store = self._stores[site] = CommentStore(self.redis, site=site, clock=self.clock)
            store.listeners.append(metrics.observe)
        return store

    def edits_for(self, site: str) -> AuthorEdits:
        return AuthorEdits(self.redis, site, self.edit_window, clock=self.clock)

    def reports_for(self, site: str) -> Reports:
        return Reports(self.redis, site, threshold=self.reports_to_review, clock=self.clock)

    def challenge_key(self, token: str, site: str) -> str:
        """The key of a reader's CAPTCHA token on ``site``; for what cannot be a
        token, a key that never exists: the submission then answers "expired",
        after the lock-out has had its say."""
        try:
            return self.challenges.key_for(token, namespace=site)
        except Expired:
            return self.challenges.key("~not-a-token", namespace=site)

    def explainer(self) -> "Explainer":
        """Made on first use: only moderator pages need the model in memory."""
        if self._explainer is None:
            from moderation.explanations import Explainer
            from moderation.models import ModelRegistry

            self._explainer = Explainer(ModelRegistry(self.redis, clock=self.clock))
        return self._explainer


CLUSTER_SCHEME = "redis+cluster://"


def connect(url: str, timeout: float, name: str | None = None) -> redis.Redis:
    """A client that gives up quickly: a reader waits seconds at most for a 503.

    ``redis+cluster://host:port[,host:port...]`` (the form Flask-Limiter's
    storage takes too) connects to a Redis Cluster through those seed nodes.
    ``name`` shows in ``CLIENT LIST``: workers set theirs.
    """
    if url.startswith(CLUSTER_SCHEME):
        return _cluster(url, timeout, name)  # type: ignore[return-value] - same commands
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(ExponentialBackoff(cap=0.1, base=0.01), retries=1),
        health_check_interval=30,
        client_name=name,
    )


def _cluster(url: str, timeout: float, name: str | None) -> RedisCluster:
    seeds = url[len(CLUSTER_SCHEME):].split("/", 1)[0]
    nodes = []
    for seed in filter(None, seeds.split(",")):
        host, _, port = seed.rpartition(":")
        if not host or not port.isdecimal():
            raise ValueError(f"REDIS_URL: {seed!r} is not host:port")
        nodes.append(ClusterNode(host, int(port)))
    if not nodes:
        raise ValueError("REDIS_URL: a cluster URL needs at least one host:port")
    return RedisCluster(
        startup_nodes=nodes,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        client_name=name,
    )


def load_or_create_secret(instance_path: Path) -> str:
    """A secret kept in the instance folder, so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret


def build(app: Flask, clock: Callable[[], float] = time.time) -> Services:
    config = app.config
    client = config.get("REDIS_CLIENT") or connect(
        config["REDIS_URL"], config["REDIS_SOCKET_TIMEOUT"]
    )
    folders = [CONTENT, Path(config["ARTICLES_DIR"] or Path(app.instance_path) / "articles")]
    articles = ArticleLibrary(folders)
    made = Services(
        redis=client,
        challenges=ChallengeStore(
            client,
            prefix=keys.CAPTCHA,
            ttl=config["CAPTCHA_TTL"],
            clock=clock,
            allow_multiply=config["CAPTCHA_MULTIPLY"],
        ),
        comments=_observed(CommentStore(client, clock=clock)),
        queue=ReviewQueue(client),
        articles=articles,
        ip_secret=config["SECRET_KEY"].encode(),
        accounts=Accounts(client, clock=clock),
        audit=AuditLog(client, clock=clock),
        sites=SiteRegistry(client, clock=clock),
        closed_threads=ClosedThreads(client, articles, config["CLOSE_AFTER_DAYS"], clock=clock),
        reports_to_review=config["REPORTS_TO_REVIEW"],
        edit_window=config["EDIT_WINDOW_MINUTES"] * 60.0,
        clock=clock,
    )
    made.submitter = Submitter(
        client, made.store_for, made.challenge_key, made.ip_secret,
        Rules(wrong_limit=config["WRONG_ANSWERS_LIMIT"],
              wrong_window=config["WRONG_ANSWERS_WINDOW"],
              min_fill_seconds=config["MIN_FILL_SECONDS"]),
        clock=clock, past_closing=made.closed_threads.past_closing,
    )  # fmt: skip
    return made


def _observed(store: CommentStore) -> CommentStore:
    store.listeners.append(metrics.observe)
    return store


def services() -> Services:
    return current_app.extensions["moderation"]
