"""The fault suite: real processes, real crashes, and a count of every comment.

Each scenario runs Redis, the web site (gunicorn) and classifier workers as
separate processes on loopback, submits comments over HTTP while it breaks
something, waits for the queue to drain, then checks every comment that got a
202 in Redis: present, given a final status, classified exactly once (the
``classifications`` counter that each verdict write increments).

    python -m bench.faults [--n 1000] [--only NAME ...] [--json]

prints one row per scenario; ``tests/faults`` runs the same scenarios and
fails on any loss or double classification.
"""

import argparse
import json
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.http_reader import HttpReader, Outcome
from bench.processes import Stack
from moderation.store import STATUSES

FINAL = set(STATUSES) - {"pending"}
BODIES = (
    "Merci pour cet article précis, la chronologie des visites aide à comprendre.",
    "Je me demande ce que la Russie obtient vraiment en échange de ces accords.",
    "Gagnez 500 € par jour depuis chez vous, cliquez ici https://gain-facile.example",
    "Thanks for the translation, the quotes from the ministry are useful.",
)


@dataclass
class Row:
    scenario: str
    submitted: int = 0
    acknowledged: int = 0  # got a 202
    present: int = 0  # of the acknowledged, found in Redis afterwards
    classified: int = 0  # of the acknowledged, with a final status and one verdict
    lost: int = 0  # acknowledged but missing, or never given a final status
    classified_twice: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # why the others got no 202
    notes: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)  # what the tests check besides

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.classified_twice == 0


