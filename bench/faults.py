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
from bench.processes import DEADLINE, ProcessError, Stack, WorkerProcess, until
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
    ``rate`` per second in all; runs until done or :meth:`stop`. Only the
    first ``allowed`` start until :meth:`allow` lets more through."""

    def __init__(
        self, reader: HttpReader, n: int, *, concurrency: int = 4, rate: float | None = None,
        allowed: int | None = None,
    ) -> None:  # fmt: skip
        self.reader = reader
        self.n = n
        self.concurrency = concurrency
        self.rate = rate
        self.outcomes: list[Outcome] = []
        self.allowed = n if allowed is None else allowed
        self._next = 0
        self._lock = threading.Condition()
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
            self._lock.wait_for(lambda: self._stop.is_set() or self._next >= self.n
                                or self._next < self.allowed)  # fmt: skip
            if self._stop.is_set() or self._next >= self.n:
                return None
            self._next += 1
            return self._next - 1

    def allow(self, upto: int) -> int:
        """Let submissions start until ``upto`` have (of ``n``; never fewer than
        have already), holding back the others; returns that number."""
        with self._lock:
            self.allowed = max(self._next, min(upto, self.n))
            self._lock.notify_all()
            return self.allowed

    @property
    def started(self) -> int:
        with self._lock:
            return self._next

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
        with self._lock:
            self._stop.set()
            self._lock.notify_all()

    def join(self, timeout: float = 5 * DEADLINE) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def wait_for(self, done: int, timeout: float = DEADLINE) -> None:
        """Until ``done`` submissions have their answer (they must be allowed)."""
        until(lambda: self.done >= done or not self.running(),
              f"{done} submissions to be answered", timeout)  # fmt: skip
        if self.done < done:
            raise ProcessError(f"the submitters stopped after {self.done} of {done} answers")


def drain(stack: Stack, ids: list[str], timeout: float = 2 * DEADLINE) -> None:
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


KILLS = 5  # workers killed with a batch in hand, one scenario
OUTAGE_POSTS = 40  # posts tried while Redis is down, each outage


def kill_workers(folder: Path, n: int) -> Row:
    """kill -9 a worker while it holds a batch it has read and not finished,
    five times during the run; a new worker replaces each. Before each kill
    every worker is paused (SIGSTOP) and more comments are let in, so there is
    a backlog; the victim then runs alone until it is seen holding entries,
    and is paused again: if it still holds them, Redis having run everything
    it sent, it is killed, so every kill catches a batch in hand. The others
    stay paused until it is dead, so none takes its entries before."""
    with Stack(folder, workers=2) as stack:
        # Comments go in only when let: half of them as backlogs for the
        # victims, the rest after the kills (and for backlogs a victim emptied).
        submitter = Submitter(stack.web.reader(), n, allowed=0).start()
        step = n // (2 * KILLS)
        held: list[int] = []  # entries each victim held when killed
        for _ in range(KILLS):
            victim = stack.workers[0]  # the older: it has read the queue
            stack.wait_reading(victim)
            submitter.wait_for(submitter.allowed)
            for worker in stack.workers:
                worker.pause()
            submitter.wait_for(submitter.allow(submitter.allowed + step))  # the backlog
            _pause_holding(stack, victim, submitter, step)
            victim.kill()
            stack.wait_disconnected(victim)
            held.append(stack.held(victim))  # nobody can take them yet
            stack.workers.remove(victim)
            for worker in stack.workers:
                worker.resume()
            stack.add_worker()
        submitter.allow(n)
        submitter.join()
        row = tally(stack, "worker kill -9 mid-batch", submitter.outcomes)
        mid_batch = sum(count > 0 for count in held)
        row.notes.insert(0, f"{len(held)} kills, {mid_batch} holding unacknowledged entries "
                            f"({', '.join(map(str, held))})")  # fmt: skip
        row.facts.update(kills=len(held), mid_batch=mid_batch, held=held)
    return row


def _pause_holding(stack: Stack, victim: WorkerProcess, submitter: Submitter, step: int) -> None:
    """Leave ``victim`` (paused) paused at a moment it holds entries it has
    read and not acknowledged, letting it run as often as that takes; more
    comments are let in whenever it has read them all. Entries Redis handed
    it while it was paused (blocked in its read) do not count: it must have
    read and started on a batch of its own."""
    deadline = time.monotonic() + DEADLINE
    while True:
        before = stack.held_ids(victim)
        if not stack.unread():
            if submitter.allowed >= submitter.n:
                raise ProcessError("no comments left to give the worker to hold")
            submitter.wait_for(submitter.allow(submitter.allowed + step))
        victim.resume()
        until(lambda: bool(stack.held_ids(victim) - before) or not stack.unread(),  # noqa: B023
              f"worker {victim.name} to read entries")  # fmt: skip
        victim.pause()
        if stack.held_ids(victim, settled=True) - before:
            return
        if time.monotonic() >= deadline:
            raise ProcessError(f"worker {victim.name} was never caught holding entries")


def restart_redis(folder: Path, n: int, appendfsync: str = "always") -> Row:
    """SIGKILL Redis twice during the run, while posts are in flight, and
    start it again on its files once the posts of the outage (the ones in
    flight and ``OUTAGE_POSTS`` more, the others held back) have their answer."""
    with Stack(folder, appendfsync=appendfsync) as stack:
        submitter = Submitter(stack.web.reader(), n).start()
        down: list[float] = []
        for share in (0.3, 0.6):
            submitter.wait_for(int(n * share))
            during = submitter.allow(submitter.started + OUTAGE_POSTS)
            stack.redis_down()
            crashed = time.monotonic()
            submitter.wait_for(during)
            stack.redis_up()
            down.append(time.monotonic() - crashed)
            submitter.allow(n)
        submitter.join()
        row = tally(stack, f"Redis kill -9 + restart, appendfsync {appendfsync}",
                    submitter.outcomes)  # fmt: skip
        row.notes.insert(0, f"2 crashes, down {down[0]:.1f} s and {down[1]:.1f} s "
                            f"({OUTAGE_POSTS} posts tried each time)")  # fmt: skip
    return row


OUTAGE_LOG = "Redis unreachable ("  # what a worker logs at each try (moderation.worker)
RETRIES = 5  # times each worker finds Redis gone before it comes back (waits growing)


def redis_unreachable(folder: Path, n: int) -> Row:
    """Redis stops (SIGTERM) until every worker has tried to reach it
    ``RETRIES`` times, waiting longer each time, and the posts of the outage
    have their answer; nothing is restarted but Redis itself."""
    with Stack(folder) as stack:
        reader = stack.web.reader()
        submitter = Submitter(reader, n).start()
        submitter.wait_for(n // 3)
        during = submitter.allow(submitter.started + OUTAGE_POSTS)
        stack.redis_down(crash=False)
        stopped = time.monotonic()
        probes = {path: reader.request("GET", path)[0] for path in ("/healthz", "/readyz")}
        probes["POST"] = reader.submit("Pendant la panne").status
        for worker in stack.workers:
            until(lambda worker=worker: worker.output().count(OUTAGE_LOG) >= RETRIES,
                  f"worker {worker.name} to retry {RETRIES} times; see {worker.log}")  # fmt: skip
        submitter.wait_for(during)
        stack.redis_up()
        back = time.monotonic()
        down_for = back - stopped
        until(lambda: reader.request("GET", "/readyz")[0] == 200, "/readyz to answer 200")
        ready_after = time.monotonic() - back
        submitter.allow(n)
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
