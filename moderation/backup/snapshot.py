"""``backup``: every key of the service's Redis as one consistent snapshot.

Writes are paused on every primary (``CLIENT PAUSE ... WRITE``: reads go on,
keys do not expire meanwhile) before the first key is read and resumed after
the last, so the file holds one moment of the data: nothing acknowledged
before the pause is missing, nothing written after it is there. Writers wait
(the site answers 503 to those that wait longer than ``REDIS_SOCKET_TIMEOUT``),
so the pause is kept short and bounded; a snapshot that outlasts it is
refused rather than kept half-consistent.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis

from moderation import keys
from moderation.backup.archive import BackupError, Writer
from moderation.backup.nodes import Nodes
from moderation.backup.reading import read_keys

BATCH = 500  # keys read per round trip


@dataclass
class Summary:
    keys: int = 0
    types: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # writes were paused this long


def backup(url: str, path: Path, *, pause_seconds: float = 30.0,
           clock: Callable[[], float] = time.time) -> Summary:  # fmt: skip
    """Write the snapshot to ``path`` (replaced only once complete)."""
    summary = Summary()
    with Nodes(url, timeout=max(pause_seconds, 5.0)) as nodes:
        paused: list[redis.Redis] = []
        started = time.monotonic()
        try:
            for node in nodes.primaries:
                node.execute_command("CLIENT", "PAUSE", int(pause_seconds * 1000), "WRITE")
                paused.append(node)
            version = nodes.primaries[0].info("server")["redis_version"]
            data_format = nodes.for_key(keys.DATA_FORMAT.encode()).get(keys.DATA_FORMAT)
            header = {"created_at": clock(), "source": nodes.kind, "redis_version": version,
                      "data_format": int(data_format) if data_format else None}  # fmt: skip
            with Writer(path, header) as writer:
                for node in nodes.primaries:
                    for batch in _batches(node):
                        for record in read_keys(node, batch):
                            writer.add(record)
                            summary.types[record["type"]] += 1
                summary.seconds = time.monotonic() - started
                if summary.seconds >= pause_seconds:
                    raise BackupError(
                        f"the snapshot took {summary.seconds:.1f} s, longer than the "
                        f"{pause_seconds:g} s writes were paused: it may not be consistent. "
                        "Give a longer --pause-seconds."
                    )
                summary.keys = writer.count
        except redis.RedisError as error:
            raise BackupError(f"Redis: {error}") from error
        finally:
            for node in paused:
                with suppress(redis.RedisError):  # the pause ends by itself at its deadline
                    node.execute_command("CLIENT", "UNPAUSE")
    return summary


def _batches(node: redis.Redis) -> Iterator[list[bytes]]:
    cursor, batch = None, []
    while cursor != 0:
        cursor, keys = node.scan(cursor or 0, count=BATCH)
        batch += keys
        if len(batch) >= BATCH or (cursor == 0 and batch):
            yield batch
            batch = []
