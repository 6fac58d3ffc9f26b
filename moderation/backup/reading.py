"""One key's content as a backup line, read with plain commands (no DUMP:
its payload is Redis's own format, tied to the server's version).

Streams keep what the review queue needs to resume: every entry with its
id, the stream's last id and counters, and each consumer group with its
last delivered id, its consumers and its pending entries (who holds each,
since when, how many deliveries).
"""

from collections.abc import Callable
from typing import Any

import redis

from moderation.backup.archive import BackupError, encode

CHUNK = 1000


def _pairs(flat: list[Any]) -> dict[str, Any]:
    """A RESP2 map (``[name, value, name, value, ...]``) as a dict of str names."""
    return {_text(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def read_keys(client: redis.Redis, keys: list[bytes]) -> list[dict[str, Any]]:
    """The lines of ``keys`` (those that still exist), in three round trips
    for any number of them: types and expiries, then every content but
    streams', then each stream's."""
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.type(key)
            pipe.execute_command("PEXPIRETIME", key)
        replies = pipe.execute()
    found = []
    for index, key in enumerate(keys):
        kind, expire_at = _text(replies[2 * index]), replies[2 * index + 1]
        if kind == "none":
            continue
        if kind not in SIMPLE and kind != "stream":
            raise BackupError(f"key {key!r} is a {kind}, which a backup cannot hold")
        found.append({"key": key, "type": kind,
                      "expire_at_ms": expire_at if expire_at > 0 else None})  # fmt: skip
    with client.pipeline(transaction=False) as pipe:
        simple = [record for record in found if record["type"] in SIMPLE]
        for record in simple:
            SIMPLE[record["type"]][0](pipe, record["key"])
        for record, reply in zip(simple, pipe.execute(), strict=True):
            record["value"] = SIMPLE[record["type"]][1](reply)
    for record in found:
        if record["type"] == "stream":
            record["value"] = _stream(client, record["key"])
        record["key"] = encode(record["key"])
    return found


def read_key(client: redis.Redis, key: bytes) -> dict[str, Any] | None:
    """One key's line, or None if it does not exist."""
    found = read_keys(client, [key])
    return found[0] if found else None


# Per type: how to ask for the content on a pipeline, and what to keep of the reply.
SIMPLE: dict[str, tuple[Callable[[Any, bytes], Any], Callable[[Any], Any]]] = {
    "string": (lambda pipe, key: pipe.get(key), lambda value: encode(value or b"")),
    "hash": (lambda pipe, key: pipe.hgetall(key),
             lambda fields: [[encode(name), encode(fields[name])] for name in sorted(fields)]),
    "list": (lambda pipe, key: pipe.lrange(key, 0, -1),
             lambda items: [encode(item) for item in items]),
    "set": (lambda pipe, key: pipe.smembers(key),
            lambda members: [encode(member) for member in sorted(members)]),
    # Scores as Redis writes them ("inf", "0.1"), so nothing is lost to floats.
    "zset": (lambda pipe, key: pipe.zrange(key, 0, -1, withscores=True, score_cast_func=_text),
             lambda pairs: [[encode(member), score] for member, score in pairs]),
}  # fmt: skip


def _stream(client: redis.Redis, key: bytes) -> Any:
    entries: list[Any] = []
    start = "-"
    while chunk := client.execute_command("XRANGE", key, start, "+", "COUNT", CHUNK):
        entries += [[_text(entry_id), [encode(part) for part in fields]]
                    for entry_id, fields in chunk]  # fmt: skip
        start = "(" + entries[-1][0]
    info = _pairs(client.execute_command("XINFO", "STREAM", key))
    return {
        "entries": entries,
        "last_id": _text(info["last-generated-id"]),
        "entries_added": info.get("entries-added"),
        "max_deleted_id": _optional_text(info.get("max-deleted-entry-id")),
        "groups": [_group(client, key, _pairs(group))
                   for group in client.execute_command("XINFO", "GROUPS", key)],
    }  # fmt: skip


def _group(client: redis.Redis, key: bytes, info: dict[str, Any]) -> dict[str, Any]:
    name = info["name"]
    consumers = [_pairs(consumer) for consumer in
                 client.execute_command("XINFO", "CONSUMERS", key, name)]  # fmt: skip
    pending: list[Any] = []
    start = "-"
    while chunk := client.execute_command("XPENDING", key, name, start, "+", CHUNK):
        # [id, consumer, idle ms, deliveries]
        pending += [[_text(entry_id), encode(consumer), idle, deliveries]
                    for entry_id, consumer, idle, deliveries in chunk]  # fmt: skip
        start = "(" + pending[-1][0]
    return {
        "name": encode(name),
        "last_delivered_id": _text(info["last-delivered-id"]),
        "entries_read": info.get("entries-read"),
        "consumers": sorted((encode(consumer["name"]) for consumer in consumers), key=str),
        "pending": pending,
    }


