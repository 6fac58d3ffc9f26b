"""The service as real processes on loopback: one redis-server, the web site
(``moderation serve --no-worker``, gunicorn) and classifier workers
(``moderation worker``). For the fault suite and the load benchmarks."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis

from bench.http_reader import HttpReader
from moderation.keys import SiteKeys
from moderation.queue import GROUP
from moderation.redis_server import RedisServer, free_port


class ProcessError(RuntimeError):
    """A process did not start or stop as it should, or a state never came."""


# How long a wait for a state may take before it fails: generous, so that a
# busy machine only makes a run slower; only a state that never comes fails.
DEADLINE = 120.0


def until(ready: Callable[[], bool], what: str, timeout: float = DEADLINE,
          every: float = 0.005) -> None:  # fmt: skip
    """Poll ``ready`` until it holds; ProcessError if it still does not after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() >= deadline:
            raise ProcessError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def is_stopped(pid: int) -> bool:
    """Whether the kernel has stopped ``pid`` (SIGSTOP): state T in /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone
        return False
    return stat.rpartition(")")[2].split()[0] in ("T", "t")


def _child_env(redis_url: str, folder: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "REDIS_URL": redis_url,
        "INSTANCE_PATH": str(folder / "instance"),
        "RATELIMIT_ENABLED": "false",  # one client address sends everything
        "MIN_FILL_SECONDS": "0",  # the readers here answer at machine speed
        "REDIS_SOCKET_TIMEOUT": "1",
    })  # fmt: skip
    env.update(extra or {})
    return env


class Web:
    """``moderation serve --no-worker`` with gunicorn's sync workers."""

    def __init__(
        self, redis_url: str, folder: Path, *, workers: int = 2,
        env: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.port = free_port()
        self.log = folder / f"web-{self.port}.log"
        self.env = _child_env(redis_url, folder, env)
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = DEADLINE) -> "Web":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-m", "moderation.cli", "serve", "--no-worker",
                 "--port", str(self.port), "--workers", str(self.workers)],
                stdout=log, stderr=subprocess.STDOUT, env=self.env,
                start_new_session=True,  # its own group: cleanup reaches gunicorn's workers
            )  # fmt: skip
        reader = self.reader()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProcessError(f"the web server exited; see {self.log}")
            try:
                if reader.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise ProcessError(f"the web server did not answer; see {self.log}")

    def reader(self, timeout: float = 10.0) -> HttpReader:
        return HttpReader("127.0.0.1", self.port, timeout=timeout)

    def terminate(self, timeout: float = DEADLINE) -> int:
        """SIGTERM: gunicorn finishes the requests in hand, then exits."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def cleanup(self) -> None:
        """Stop the server and every process it forked, whatever state it is in."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # orphaned workers, if any
        self.process.wait()


class WorkerProcess:
    """One ``moderation worker``; entries a dead one held are taken over after
    ``reclaim_after`` seconds by the others."""

    def __init__(
        self, redis_url: str, folder: Path, name: str, *,
        reclaim_after: float = 1.0, batch: int = 50,
    ) -> None:  # fmt: skip
        self.name = name
        self.log = folder / f"worker-{name}.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-m", "moderation.cli", "worker", "--name", name,
                 "--reclaim-after", str(reclaim_after), "--batch", str(batch)],
                stdout=log, stderr=subprocess.STDOUT, env=_child_env(redis_url, folder, None),
            )  # fmt: skip

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        """SIGSTOP, and wait until the kernel has stopped it: from then on it
        sends nothing and acknowledges nothing until :meth:`resume`."""
        self.process.send_signal(signal.SIGSTOP)
        until(lambda: self.process.poll() is not None or is_stopped(self.process.pid),
              f"worker {self.name} to stop")  # fmt: skip

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def terminate(self, timeout: float = DEADLINE) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def cleanup(self) -> None:
        if self.process.poll() is None:
            self.kill()


