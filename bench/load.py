"""Web throughput against a baseline, on real processes over loopback.

The site runs as in production (``moderation serve --no-worker``: gunicorn, 2
sync workers) on a throw-away Redis with its append-only file; wrk drives it.
Every throughput is a ratio to the requests per second of a trivial route of
the same app (``/healthz``) measured by the same wrk in the same run, so the
machine's speed cancels out. Rate limits are off unless said.
"""

import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.faults import Submitter
from bench.http_reader import THREAD
from bench.processes import Stack
from moderation.services import connect
from moderation.store import CommentStore, created_at_of
from moderation.validation import CommentInput

WRK_SCRIPTS = Path(__file__).parent / "wrk"
# Limits on, but too high to refuse anything: what their checks cost.
LIMITS_ON = {"RATELIMIT_ENABLED": "true", "RATELIMIT_CHALLENGE": "1000000/minute",
             "RATELIMIT_POST": "1000000/minute"}  # fmt: skip
BODY = ("Je trouve cet article très clair sur les raisons de la visite de la ministre à "
        "Moscou ; il manque peut-être un mot sur les échanges commerciaux, mais la "
        "chronologie aide beaucoup. Merci pour la traduction des déclarations officielles, "
        "c'est rare. Une question : qui accompagnait la délégation cette fois ?")  # fmt: skip


class WrkMissing(RuntimeError):
    """wrk is not installed (``apt-get install wrk``; ``make bench`` does it)."""


@dataclass
class WrkRun:
    requests_per_s: float
    accepted: int = 0  # 202s counted by the submission script
    refused: int = 0
    seconds: float = 0.0


def wrk(url: str, seconds: float, *, connections: int = 8, script: str | None = None,
        headers: dict[str, str] | None = None) -> WrkRun:  # fmt: skip
    command = shutil.which("wrk")
    if command is None:
        raise WrkMissing("wrk is not installed: apt-get install wrk (make bench does it)")
    args = [command, "-t2", f"-c{connections}", f"-d{seconds:g}s"]
    if script:
        args += ["-s", str(WRK_SCRIPTS / script)]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 - fixed argv
        [*args, url], check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    run = WrkRun(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]))
    if match := re.search(r"BENCH accepted=(\d+) refused=(\d+) duration_us=(\d+)", output):
        run.accepted, run.refused = int(match[1]), int(match[2])
        run.seconds = int(match[3]) / 1e6
    elif re.search(r"Non-2xx or 3xx responses", output):
        raise RuntimeError(f"failed requests to {url}:\n{output}")
    return run


def trivial_rps(stack: Stack, seconds: float) -> float:
    return wrk(f"http://127.0.0.1:{stack.web.port}/healthz", seconds).requests_per_s


def submissions_per_s(stack: Stack, seconds: float) -> float:
    """Completed submissions (the question, then the POST answering it: 202) per second."""
    run = wrk(f"http://127.0.0.1:{stack.web.port}/", seconds, script="submit.lua")
    if run.refused:
        raise RuntimeError(f"{run.refused} submissions refused")
    return run.accepted / run.seconds


def post_p99_ms(stack: Stack, rate: float, seconds: float) -> float:
    """p99 latency of the POST while submissions arrive at ``rate`` per second."""
    submitter = Submitter(stack.web.reader(), int(rate * seconds), concurrency=8, rate=rate)
    submitter.start().join()
    latencies = [outcome.post_ms for outcome in submitter.outcomes if outcome.comment_id]
    if len(latencies) < 100:
        raise RuntimeError(f"only {len(latencies)} submissions succeeded")
    return statistics.quantiles(latencies, n=100)[98]