class Submitter:
    """``n`` submissions from ``concurrency`` threads, optionally paced to
    ``rate`` per second in all; runs until done or :meth:`stop`."""

    def __init__(
        self, reader: HttpReader, n: int, *, concurrency: int = 4, rate: float | None = None
    ) -> None:
        self.reader = reader
        self.n = n
        self.concurrency = concurrency
        self.rate = rate
        self.outcomes: list[Outcome] = []
        self._next = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True)
                         for _ in range(concurrency)]  # fmt: skip
        self._started = 0.0

    def start(self) -> "Submitter":
        self._started = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def _take(self) -> int | None:
        with self._lock:
            if self._stop.is_set() or self._next >= self.n:
                return None
            self._next += 1
            return self._next - 1

    def _run(self) -> None:
        while (index := self._take()) is not None:
            if self.rate:
                delay = self._started + index / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            outcome = self.reader.submit(f"{BODIES[index % len(BODIES)]} (n° {index})")
            with self._lock:
                self.outcomes.append(outcome)

    @property
    def done(self) -> int:
        with self._lock:
            return len(self.outcomes)

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def wait_for(self, done: int, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while self.done < done and self.running() and time.monotonic() < deadline:
            time.sleep(0.01)


def drain(stack: Stack, ids: list[str], timeout: float = 90.0) -> None:
    """Wait until every acknowledged comment has left ``pending``."""
    stack.poll(ids, "status", lambda status: status in FINAL, timeout)


def tally(stack: Stack, name: str, outcomes: list[Outcome]) -> Row:
    ids = [outcome.comment_id for outcome in outcomes if outcome.comment_id]
    drain(stack, ids)
    refused = Counter(
        f"{item.status} {item.error}".strip() for item in outcomes if not item.comment_id
    )
    row = Row(name, submitted=len(outcomes), acknowledged=len(ids), refused=dict(refused))
    with stack.client() as client, client.pipeline(transaction=False) as pipe:
        for comment_id in ids:
            pipe.hmget(stack.keys.comment(comment_id), "status", "classifications")
        for status, count in pipe.execute():
            verdicts = int(count or 0)
            row.present += status is not None
            if status in FINAL and verdicts >= 1:
                row.classified += 1
            row.classified_twice += verdicts > 1
        row.lost = row.acknowledged - row.classified
        stored = sum(client.zcard(stack.keys.status(status)) for status in STATUSES)
    if stored > row.acknowledged:
        row.notes.append(f"{stored - row.acknowledged} stored without a 202 (reply cut)")
    return row


def kill_workers(folder: Path, n: int) -> Row:
    """kill -9 a worker while it holds a batch it has read and not finished,
    again and again during the run; a new worker replaces each. Workers are
    faster than the web site, so they are paused for a moment first to let a
    backlog build: then a batch takes long enough to be caught."""
    with Stack(folder, workers=2) as stack:
        # Paced, so the run lasts long enough for several kills on any machine.
        submitter = Submitter(stack.web.reader(), n, rate=100).start()
        kills = mid_batch = 0
        # Kills until five have caught a batch in hand (a worker can finish its
        # batch between being seen holding it and the signal).
        while submitter.running() and mid_batch < 5 and kills < 10:
            submitter.wait_for(submitter.done + n // 20)
            for worker in stack.workers:
                worker.pause()
            time.sleep(0.3)
            for worker in stack.workers:
                worker.resume()
            victim = _holding_worker(stack, timeout=2.0)
            if victim is None:
                continue
            victim.kill()  # at once: a worker finishes a batch in milliseconds
            kills += 1
            mid_batch += stack.pending_by_consumer().get(victim.name, 0) > 0
            stack.workers.remove(victim)
            stack.add_worker()
        submitter.join()
        row = tally(stack, "worker kill -9 mid-batch", submitter.outcomes)
        row.notes.insert(0, f"{kills} kills, {mid_batch} holding unacknowledged entries")
        row.facts.update(kills=kills, mid_batch=mid_batch)
    return row


def _holding_worker(stack: Stack, timeout: float):  # noqa: ANN202 - WorkerProcess | None
    """The first worker seen holding entries it has not acknowledged."""
    deadline = time.monotonic() + timeout
    by_name = {worker.name: worker for worker in stack.workers}
    while time.monotonic() < deadline:
        for name, count in stack.pending_by_consumer().items():
            if count and name in by_name and by_name[name].process.poll() is None:
                return by_name[name]
        time.sleep(0.001)
    return None


def restart_redis(folder: Path, n: int, appendfsync: str = "always") -> Row:
    """SIGKILL Redis twice during the run and start it again on its files."""
    with Stack(folder, appendfsync=appendfsync) as stack:
        submitter = Submitter(stack.web.reader(), n).start()
        for share in (0.3, 0.6):
            submitter.wait_for(int(n * share))
            stack.redis_down()
            time.sleep(0.5)
            stack.redis_up()
        submitter.join()
        row = tally(stack, f"Redis kill -9 + restart, appendfsync {appendfsync}",
                    submitter.outcomes)  # fmt: skip
        row.notes.insert(0, "2 crashes, 0.5 s down each")
    return row


def redis_unreachable(folder: Path, n: int, down_for: float = 3.0) -> Row:
    """Redis stops for a few seconds; nothing is restarted but Redis itself."""
    with Stack(folder) as stack:
        reader = stack.web.reader()
        submitter = Submitter(reader, n, rate=200).start()
        submitter.wait_for(n // 3)
        stack.redis_down(crash=False)
        probes = {path: reader.request("GET", path)[0] for path in ("/healthz", "/readyz")}
        probes["POST"] = reader.submit("Pendant la panne").status
        time.sleep(down_for)
        stack.redis_up()
        back = time.monotonic()
        while reader.request("GET", "/readyz")[0] != 200 and time.monotonic() - back < 30:
            time.sleep(0.01)
        ready_after = time.monotonic() - back
        submitter.join()
        row = tally(stack, f"Redis unreachable {down_for:.0f} s", submitter.outcomes)
        alive = sum(worker.process.poll() is None for worker in stack.workers)
        row.notes.insert(0, (
            f"during: /healthz {probes['/healthz']}, /readyz {probes['/readyz']}, "
            f"POST {probes['POST']}; /readyz 200 again {ready_after:.2f} s after Redis; "
            f"{alive}/{len(stack.workers)} workers never restarted"
        ))  # fmt: skip
        row.facts.update(probes=probes, ready_after=ready_after, alive=alive)
    return row


def sigterm(folder: Path, n: int) -> Row:
    """SIGTERM each worker in turn during the run (a new one replaces it), then
    the web server while requests are in flight."""
    with Stack(folder) as stack:
        submitter = Submitter(stack.web.reader(), n).start()
        exits: list[int] = []
        held = 0  # entries a stopped worker left unacknowledged
        for share in (0.2, 0.4):
            submitter.wait_for(int(n * share))
            worker = stack.workers[0]
            stack.wait_reading(worker)
            exits.append(worker.terminate())
            held += stack.pending_by_consumer().get(worker.name, 0)
            stack.workers.remove(worker)
            stack.add_worker()
        submitter.wait_for(int(n * 0.8))
        web_exit = stack.web.terminate()
        submitter.join()
        row = tally(stack, "SIGTERM workers, then web", submitter.outcomes)
        row.notes.insert(0, f"worker exit codes {exits} leaving {held} entries unacknowledged; "
                            f"web exit code {web_exit}")
        row.facts.update(worker_exits=exits, held=held, web_exit=web_exit)
    return row


SCENARIOS: dict[str, Callable[[Path, int], Row]] = {
    "kill-workers": kill_workers,
    "restart-redis": restart_redis,
    "restart-redis-everysec": lambda folder, n: restart_redis(folder, n, "everysec"),
    "redis-unreachable": redis_unreachable,
    "sigterm": sigterm,
}


def run(name: str, n: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        return SCENARIOS[name](Path(folder), n)


COLUMNS = ("scenario", "submitted", "acknowledged", "present", "classified", "lost",
           "classified_twice")  # fmt: skip


def table(rows: list[Row]) -> str:
    """A Markdown table, ready for the README."""
    head = ["scenario", "submitted", "acknowledged (202)", "present afterwards",
            "classified", "lost", "classified twice"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        values = [str(getattr(row, column)) for column in COLUMNS]
        lines.append("| " + " | ".join(values) + " |")
    lines.append("")
    for row in rows:
        refused = ", ".join(f"{count}× {why}" for why, count in sorted(row.refused.items()))
        notes = "; ".join(row.notes + ([f"no 202: {refused}"] if refused else []))
        lines.append(f"- {row.scenario}: {notes}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions per scenario")
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for name in args.only or SCENARIOS:
        started = time.monotonic()
        row = run(name, args.n)
        row.notes.append(f"{time.monotonic() - started:.0f} s")
        rows.append(row)
        if not args.json:
            print(f"{name}: {'ok' if row.ok else 'FAILED'}", flush=True)
    if args.json:
        print(json.dumps([asdict(row) for row in rows]))
    else:
        print(table(rows))
    raise SystemExit(0 if all(row.ok for row in rows) else 1)


if __name__ == "__main__":
    main()
