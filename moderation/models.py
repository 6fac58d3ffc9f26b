"""Model versions kept in Redis, so every worker on every machine sees the
same active model and picks up a new one between batches.

Keys share the hash tag ``{models}``: ``model:{models}:seq``,
``model:{models}:versions`` (zset by time), ``model:{models}:blob:<v>``
(base64 of the ``.npz``), ``model:{models}:meta:<v>`` (JSON),
``model:{models}:active`` and ``model:{models}:history`` (activated versions,
newest first).
"""

import base64
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

import classifiers
from classifiers import bands as score_bands
from classifiers import persistence
from classifiers.model import SpamClassifier
from moderation import keys

P = keys.MODELS
DEFAULT_MODEL = "default_model.npz"


class NoModel(LookupError):
    """No version is active."""


@dataclass(frozen=True)
class ModelVersion:
    version: str
    created_at: float
    active: bool
    metadata: dict[str, Any]


def packaged_model_bytes() -> bytes:
    return (Path(classifiers.__file__).parent / DEFAULT_MODEL).read_bytes()


class ModelRegistry:
    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    def publish(self, data: bytes, metadata: dict[str, Any], activate: bool = True) -> str:
        persistence.load(data)  # refuse to store what no worker could load
        version = f"v{self.client.incr(P + 'seq')}"
        metadata = {**metadata, "sha256": hashlib.sha256(data).hexdigest()}
        with self.client.pipeline(transaction=True) as pipe:
            pipe.set(P + f"blob:{version}", base64.b64encode(data).decode("ascii"))
            pipe.set(P + f"meta:{version}", json.dumps(metadata, ensure_ascii=False))
            pipe.zadd(P + "versions", {version: self.clock()})
            if activate:
                pipe.set(P + "active", version)
                pipe.lpush(P + "history", version)
            pipe.execute()
        return version

    def ensure_default(self) -> str:
        """Publish the packaged model once, when no version exists yet, or
        when the active one is of an earlier file format (an upgrade): its
        features no longer exist, so it could only send everything to review."""
        active = self.active_version()
        if active and self.format_of(active) == persistence.FORMAT:
            return active
        data = packaged_model_bytes()
        _model, document = persistence.load(data)
        source = "packaged default"
        if active:
            source += f" (replaced {active}, of an outdated format)"
        lock = self.client.set(P + "bootstrap", "1", nx=True, ex=30)
        if not lock:  # another worker is publishing it
            for _ in range(100):
                current = self.active_version()
                if current and self.format_of(current) == persistence.FORMAT:
                    return current
                time.sleep(0.05)
        return self.publish(data, {**document, "source": source})

    def format_of(self, version: str) -> str | None:
        return self.metadata(version).get("format")

    def metadata(self, version: str) -> dict[str, Any]:
        return json.loads(self.client.get(P + f"meta:{version}") or "{}")

    def active_version(self) -> str | None:
        return self.client.get(P + "active")

    def activate(self, version: str) -> None:
        if not self.client.exists(P + f"blob:{version}"):
            raise NoModel(version)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.set(P + "active", version)
            pipe.lpush(P + "history", version)
            pipe.execute()

    def rollback(self) -> str:
        """Re-activate the version active before the current one."""
        current = self.active_version()
        for version in self.client.lrange(P + "history", 0, -1):
            if version != current:
                self.activate(version)
                return version
        raise NoModel("no earlier version to roll back to")

    def load(self, version: str) -> tuple[SpamClassifier, dict[str, Any]]:
        blob = self.client.get(P + f"blob:{version}")
        if blob is None:
            raise NoModel(version)
        return persistence.load(base64.b64decode(blob))

    def load_active(self) -> tuple[str, SpamClassifier]:
        version = self.active_version()
        if not version:
            raise NoModel("no active model")
        return version, self.load(version)[0]

    def versions(self) -> list[ModelVersion]:
        active = self.active_version()
        listed = []
        for version, created in self.client.zrange(P + "versions", 0, -1, withscores=True):
            listed.append(ModelVersion(version, created, version == active,
                                       self.metadata(version)))  # fmt: skip
        return listed


class ModelCache:
    """The active model for a worker, reloaded only when the version changes,
    with the bands it was trained with."""

    def __init__(self, registry: ModelRegistry) -> None:
        self.registry = registry
        self.version: str | None = None
        self.model: SpamClassifier | None = None
        self.bands: tuple[float, float] | None = None

    def current(self) -> tuple[str | None, SpamClassifier | None]:
        version = self.registry.active_version()
        if version and version != self.version:
            self.model, metadata = self.registry.load(version)
            self.bands = score_bands.from_metadata(metadata)
            self.version = version
        return self.version, self.model
