"""``restore``: a backup written back into a Redis (single or Cluster).

The whole file is checked first (format, version, every line, the count on
its last line), so a damaged file writes nothing. The target must be empty,
unless ``force``: then each key of the backup replaces the key of the same
name and other keys stay. Keys whose expiry passed since the snapshot are
not restored (a session or a question that ended stays ended).
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from moderation.backup.archive import BackupError, decode, header, records
from moderation.backup.nodes import Nodes
from moderation.backup.writing import write_key

BATCH = 200  # keys per round trip to one primary


@dataclass
class Summary:
    keys: int = 0
    expired: int = 0
    types: Counter[str] = field(default_factory=Counter)
    source: dict[str, Any] = field(default_factory=dict)


def restore(url: str, path: Path, *, force: bool = False) -> Summary:
    summary = Summary(source=header(path))
    with Nodes(url) as nodes:
        try:
            held = sum(node.dbsize() for node in nodes.primaries)
            if held and not force:
                raise BackupError(
                    f"the target Redis holds {held} keys; restore into an empty one, "
                    "or give --force to replace the keys the backup holds"
                )
            seconds, micros = nodes.primaries[0].time()
            now_ms = seconds * 1000 + micros // 1000
            queued: dict[int, tuple[redis.Redis, list[dict[str, Any]]]] = {}
            for record in records(path):
                if record.get("expire_at_ms") and int(record["expire_at_ms"]) <= now_ms:
                    summary.expired += 1
                    continue
                node = nodes.for_key(decode(record["key"]))
                batch = queued.setdefault(id(node), (node, []))[1]
                batch.append(record)
                if len(batch) >= BATCH:
                    _write(node, batch, force, summary)
            for node, batch in queued.values():
                _write(node, batch, force, summary)
        except redis.RedisError as error:
            raise BackupError(f"Redis: {error}") from error
    return summary


def _write(node: redis.Redis, batch: list[dict[str, Any]], force: bool, summary: Summary) -> None:
    # Not one transaction: a Cluster refuses those across slots.
    with node.pipeline(transaction=False) as pipe:
        for record in batch:
            write_key(pipe, record, replace=force)
        pipe.execute()
    summary.keys += len(batch)
    summary.types.update(record["type"] for record in batch)
    batch.clear()