def submit_figures(folder: Path, seconds: float) -> dict[str, float]:
    figures: dict[str, float] = {}
    with Stack(folder / "always", workers=0) as stack:
        trivial = trivial_rps(stack, seconds)
        submits = submissions_per_s(stack, seconds)
        figures.update(trivial_rps=round(trivial), submit_per_s=round(submits),
                       submit_ratio=round(submits / trivial, 3))  # fmt: skip
        figures["submit_p99_ms"] = round(post_p99_ms(stack, submits / 2, seconds), 2)
    with Stack(folder / "everysec", workers=0, appendfsync="everysec") as stack:
        ratio = submissions_per_s(stack, seconds) / trivial_rps(stack, seconds)
        figures["submit_ratio_everysec"] = round(ratio, 3)
    with Stack(folder / "limits", workers=0, web_env=LIMITS_ON) as stack:
        ratio = submissions_per_s(stack, seconds) / trivial_rps(stack, seconds)
        figures["submit_ratio_limits_on"] = round(ratio, 3)
    return figures


def read_figures(folder: Path, seconds: float, comments: int = 200) -> dict[str, float]:
    with Stack(folder / "read", workers=0) as stack:
        client = connect(stack.redis.url, 5.0)
        store = CommentStore(client)
        for index in range(comments):
            data = CommentInput(f"Lecteur {index}", "lecteur@example.org", "", BODY)
            store.set_status(store.save(THREAD, data).id, "approved")
        client.close()
        path = f"/api/v1/threads/{THREAD}/comments"
        url = f"http://127.0.0.1:{stack.web.port}{path}"
        trivial = trivial_rps(stack, seconds)
        full = wrk(url, seconds).requests_per_s
        tag = stack.web.reader().etag(path)
        cached = wrk(url, seconds, headers={"If-None-Match": tag or ""}).requests_per_s
    return {"read_ratio": round(full / trivial, 3), "read_304_ratio": round(cached / trivial, 3)}


def e2e_figures(folder: Path, seconds: float, rate: float = 200.0) -> dict[str, float]:
    """From a 202 to the final status, one classifier worker, steady ``rate``/s."""
    with Stack(folder / "e2e", workers=1) as stack:
        stack.wait_reading(stack.workers[0])
        submitter = Submitter(stack.web.reader(), int(rate * seconds), concurrency=8, rate=rate)
        submitter.start().join()
        ids = [outcome.comment_id for outcome in submitter.outcomes if outcome.comment_id]
        done = stack.poll(ids, "classified_at", bool, timeout=60, every=0.2)

    # created_at (in the id) is taken just before the save that precedes the
    # 202: this slightly overstates the wait, never understates it.
    waits = [(float(at) - created_at_of(i)) * 1000 for i, at in zip(ids, done, strict=True) if at]
    if len(waits) < len(ids):
        raise RuntimeError(f"{len(ids) - len(waits)} comments never classified")
    return {"e2e_p50_ms": round(statistics.median(waits), 1),
            "e2e_p99_ms": round(statistics.quantiles(waits, n=100)[98], 1)}  # fmt: skip


def memory_figures(folder: Path, count: int) -> dict[str, float]:
    """Redis memory per stored comment (INFO used_memory before and after)."""
    from moderation.redis_server import RedisServer

    text = len(BODY.encode())
    with RedisServer(folder / "memory", persistent=False) as server:
        client = connect(server.url, 10.0)
        store = CommentStore(client)
        store.save("warm-up", CommentInput("Lecteur", "l@example.org", "", BODY))
        before = client.info("memory")["used_memory"]
        agent = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/126.0 Safari/537.36")  # fmt: skip
        for index in range(count):
            data = CommentInput(f"Lecteur {index}", f"lecteur{index}@example.org", "", BODY)
            store.save(f"article-{index % 100}", data, ip_hash="0" * 32, user_agent=agent)
        after = client.info("memory")["used_memory"]
        client.close()
    per = (after - before) / count
    return {"redis_bytes_per_comment": round(per), "comment_text_bytes": text,
            "redis_bytes_goal": 2 * text + 400}  # fmt: skip
