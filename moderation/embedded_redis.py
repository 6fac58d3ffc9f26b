"""The embedded Redis of one instance folder, and where it can be found.

``moderation serve`` (or, with no server running, any command that needs
data) starts a persistent ``redis-server`` on the folder's data and records
its address in ``<instance>/redis.json``; every other command run from the
same folder reads that record instead of asking for ``REDIS_URL``. The record
is removed when its owner stops the server. One left behind by a process that
died is stale: its owner is gone, or the port answers with another server, or
nothing answers. A Redis orphaned by a dead owner is shut down (it flushes its
append-only file), never run twice on the same files.
"""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from moderation.redis_server import RedisServer

RECORD = "redis.json"


class EmbeddedRedisBusy(RuntimeError):
    """Another process already runs this folder's embedded Redis."""


@dataclass(frozen=True)
class Record:
    pid: int  # the process that started Redis and will stop it
    redis_pid: int
    port: int
    role: str  # "serve", or the command that started it for its own run

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def record_path(instance: Path) -> Path:
    return instance / RECORD


def read(instance: Path) -> Record | None:
    """The record as written, or None when there is none or it is unreadable."""
    try:
        fields = json.loads(record_path(instance).read_text(encoding="utf-8"))
        return Record(int(fields["pid"]), int(fields["redis_pid"]), int(fields["port"]),
                      str(fields.get("role") or "serve"))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running(instance: Path) -> Record | None:
    """The live record of this folder, removing a stale one (see the module)."""
    record = read(instance)
    if record is None:
        record_path(instance).unlink(missing_ok=True)  # unreadable: nobody can use it
        return None
    redis_pid = _redis_pid(record.port)
    if _alive(record.pid) and redis_pid == record.redis_pid:
        return record
    if redis_pid == record.redis_pid:  # the owner died, its Redis did not
        _shutdown(record.port)
    record_path(instance).unlink(missing_ok=True)
    return None


def start(instance: Path, role: str) -> RedisServer:
    """Start the folder's persistent Redis and record it; refuses if one runs."""
    with _exclusive(instance):  # two starts at once would share the same files
        found = running(instance)
        if found is not None:
            raise EmbeddedRedisBusy(
                f"the embedded Redis of {instance} already runs ({found.role}, process "
                f"{found.pid}, {found.url}); stop that first, or set REDIS_URL"
            )
        server = RedisServer(instance / "redis", persistent=True).start()
        process, port = server.process, server.port
        if process is None or port is None:  # start() returns only once it answers
            raise RuntimeError("the embedded Redis did not start")
        _write(instance, Record(os.getpid(), process.pid, port, role))
    return server


def stop(instance: Path, server: RedisServer) -> bool:
    """Stop ``server`` and remove its record (only one this process wrote)."""
    record = read(instance)
    stopped = server.stop()
    if stopped and record is not None and record.pid == os.getpid():
        record_path(instance).unlink(missing_ok=True)
    return stopped


@contextmanager
def _exclusive(instance: Path) -> Iterator[None]:
    instance.mkdir(parents=True, exist_ok=True)
    with (instance / ".redis.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def _write(instance: Path, record: Record) -> None:
    # Written aside then renamed: a reader never sees half a record.
    path = record_path(instance)
    partial = path.with_name(f".{RECORD}.{os.getpid()}")
    partial.write_text(json.dumps(asdict(record)), encoding="utf-8")
    os.replace(partial, path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, not ours to judge
        return True
    return True


def _probe(port: int) -> redis.Redis:
    return redis.Redis(port=port, socket_connect_timeout=0.5, socket_timeout=2,
                       retry=Retry(NoBackoff(), 0))  # fmt: skip


def _redis_pid(port: int) -> int | None:
    """The process id of the Redis answering on ``port``, or None if none does."""
    client = _probe(port)
    try:
        return int(client.info("server")["process_id"])
    except (redis.RedisError, KeyError, ValueError):
        return None
    finally:
        client.close()


def _shutdown(port: int) -> None:
    client = _probe(port)
    try:
        client.shutdown()
    except redis.RedisError:
        pass  # it closes the connection as it goes
    finally:
        client.close()
