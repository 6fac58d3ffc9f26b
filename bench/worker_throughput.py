"""Classifier worker throughput: queued comments to verdicts, one process.

Starts a throw-away redis-server on a free port, queues N comments of
realistic length, runs one worker in burst mode and reports comments/s; the
baseline, measured in the same run on the same texts, is scoring alone
(`predict_proba` in batches), so the ratio shows what queueing, explanations
and verdict writes cost. `python -m bench.worker_throughput [--n 3000] [--json]`.
"""

import argparse
import tempfile
import time
from pathlib import Path

from bench.report import emit
from classifiers.readers import read_examples
from moderation.domain_history import DomainHistory
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.redis_server import RedisServer
from moderation.services import connect
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

ROOT = Path(__file__).resolve().parents[1]


def run(n: int) -> dict[str, float]:
    examples = read_examples(ROOT / "classifiers/data/seed.csv")
    examples += read_examples(ROOT / "bench/data/french_holdout.csv")
    samples = [examples[i % len(examples)].sample for i in range(n)]
    with tempfile.TemporaryDirectory() as folder, RedisServer(folder, persistent=False) as server:
        client = connect(server.url, 5.0)
        registry = ModelRegistry(client)
        registry.ensure_default()
        model = registry.load_active()[1]
        model.predict_proba(samples[:100])  # once per process: the suffix list, the caches
        started = time.perf_counter()
        for index in range(0, n, 100):
            model.predict_proba(samples[index : index + 100])
        scoring = n / (time.perf_counter() - started)

        store = CommentStore(client)
        for sample in samples:
            store.save("bench", CommentInput(author=sample.author or "Lecteur",
                                             email=sample.email or "l@example.org",
                                             url=sample.url, body=sample.body))  # fmt: skip
        # As `moderation worker` runs it: with the site's link history.
        worker = Worker(client, models=ModelCache(registry), policy=Policy(), name="bench",
                        history=DomainHistory(client))  # fmt: skip
        started = time.perf_counter()
        stats = worker.run(burst=True)
        elapsed = time.perf_counter() - started
        assert stats.classified == n, stats
        client.close()
    return {"n": n, "classify_per_s": round(n / elapsed), "scoring_only_per_s": round(scoring),
            "ratio": round((n / elapsed) / scoring, 3)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    emit(run(args.n), args.json)


if __name__ == "__main__":
    main()