class Stack:
    """Redis (append-only), the web site and ``workers`` classifier workers."""

    def __init__(
        self, folder: Path, *, workers: int = 2, appendfsync: str = "always",
        web_workers: int = 2, web_env: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.folder = folder
        self.redis = RedisServer(folder / "redis", persistent=True, appendfsync=appendfsync,
                                 start_timeout=DEADLINE)  # fmt: skip
        self.worker_count = workers
        self.web_workers = web_workers
        self.web_env = web_env
        self.web: Web | None = None
        self.workers: list[WorkerProcess] = []
        self.spawned = 0
        self.keys = SiteKeys("default")

    def __enter__(self) -> "Stack":
        self.redis.start()
        try:
            self.web = Web(
                self.redis.url, self.folder, workers=self.web_workers, env=self.web_env
            ).start()
            for _ in range(self.worker_count):
                self.add_worker()
            for worker in self.workers:  # each has started and reads the queue
                self.wait_reading(worker)
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        for worker in self.workers:
            worker.cleanup()
        if self.web is not None:
            self.web.cleanup()
        self.redis.stop()

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.redis.port, decode_responses=True, socket_timeout=5)

    def add_worker(self, **options: float) -> WorkerProcess:
        self.spawned += 1
        worker = WorkerProcess(self.redis.url, self.folder, f"w{self.spawned}", **options)
        self.workers.append(worker)
        return worker

    def pending_by_consumer(self) -> dict[str, int]:
        """Entries read but not yet acknowledged, per worker."""
        with self.client() as client:
            try:
                summary = client.xpending(self.keys.queue, GROUP)
            except redis.ResponseError:  # no stream or group yet
                return {}
        return {item["name"]: int(item["pending"]) for item in summary.get("consumers") or []}

    def held(self, worker: WorkerProcess) -> int:
        """Entries ``worker`` has read and not acknowledged (XPENDING for its
        consumer name)."""
        return self.pending_by_consumer().get(worker.name, 0)

    def held_ids(self, worker: WorkerProcess, *, settled: bool = False) -> set[str]:
        """The entries ``worker`` holds (XPENDING for its consumer name). With
        ``settled``, for a worker that is paused or dead, once Redis has run
        every command it sent before it stopped: Redis serves the sockets
        that are ready in order, so after one more round trip of ours
        anything the worker wrote earlier (an acknowledgement on its way)
        has been run."""
        with self.client() as client:
            if settled:
                client.ping()
            try:
                rows = client.xpending_range(self.keys.queue, GROUP, min="-", max="+",
                                             count=100_000, consumername=worker.name)  # fmt: skip
            except redis.ResponseError:  # no stream or group yet
                return set()
        return {row["message_id"] for row in rows}

    def unread(self, limit: int = 1) -> int:
        """Entries of the queue not yet delivered to any worker (at most ``limit``)."""
        with self.client() as client:
            try:
                groups = client.xinfo_groups(self.keys.queue)
            except redis.ResponseError:  # no stream yet
                return 0
            last = next((g["last-delivered-id"] for g in groups if g["name"] == GROUP), "0-0")
            return len(client.xrange(self.keys.queue, min=f"({last}", count=limit))

    def wait_disconnected(self, worker: WorkerProcess) -> None:
        """Until Redis has closed every connection of a dead ``worker``: it has
        then read, and run, everything the worker sent."""
        name = f"worker:{worker.name}"
        with self.client() as client:
            until(lambda: all(info.get("name") != name for info in client.client_list()),
                  f"Redis to drop the connections of worker {worker.name}")  # fmt: skip

    def poll(
        self, ids: list[str], field: str, ready: Callable[[str | None], bool],
        timeout: float, every: float = 0.1,
    ) -> list[str | None]:  # fmt: skip
        """Read ``field`` of each comment until ``ready`` holds for all (or the
        time is up); returns the last values read, in the order of ``ids``."""
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while True:
                with client.pipeline(transaction=False) as pipe:
                    for comment_id in ids:
                        pipe.hget(self.keys.comment(comment_id), field)
                    values = pipe.execute()
                if all(ready(value) for value in values) or time.monotonic() >= deadline:
                    return values
                time.sleep(every)

    def wait_reading(self, worker: WorkerProcess, timeout: float = DEADLINE) -> None:
        """Until ``worker`` has started and reads the queue: its consumer is in
        the group (made by its first read, and kept), or its connection, named
        after it, is blocked in XREADGROUP."""
        name = f"worker:{worker.name}"

        def reading() -> bool:
            if worker.process.poll() is not None:
                raise ProcessError(f"worker {worker.name} exited; see {worker.log}")
            with self.client() as client:
                try:
                    consumers = client.xinfo_consumers(self.keys.queue, GROUP)
                except redis.ResponseError:  # no stream or group yet
                    consumers = []
                if any(consumer["name"] == worker.name for consumer in consumers):
                    return True
                return any(info.get("name") == name and "xreadgroup" in info.get("cmd", "")
                           for info in client.client_list())  # fmt: skip

        until(reading, f"worker {worker.name} to read the queue; see {worker.log}", timeout,
              every=0.02)  # fmt: skip

    def redis_down(self, *, crash: bool = True) -> None:
        """Crash Redis (SIGKILL) or stop it (SIGTERM); :meth:`redis_up` brings
        it back on the same port with the same files."""
        if crash:
            self.redis.kill()
        else:
            self.redis.stop()

    def redis_up(self) -> None:
        port = self.redis.port  # kept by the stopped server: start() tries it first
        self.redis.start()
        if self.redis.port != port:
            raise ProcessError("Redis came back on another port")
