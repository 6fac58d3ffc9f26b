"""``moderation serve`` end to end: a real gunicorn and an embedded, persistent Redis."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from moderation.redis_server import free_port
from tests.arith import solve
from tests.conftest import THREAD

pytestmark = pytest.mark.slow

START_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0
# Straight to the loopback server, whatever *_proxy variables say.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
EMBEDDED = re.compile(r"^Embedded Redis redis://127\.0\.0\.1:(\d+)/0\b", re.MULTILINE)


class Serve:
    """One ``moderation serve`` child process; its output goes to files."""

    def __init__(self, instance: Path, logs: Path, name: str) -> None:
        self.instance = instance
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.stdout_path = logs / f"{name}.out"
        self.stderr_path = logs / f"{name}.err"
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        env["INSTANCE_PATH"] = str(instance)
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moderation.cli", "serve",
                 "--port", str(self.port), "--workers", "1"],
                stdout=out, stderr=err, env=env, cwd=logs,
            )  # fmt: skip

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    @property
    def output(self) -> str:
        stderr = self.stderr_path.read_text(errors="replace")
        return f"--- stdout\n{self.stdout}\n--- stderr\n{stderr}"

    def redis_port(self) -> int | None:
        match = EMBEDDED.search(self.stdout)
        return int(match[1]) if match else None

    def wait_ready(self) -> None:
        """Poll /healthz then /readyz until both answer 200."""
        deadline = time.monotonic() + START_TIMEOUT
        for path in ("/healthz", "/readyz"):
            while True:
                assert self.process.poll() is None, f"serve exited early\n{self.output}"
                try:
                    status, _ = self.get(path, timeout=1)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    status = None
                if status == 200:
                    break
                assert time.monotonic() < deadline, f"{path} not ready\n{self.output}"
                time.sleep(0.05)

    def request(self, method: str, path: str, payload: dict | None = None, timeout: float = 5):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with OPENER.open(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")

    def get(self, path: str, timeout: float = 5):
        return self.request("GET", path, timeout=timeout)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def cleanup(self) -> None:
        """Whatever happened, leave no gunicorn and no Redis behind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        port = self.redis_port()
        if port is not None and accepts_connections(port):
            # serve died before stopping its Redis: ask Redis itself to stop.
            client = redis.Redis(port=port, socket_timeout=2)
            try:
                client.shutdown(nosave=True)
            except redis.ConnectionError:
                pass
            finally:
                client.close()


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_serve_keeps_comments_across_a_restart(tmp_path):
    instance = tmp_path / "instance"
    first = Serve(instance, tmp_path, "first")
    second = None
    try:
        first.wait_ready()
        assert f"Open http://127.0.0.1:{first.port}/" in first.stdout.splitlines(), first.output
        redis_port = first.redis_port()
        assert redis_port is not None, first.output
        assert accepts_connections(redis_port)
        assert f"(data in {instance / 'redis'})" in first.stdout

        status, issued = first.get(f"/api/v1/challenge?thread={THREAD}")
        assert status == 200, issued
        payload = {
            "author": "Camille",
            "email": "camille@example.org",
            "body": "Un commentaire qui doit survivre au redémarrage.",
            "captcha": {"token": issued["token"], "answer": solve(issued["question"])},
        }
        time.sleep(3.1)  # a person takes a while; quicker answers are dropped as bots
        status, created = first.request("POST", f"/api/v1/threads/{THREAD}/comments", payload)
        assert status == 202, created
        assert created["status"] == "pending"
        comment_id = created["id"]
        # /metrics sums the web processes and the worker (one folder for all):
        # the submission was counted by gunicorn's worker, the verdict by ours.
        deadline = time.monotonic() + 20
        while first.get(f"/api/v1/comments/{comment_id}")[1]["status"] == "pending":
            assert time.monotonic() < deadline, "never classified"
            time.sleep(0.1)
        with OPENER.open(first.base + "/metrics", timeout=5) as response:
            exposition = response.read().decode()
        assert 'comments_submissions_total{outcome="accepted",via="api"} 1.0' in exposition
        assert 'comments_classified_total{status="review"} 1.0' in exposition
        assert "comments_classification_seconds_count 1.0" in exposition

        assert first.terminate() == 0, first.output
        assert "Embedded Redis stopped." in first.stdout, first.output
        assert not accepts_connections(redis_port), "the embedded Redis outlived serve"
        data = instance / "redis"
        aof = list(data.glob("appendonly*"))
        assert aof, f"no append-only file in {data}: {sorted(p.name for p in data.iterdir())}"

        second = Serve(instance, tmp_path, "second")
        second.wait_ready()
        assert second.redis_port() is not None, second.output
        status, stored = second.get(f"/api/v1/comments/{comment_id}")
        assert status == 200, stored
        # The worker beside the site may have classified it meanwhile: kept either way.
        assert stored["id"] == comment_id and stored["thread"] == THREAD
        assert stored["status"] in {"pending", "review"}
        with OPENER.open(second.base + "/metrics", timeout=5) as response:
            exposition = response.read().decode()
        assert 'comments_queue_depth{site="default",status="review"} 1.0' in exposition
        assert "comments_model_info{" in exposition
        metrics_dirs = list(instance.glob("metrics-*"))
        assert len(metrics_dirs) == 1 and any(metrics_dirs[0].iterdir())
        assert second.terminate() == 0, second.output
        assert not list(instance.glob("metrics-*")), "the metrics folder outlived serve"
        assert not accepts_connections(second.redis_port())
    finally:
        first.cleanup()
        if second is not None:
            second.cleanup()


def test_python_dash_m_knows_every_command():
    # The bench and `moderation serve` start processes this way; a command
    # defined below the module's `if __name__ == "__main__"` was unknown there.
    from moderation.cli import main

    for command in sorted(main.commands):
        result = subprocess.run(
            [sys.executable, "-m", "moderation.cli", command, "--help"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, (command, result.stderr)
