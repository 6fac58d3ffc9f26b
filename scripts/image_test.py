"""``make image-test``: the image built by ``make image``, run as CI runs it.

1. One container against a real Redis on the machine's loopback, started on
   another port than the image's default (PORT=9000): /healthz, /readyz, /
   and /metrics answer 200, it runs as a user other than root, ``podman
   healthcheck run`` passes, and SIGTERM stops it with exit status 0 within
   the grace period.
2. ``docker-compose.yml`` through podman-compose with ``--scale worker=3``:
   the three services' health checks pass, a comment posted through the API
   is classified exactly once, and ``down`` leaves no container, volume or
   network behind.

Run with the environment of scripts/podman-env.sh (the Makefile does).
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_reader import solve  # noqa: E402 - after the path is set
from moderation.redis_server import RedisServer, free_port  # noqa: E402

IMAGE = os.environ.get("IMAGE", "localhost/moderation:latest")
THREAD = "ministre-nord-coreen-moscou"
GRACE = 30  # gunicorn's graceful_timeout; podman stop waits 35 s before SIGKILL
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
COMPOSE = [str(Path(sys.executable).with_name("podman-compose"))]


class Failed(AssertionError):
    pass


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        raise Failed(what)


def podman(*args: str, timeout: float = 120, check_status: bool = True) -> str:
    done = subprocess.run(["podman", *args], capture_output=True, text=True,  # noqa: S603, S607
                          timeout=timeout, check=False)  # fmt: skip
    if check_status and done.returncode != 0:
        raise Failed(f"podman {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def healthy(name: str) -> bool:
    """``podman healthcheck run``: no systemd here, so checks run only when asked."""
    done = subprocess.run(["podman", "healthcheck", "run", name],  # noqa: S603, S607
                          capture_output=True, timeout=30, check=False)  # fmt: skip
    return done.returncode == 0


def request(url: str, payload: dict | None = None) -> tuple[int, bytes]:
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310 - http only
    if data:
        req.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(req, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 90.0,
             every: float = 0.5) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            check(False, what)
        time.sleep(every)
    check(True, what)


def single_container() -> None:
    name = f"moderation-smoke-{os.getpid()}"
    port = free_port()
    with RedisServer(Path(os.environ["IMAGE_WORK"]) / "smoke-redis", persistent=False) as redis:
        podman("run", "-d", "--name", name,
               "--network=slirp4netns:allow_host_loopback=true",
               "-p", f"127.0.0.1:{port}:9000", "-e", "PORT=9000",
               "-e", f"REDIS_URL=redis://10.0.2.2:{redis.port}/0",
               "-e", "SECRET_KEY=ci", IMAGE)  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for("the container answers /readyz on port 9000",
                     lambda: request(base + "/readyz")[0] == 200)  # fmt: skip
            for path in ("/healthz", "/readyz", "/", "/metrics"):
                check(request(base + path)[0] == 200, f"GET {path} answers 200")
            uid = podman("exec", name, "id", "-u")
            check(uid.isdigit() and uid != "0", f"runs as user {uid}, not root")
            check(healthy(name), "podman healthcheck run passes (it follows PORT)")
            started = time.monotonic()
            podman("stop", "-t", str(GRACE + 5), name, timeout=GRACE + 30)
            took = time.monotonic() - started
            status = podman("inspect", "--format", "{{.State.ExitCode}}", name)
            check(status == "0" and took < GRACE,
                  f"SIGTERM: exit status {status} after {took:.1f} s")  # fmt: skip
        finally:
            podman("rm", "-f", name, check_status=False)


def compose(project: str, *args: str, timeout: float = 600) -> None:
    env = {**os.environ, "SECRET_KEY": "ci", "WORKERS": "3"}
    done = subprocess.run([*COMPOSE, "-p", project, "-f", str(ROOT / "docker-compose.yml"),  # noqa: S603
                           *args], capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        raise Failed(f"podman-compose {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-2000:]}")


def left_behind(project: str) -> list[str]:
    label = f"label=io.podman.compose.project={project}"
    return [*podman("ps", "-a", "--filter", label, "--format", "{{.Names}}").split(),
            *podman("volume", "ls", "--filter", label, "--format", "{{.Name}}").split(),
            *[n for n in podman("network", "ls", "--format", "{{.Name}}").split()
              if n.startswith(project)]]  # fmt: skip


def post_comment(base: str) -> str:
    status, body = request(f"{base}/api/v1/challenge?thread={THREAD}")
    check(status == 200, "a CAPTCHA question is issued")
    issued = json.loads(body)
    time.sleep(3.1)  # a person takes a while; quicker answers are dropped as bots
    status, body = request(f"{base}/api/v1/threads/{THREAD}/comments", {
        "author": "Camille", "email": "camille@example.org",
        "body": "Un commentaire posté pendant le test de l’image.",
        "captcha": {"token": issued["token"], "answer": solve(issued["question"])},
    })  # fmt: skip
    check(status == 202, f"the comment is accepted ({status})")
    return json.loads(body)["id"]


def composed() -> None:
    project = f"modci{os.getpid()}"
    os.environ["WEB_PORT"] = str(free_port())
    base = f"http://127.0.0.1:{os.environ['WEB_PORT']}"
    try:
        compose(project, "up", "-d", "--scale", "worker=3")
        wait_for("compose: the site answers /readyz", lambda: request(base + "/readyz")[0] == 200)
        names = podman("ps", "--filter", f"label=io.podman.compose.project={project}",
                       "--format", "{{.Names}}").split()  # fmt: skip
        workers = [name for name in names if "_worker_" in name]
        check(len(workers) == 3, f"three workers run ({', '.join(workers)})")
        for name in names:
            wait_for(f"compose: {name} is healthy", lambda name=name: healthy(name),
                     timeout=60, every=1)  # fmt: skip
        comment_id = post_comment(base)

        def decided() -> bool:
            status, body = request(f"{base}/api/v1/comments/{comment_id}")
            return status == 200 and json.loads(body)["status"] != "pending"

        wait_for("the comment is classified", decided)
        redis = f"{project}_redis_1"
        count = podman("exec", redis, "redis-cli", "HGET", f"comment:{{default}}:{comment_id}",
                       "classifications")  # fmt: skip
        check(count == "1", f"classified exactly once by three workers ({count})")
        pending = podman("exec", redis, "redis-cli", "XPENDING", "queue:{default}",
                         "classifiers").splitlines()  # fmt: skip
        check(pending[:1] == ["0"], "no queue entry left unacknowledged")
    finally:
        compose(project, "down", "-v")
    leftovers = left_behind(project)
    for name in leftovers:  # never leave them to the next run, even when failing
        podman("rm", "-f", name, check_status=False)
        podman("volume", "rm", "-f", name, check_status=False)
        podman("network", "rm", "-f", name, check_status=False)
    check(leftovers == [], f"down left nothing behind ({', '.join(leftovers) or 'nothing'})")


def main() -> int:
    try:
        single_container()
        composed()
    except Failed as failure:
        print(f"image-test failed: {failure}", file=sys.stderr)
        return 1
    print("image-test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
