"""All the benchmarks, one table: ``python -m bench [--quick] [--json]``.

Each figure is measured in this run, against a baseline measured in the same
run where it is a ratio (see each module's docstring). ``--json`` prints one
JSON object on the last line; ``--quick`` runs shorter (under two minutes on
two cores) and is for checking the harness, not for the record.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench import load, widget_size, worker_throughput

# key: (goal, True when bigger is better)
GOALS: dict[str, tuple[float, bool]] = {
    "submit_ratio": (0.30, True),
    "submit_p99_ms": (10.0, False),
    "read_ratio": (0.45, True),
    "read_304_ratio": (0.55, True),
    "classify_per_s": (5000, True),
    "e2e_p99_ms": (100.0, False),
    "widget_gzip_bytes": (7168, False),
}


def run(quick: bool) -> dict[str, float]:
    seconds = 3.0 if quick else 10.0
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        base = Path(folder)
        steps = [
            lambda: load.submit_figures(base, seconds),
            lambda: load.read_figures(base, seconds),
            lambda: {"classify_per_s": worker_throughput.run(3000 if quick else 10000)[
                "classify_per_s"]},
            lambda: load.e2e_figures(base, 5.0 if quick else 15.0),
            lambda: load.memory_figures(base, 10_000 if quick else 100_000),
            lambda: {"widget_gzip_bytes": widget_size.measure()["widget_gzip_bytes"]},
        ]
        for step in steps:
            started = time.monotonic()
            result = step()
            figures.update(result)
            print(f"# {', '.join(result)}: {time.monotonic() - started:.0f} s", file=sys.stderr)
    goal = figures["redis_bytes_goal"]
    GOALS["redis_bytes_per_comment"] = (goal, False)
    return figures


def table(figures: dict[str, float]) -> str:
    lines = ["| figure | value | goal |", "| --- | --- | --- |"]
    for key, value in figures.items():
        goal = GOALS.get(key)
        if goal is None:
            verdict = ""
        else:
            met = value >= goal[0] if goal[1] else value <= goal[0]
            verdict = f"{'≥' if goal[1] else '≤'} {goal[0]:g} {'met' if met else 'MISSED'}"
        lines.append(f"| {key} | {value:g} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (under 2 minutes)")
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args()
    figures = run(args.quick)
    print(table(figures))
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
