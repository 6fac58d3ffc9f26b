"""The container image, built by ``make image-test`` (scripts/image.sh), run
under podman against a real Redis, then the whole docker-compose.yml."""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.http_reader import HttpReader
from moderation.redis_server import RedisServer, free_port

pytestmark = [pytest.mark.image, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("IMAGE", "localhost/moderation:latest")
GRACE = 35  # seconds: the stop_grace_period of docker-compose.yml


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["podman", *args], capture_output=True, text=True, check=check,
                          timeout=timeout)  # fmt: skip


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_until(condition, what: str, deadline: float = 90):
    """Polls ``condition`` until it returns something true; fails after
    ``deadline`` seconds, saying what never happened."""
    end = time.monotonic() + deadline
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.25)


@pytest.fixture
def host_redis(tmp_path):
    server = RedisServer(tmp_path, persistent=False).start()
    yield server
    server.stop()


@pytest.fixture
def container(host_redis):
    """The image as shipped, on a port other than 8000 inside the container."""
    name = f"moderation-smoke-{uuid.uuid4().hex[:8]}"
    inner, outer = 8123, free_port()
    podman("run", "-d", "--name", name,
           "--network=slirp4netns:allow_host_loopback=true",
           "-p", f"127.0.0.1:{outer}:{inner}", "-e", f"PORT={inner}",
           "-e", f"REDIS_URL=redis://10.0.2.2:{host_redis.port}/0", "-e", "SECRET_KEY=image-test",
           IMAGE)  # fmt: skip
    yield name, f"http://127.0.0.1:{outer}"
    podman("rm", "-f", "-t", "0", name, check=False)


def test_image_serves_runs_unprivileged_reports_health_and_stops_on_sigterm(container):
    name, base = container
    wait_until(lambda: status(base + "/readyz") == 200, "/readyz answering 200")
    for path in ("/healthz", "/readyz", "/", "/metrics"):
        assert status(base + path) == 200, path
    assert podman("exec", name, "id", "-u").stdout.strip() != "0"
    # No systemd here: the HEALTHCHECK never runs on a timer, so run it by hand.
    # It must follow PORT (8123), not a port written into the Dockerfile.
    assert healthy(name)

    started = time.monotonic()
    podman("kill", "--signal", "TERM", name)
    exit_code = podman("wait", name, timeout=GRACE + 10).stdout.strip()
    assert time.monotonic() - started < GRACE
    assert exit_code == "0"
    assert "Shutting down: Master" in podman("logs", name).stderr


@pytest.fixture
def compose(tmp_path):
    project = f"modci{uuid.uuid4().hex[:6]}"
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "image-test", "WEB_PORT": str(port), "WORKERS": "3"}
    # The test's reader answers at machine speed: lift the too-fast-to-be-human trap.
    override = tmp_path / "override.yml"
    override.write_text('services:\n  web:\n    environment:\n      MIN_FILL_SECONDS: "0"\n')
    command = [os.environ.get("PODMAN_COMPOSE", "podman-compose"), "-p", project,
               "-f", str(REPO / "docker-compose.yml"), "-f", str(override)]  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                              timeout=600, check=False)  # fmt: skip

    yield project, port, run
    run("down", "-v", "-t", "5")
    label = f"label=com.docker.compose.project={project}"
    for container_id in podman("ps", "-aq", "--filter", label, check=False).stdout.split():
        podman("rm", "-f", "-t", "0", container_id, check=False)


def healthy(name: str) -> bool:
    return podman("healthcheck", "run", name, check=False).returncode == 0


def classified_by(project: str, worker: str) -> float:
    """How many comments one worker gave a verdict, read from its own metrics."""
    script = ("import urllib.request;"
              "print(urllib.request.urlopen('http://127.0.0.1:9100/', timeout=2).read().decode())")
    text = podman("exec", f"{project}_worker_{worker}", "python", "-c", script).stdout
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("comments_classified_total{"))  # fmt: skip


def test_compose_comes_up_healthy_classifies_once_with_three_workers_and_leaves_nothing(compose):
    project, port, run = compose
    up = run("up", "-d")
    assert up.returncode == 0, up.stdout + up.stderr
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: status(base + "/readyz") == 200, "the web service ready")
    containers = [f"{project}_redis_1", f"{project}_web_1"] + [
        f"{project}_worker_{n}" for n in (1, 2, 3)
    ]
    for name in containers:
        wait_until(lambda name=name: healthy(name), f"{name} healthy")

    outcome = HttpReader("127.0.0.1", port).submit("Un commentaire posté à travers compose.")
    assert outcome.status == 202, outcome
    reader = HttpReader("127.0.0.1", port)

    def settled():
        code, comment = reader.request("GET", f"/api/v1/comments/{outcome.comment_id}")
        return code == 200 and comment["status"] != "pending"

    wait_until(settled, "the comment classified")
    counts = [classified_by(project, str(n)) for n in (1, 2, 3)]
    assert sum(counts) == 1, counts

    down = run("down", "-v", "-t", "5")
    assert down.returncode == 0, down.stdout + down.stderr
    label = f"label=com.docker.compose.project={project}"
    assert podman("ps", "-aq", "--filter", label).stdout.split() == []
    volumes = podman("volume", "ls", "--format", "{{.Name}}").stdout.split()
    assert [v for v in volumes if v.startswith(project)] == []
    networks = json.loads(podman("network", "ls", "--format", "json").stdout or "[]")
    assert [n["name"] for n in networks if n["name"].startswith(project)] == []
    assert podman("pod", "ls", "-q", "--filter", f"name={project}").stdout.split() == []
