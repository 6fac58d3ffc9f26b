"""One backup line written back as plain commands, queued on a pipeline of
the primary that owns the key (see :mod:`moderation.backup.reading` for
what each type holds)."""

from collections.abc import Callable
from typing import Any

import redis

from moderation.backup.archive import BackupError, decode

CHUNK = 500
Pipe = redis.client.Pipeline


def write_key(pipe: Pipe, record: dict[str, Any], replace: bool) -> None:
    key = decode(record["key"])
    writer = WRITERS.get(record["type"])
    if writer is None:
        raise BackupError(f"key {key!r}: unknown type {record['type']!r}")
    if replace:
        pipe.delete(key)
    writer(pipe, key, record["value"])
    if record.get("expire_at_ms"):
        pipe.pexpireat(key, int(record["expire_at_ms"]))


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]


def _string(pipe: Pipe, key: bytes, value: Any) -> None:
    pipe.set(key, decode(value))


def _hash(pipe: Pipe, key: bytes, value: Any) -> None:
    for chunk in _chunks(value):
        pipe.hset(key, mapping={decode(name): decode(item) for name, item in chunk})


def _list(pipe: Pipe, key: bytes, value: Any) -> None:
    for chunk in _chunks(value):
        pipe.rpush(key, *(decode(item) for item in chunk))


def _set(pipe: Pipe, key: bytes, value: Any) -> None:
    for chunk in _chunks(value):
        pipe.sadd(key, *(decode(member) for member in chunk))


def _zset(pipe: Pipe, key: bytes, value: Any) -> None:
    for chunk in _chunks(value):
        scores: list[Any] = []
        for member, score in chunk:
            scores += [score, decode(member)]
        pipe.execute_command("ZADD", key, *scores)


def _stream(pipe: Pipe, key: bytes, value: Any) -> None:
    for entry_id, fields in value["entries"]:
        pipe.execute_command("XADD", key, entry_id, *(decode(part) for part in fields))
    if not value["entries"]:  # an empty stream still exists (its groups, its last id)
        pipe.execute_command("XGROUP", "CREATE", key, "~backup", "$", "MKSTREAM")
        pipe.execute_command("XGROUP", "DESTROY", key, "~backup")
    setid: list[Any] = ["XSETID", key, value["last_id"]]
    if value.get("entries_added") is not None:
        setid += ["ENTRIESADDED", value["entries_added"]]
    if value.get("max_deleted_id"):
        setid += ["MAXDELETEDID", value["max_deleted_id"]]
    pipe.execute_command(*setid)
    for group in value["groups"]:
        _group(pipe, key, group)


def _group(pipe: Pipe, key: bytes, group: dict[str, Any]) -> None:
    name = decode(group["name"])
    create: list[Any] = ["XGROUP", "CREATE", key, name, group["last_delivered_id"]]
    if group.get("entries_read") is not None:
        create += ["ENTRIESREAD", group["entries_read"]]
    pipe.execute_command(*create)
    for consumer in group["consumers"]:
        pipe.execute_command("XGROUP", "CREATECONSUMER", key, name, decode(consumer))
    # Each pending entry back with the consumer that held it, its idle time
    # and its delivery count: a worker's reclaim then treats it as before.
    for entry_id, consumer, idle, deliveries in group["pending"]:
        pipe.execute_command("XCLAIM", key, name, decode(consumer), 0, entry_id,
                             "IDLE", idle, "RETRYCOUNT", deliveries, "FORCE", "JUSTID")  # fmt: skip


WRITERS: dict[str, Callable[[Pipe, bytes, Any], None]] = {
    "string": _string, "hash": _hash, "list": _list, "set": _set, "zset": _zset,
    "stream": _stream,
}  # fmt: skip
