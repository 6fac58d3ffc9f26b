"""Quality and speed of the spam classifier, measured on public data.

    .venv/bin/python -m bench.classifier_quality [--quick] [--json]

Quality uses the project's own ``SpamClassifier`` with default parameters
(calibrated out of fold, spam at a calibrated probability ≥ 0.5):

- YouTube Spam Collection, deduplicated, leave-one-video-out (train on four
  videos, test the fifth, counts pooled over the five), (a) YouTube only,
  (b) YouTube plus the seed corpus ``classifiers/data/seed.csv`` and (c)
  YouTube, seed and the news corpus ``classifiers/data/news_train.csv``, what
  the shipped model is trained on;
- the same set in stratified k-fold cross-validation (shuffled, seed 0), (a) and (b);
- a baseline on the same splits: TF-IDF word 1–2-grams + LinearSVC(C=1), text only;
- the shipped model ``classifiers/default_model.npz`` on the news held-out set
  ``classifiers/data/news_holdout.csv`` (never trained on), overall and per
  slice, with its bands and the worker's routing (links of no spammer's kind
  never decide the spam band alone), and on the older French held-out set
  ``bench/data/french_holdout.csv``;
- a table of thresholds on the news held-out set.

Speed is measured with the shipped model on one core (BLAS/OpenMP pools
limited to one thread, the process pinned to one CPU where Linux allows it).

The datasets are looked up in ``../shared/datasets`` beside the repository,
or wherever the environment variable ``DATASETS_DIR`` points.
"""

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from classifiers import bands, persistence, report, slices
from classifiers.evaluation import scores
from classifiers.model import SpamClassifier
from classifiers.readers import Example, deduplicate, read_examples
from classifiers.sample import Sample
from moderation.policy import DEFAULT_BANDS, Policy
from moderation.routing import text_scores

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "classifiers" / "data" / "seed.csv"
NEWS_TRAIN = REPO / "classifiers" / "data" / "news_train.csv"
NEWS_HOLDOUT = REPO / "classifiers" / "data" / "news_holdout.csv"
FRENCH = REPO / "bench" / "data" / "french_holdout.csv"
SHIPPED = REPO / "classifiers" / "default_model.npz"

SPAM_THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)
APPROVE_THRESHOLDS = (0.05, 0.1, 0.2)

GOALS = {
    "lovo_mcc": 0.90,
    "kfold_f1": 0.96,
    "french_accuracy": 0.95,
    "french_ham_flagged": 0.01,
    "batched_per_s": 5000.0,
    "single_median_ms": 2.0,
}
VARIANTS = ("a_youtube", "b_youtube_seed", "c_youtube_seed_news")


@dataclass(frozen=True, slots=True)
class Plan:
    """How much work a run does: ``--quick`` trades repeats for time."""

    kfolds: int
    batch_repeats: int
    single_calls: int
    explain_calls: int
    n_comments: int = 2000
    batch_size: int = 100


FULL = Plan(kfolds=10, batch_repeats=7, single_calls=2000, explain_calls=300)
QUICK = Plan(kfolds=3, batch_repeats=2, single_calls=300, explain_calls=40)


# -- data ------------------------------------------------------------------


def datasets_dir() -> Path:
    """``$DATASETS_DIR``, else ``shared/datasets`` beside the repository."""
    override = os.environ.get("DATASETS_DIR")
    return Path(override) if override else REPO.parent / "shared" / "datasets"


def load_youtube() -> list[Example]:
    folder = datasets_dir() / "youtube-spam-collection"
    paths = sorted(folder.glob("Youtube0*.csv"))
    if len(paths) != 5:
        sys.exit(f"expected the 5 YouTube Spam Collection CSVs in {folder} (set DATASETS_DIR)")
    examples: list[Example] = []
    for path in paths:
        examples.extend(read_examples(path))
    return deduplicate(examples)


def load_sms() -> list[Example] | None:
    path = datasets_dir() / "sms-spam-collection" / "SMSSpamCollection"
    return deduplicate(read_examples(path)) if path.exists() else None


def labels_of(examples: Sequence[Example]) -> np.ndarray:
    return np.array([example.label for example in examples], dtype=np.int64)


# -- learners --------------------------------------------------------------
# Each returns, for the test examples, a score that is spam from THRESHOLD on.


def ours(train: Sequence[Example], test: Sequence[Example]) -> np.ndarray:
    """The project's classifier, default parameters: spam probability."""
    model = SpamClassifier().fit([e.sample for e in train], labels_of(train))
    return model.predict_proba([e.sample for e in test])[:, 1]


def _plain_text(example: Example) -> str:
    return example.sample.body.replace("\ufeff", "")


def baseline(train: Sequence[Example], test: Sequence[Example]) -> np.ndarray:
    """TF-IDF word 1–2-grams + LinearSVC(C=1) on the text: decision value."""
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LinearSVC(C=1.0))
    model.fit([_plain_text(e) for e in train], labels_of(train))
    return model.decision_function([_plain_text(e) for e in test])


Learner = Callable[[Sequence[Example], Sequence[Example]], np.ndarray]
THRESHOLD: dict[str, float] = {"ours": 0.5, "baseline": 0.0}
LEARNERS: dict[str, Learner] = {"ours": ours, "baseline": baseline}


# -- splits ----------------------------------------------------------------

Split = tuple[np.ndarray, np.ndarray]


def video_splits(examples: Sequence[Example]) -> list[Split]:
    """Leave one video out: the source file names the video."""
    sources = np.array([example.source for example in examples])
    return [
        (np.flatnonzero(sources != s), np.flatnonzero(sources == s)) for s in sorted(set(sources))
    ]


def kfold_splits(examples: Sequence[Example], folds: int) -> list[Split]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    return list(splitter.split(np.zeros(len(examples)), labels_of(examples)))


def _one_split(
    learner: str, examples: Sequence[Example], split: Split, extra: Sequence[Example]
) -> tuple[np.ndarray, np.ndarray]:
    train = [examples[i] for i in split[0]] + list(extra)
    test = [examples[i] for i in split[1]]
    return split[1], LEARNERS[learner](train, test)


def out_of_fold(
    learner: str,
    examples: Sequence[Example],
    splits: list[Split],
    extra: Sequence[Example],
    jobs: int,
) -> np.ndarray:
    """Each example's score from the model that did not see it; ``extra`` is
    added to every training part, never to a test part."""
    results = Parallel(n_jobs=jobs)(
        delayed(_one_split)(learner, examples, split, extra) for split in splits
    )
    oof = np.full(len(examples), np.nan)
    for test, values in results:
        oof[test] = values
    return oof


# -- quality ---------------------------------------------------------------

_KEEP = (
    "n",
    "tp",
    "fp",
    "tn",
    "fn",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "mcc",
    "roc_auc",
    "ham_flagged",
)


def figures(labels: np.ndarray, values: np.ndarray, learner: str) -> dict[str, Any]:
    result = scores(labels, values, THRESHOLD[learner])
    return {name: result[name] for name in _KEEP}


def per_video_mcc(examples: Sequence[Example], oof: np.ndarray, learner: str) -> dict[str, float]:
    sources = np.array([example.source for example in examples])
    labels = labels_of(examples)
    return {
        source.removesuffix(".csv"): figures(
            labels[sources == source], oof[sources == source], learner
        )["mcc"]
        for source in sorted(set(sources))
    }


def cross_validation(
    name: str,
    youtube: list[Example],
    splits: list[Split],
    extras: dict[str, list[Example]],
    jobs: int,
) -> dict[str, Any]:
    """Both learners, each variant (the extra examples added to every
    training part), on the same splits."""
    labels = labels_of(youtube)
    result: dict[str, Any] = {}
    for variant, extra in extras.items():
        for learner in ("ours", "baseline"):
            oof = out_of_fold(learner, youtube, splits, extra, jobs)
            entry = figures(labels, oof, learner)
            if name == "lovo":
                entry["per_video_mcc"] = per_video_mcc(youtube, oof, learner)
            result[f"{variant}/{learner}"] = entry
    return result


def shipped_model() -> tuple[SpamClassifier, dict[str, Any]]:
    return persistence.load(SHIPPED)


def news(model: SpamClassifier, metadata: dict[str, Any], examples: list[Example]
         ) -> dict[str, Any]:  # fmt: skip
    """The shipped model on the news held-out set: figures at 0.5 overall and
    per slice, its bands, and where the worker would file each comment."""
    chosen = bands.from_metadata(metadata) or DEFAULT_BANDS
    document = report.build(model, examples, bands=chosen, mistakes=0)
    samples = [example.sample for example in examples]
    probability = model.predict_proba(samples)[:, 1]
    texts = text_scores(model, samples, probability, chosen[0])
    policy = Policy()
    statuses = [policy.decide(float(p), sample.body, chosen, text).status
                for p, sample, text in zip(probability, samples, texts, strict=True)]  # fmt: skip
    labels = labels_of(examples)
    cited = np.array([slices.links_band(sample.body) != "no links" for sample in samples])
    filed = np.array([status == "spam" for status in statuses])
    document["routed"] = {
        "ham_filed_as_spam": int((filed & (labels == 0)).sum()),
        "ham_with_links_filed_as_spam": int((filed & (labels == 0) & cited).sum()),
        "ham_with_links": int(((labels == 0) & cited).sum()),
        "spam_filed_as_spam": int((filed & (labels == 1)).sum()),
        "spam": int(labels.sum()),
        "links_not_decisive": sum(text is not None and text < chosen[0] for text in texts),
    }
    document["probability"] = probability
    return document


def french(model: SpamClassifier, examples: list[Example]) -> tuple[dict[str, Any], np.ndarray]:
    """Scored with every form field, as in production; also with the body
    alone, since the set shares made-up spam e-mail domains with the seed."""
    labels = labels_of(examples)
    probability = model.predict_proba([e.sample for e in examples])[:, 1]
    body_only = model.predict_proba([Sample(e.sample.body) for e in examples])[:, 1]
    result = figures(labels, probability, "ours")
    result["body_only"] = figures(labels, body_only, "ours")
    return result, probability


def sms_cross_domain(
    model: SpamClassifier, youtube: list[Example], seed: list[Example]
) -> dict[str, Any] | None:
    """Informational: SMS is not comments. Shipped model vs the baseline
    trained on the same data as the shipped model."""
    sms = load_sms()
    if sms is None:
        return None
    labels = labels_of(sms)
    probability = model.predict_proba([e.sample for e in sms])[:, 1]
    reference = baseline(youtube + seed, sms)
    return {
        "ours_shipped": figures(labels, probability, "ours"),
        "baseline": figures(labels, reference, "baseline"),
    }


# -- thresholds for the policy ---------------------------------------------


def threshold_table(labels: np.ndarray, probability: np.ndarray, chosen: tuple[float, float]
                    ) -> dict[str, Any]:  # fmt: skip
    ham, spam = probability[labels == 0], probability[labels == 1]
    spam_rows = {}
    for threshold in sorted({*SPAM_THRESHOLDS, chosen[0]}):
        result = scores(labels, probability, threshold)
        spam_rows[str(threshold)] = {
            name: result[name] for name in ("precision", "recall", "ham_flagged", "fp", "tp")
        }
    approve_rows = {
        str(threshold): {
            "ham_at_or_below": round(float(np.mean(ham <= threshold)), 4),
            "spam_at_or_below": round(float(np.mean(spam <= threshold)), 4),
            "spam_count_at_or_below": int(np.sum(spam <= threshold)),
        }
        for threshold in sorted({*APPROVE_THRESHOLDS, chosen[1]})
    }
    high, low = chosen
    middle = (probability > low) & (probability < high)
    return {
        "n": int(len(labels)),
        "ham": int(len(ham)),
        "spam": int(len(spam)),
        "bands": list(chosen),
        "spam_at": spam_rows,
        "likely_good_at": approve_rows,
        "review_share_at_bands": round(float(np.mean(middle)), 4),
    }


# -- speed -----------------------------------------------------------------


@contextmanager
def one_core() -> Iterator[None]:
    """Numeric libraries on one thread, the process on one CPU (Linux)."""
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if affinity:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        if affinity:
            os.sched_setaffinity(0, affinity)


def realistic_comments(pools: Sequence[Sequence[Example]], n: int) -> list[Sample]:
    """YouTube, seed and French comments (with their form fields), mixed and
    repeated to ``n``."""
    samples = [example.sample for pool in pools for example in pool]
    order = np.random.default_rng(0).permutation(len(samples))
    return [samples[order[i % len(samples)]] for i in range(n)]


def batched_rate(model: SpamClassifier, samples: list[Sample], plan: Plan) -> dict[str, float]:
    """Wall-clock rate, and the rate by this process's CPU time, which other
    processes competing for the core disturb less."""
    batches = [samples[i : i + plan.batch_size] for i in range(0, len(samples), plan.batch_size)]
    for batch in batches:
        model.predict_proba(batch)  # warm-up: one whole pass
    wall, cpu = [], []
    for _ in range(plan.batch_repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            model.predict_proba(batch)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "comments_per_s": round(len(samples) / statistics.median(wall)),
        "best_comments_per_s": round(len(samples) / min(wall)),
        "cpu_comments_per_s": round(len(samples) / statistics.median(cpu)),
        "repeats": plan.batch_repeats,
    }


def _timings_ms(
    call: Callable[[Sample], object], samples: Sequence[Sample]
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds of each call."""
    for sample in samples[:100]:
        call(sample)  # warm-up
    wall, cpu = [], []
    for sample in samples:
        start, start_cpu = time.perf_counter(), time.process_time()
        call(sample)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return np.array(wall), np.array(cpu)


def _ms(values: np.ndarray, quantile: float) -> float:
    return round(float(np.percentile(values, quantile)), 3)


def single_latency(model: SpamClassifier, samples: list[Sample], plan: Plan) -> dict[str, float]:
    singles, singles_cpu = _timings_ms(
        lambda s: model.predict_proba([s]), samples[: plan.single_calls]
    )
    explains, explains_cpu = _timings_ms(model.explain, samples[: plan.explain_calls])
    return {
        "single_median_ms": _ms(singles, 50),
        "single_p99_ms": _ms(singles, 99),
        "single_median_cpu_ms": _ms(singles_cpu, 50),
        "single_calls": len(singles),
        "explain_median_ms": _ms(explains, 50),
        "explain_p99_ms": _ms(explains, 99),
        "explain_median_cpu_ms": _ms(explains_cpu, 50),
        "explain_calls": len(explains),
    }


def speed(model: SpamClassifier, samples: list[Sample], plan: Plan) -> dict[str, float]:
    """Other processes on the machine slow this down: the 1-minute load
    average before the measurement is kept with the figures."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with one_core():
        timings = {**batched_rate(model, samples, plan), **single_latency(model, samples, plan)}
    return {**timings, "load_average_1min_before": round(load, 2)}


# -- report ----------------------------------------------------------------


def ratio(ours_value: float, reference: float) -> str:
    return f"{ours_value / reference:.3f}" if reference else "-"


def goal_cell(key: str, value: float) -> str:
    goal = GOALS[key]
    below = key.endswith(("ham_flagged", "_ms"))
    met = value <= goal if below else value >= goal
    return f"{'<=' if below else '>='} {goal:g} {'met' if met else 'MISSED'}"


def quality_rows(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for split, goal_metric, metrics in (
        ("lovo", "mcc", ("mcc", "f1", "accuracy")),
        ("kfold", "f1", ("f1", "mcc", "accuracy")),
    ):
        for variant in VARIANTS:
            if f"{variant}/ours" not in result[split]:
                continue
            mine = result[split][f"{variant}/ours"]
            base = result[split][f"{variant}/baseline"]
            for metric in metrics:
                goal_key = f"{split}_{metric}"
                goal = goal_cell(goal_key, mine[metric]) if metric == goal_metric else ""
                rows.append((f"{split} {variant} {metric}", f"{mine[metric]:.4f}", goal,
                             f"{base[metric]:.4f}", ratio(mine[metric], base[metric])))
    for name, figures_ in (("news held-out French", result["news"]["slices"]["language"]["fr"]),
                           ("older French held-out", result["french"])):  # fmt: skip
        for metric, key in (("accuracy", "french_accuracy"), ("ham_flagged", "french_ham_flagged"),
                            ("precision", None), ("recall", None), ("mcc", None)):  # fmt: skip
            rows.append((f"{name} {metric}", f"{figures_[metric]:.4f}",
                         goal_cell(key, figures_[metric]) if key else "", "", ""))  # fmt: skip
    overall = result["news"]
    for metric in ("accuracy", "f1", "mcc", "roc_auc", "ham_flagged"):
        rows.append((f"news held-out (all) {metric}", f"{overall[metric]:.4f}", "", "", ""))
    return rows


def speed_rows(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    s = result["speed"]
    return [
        (
            "batched comments/s (x100)",
            f"{s['comments_per_s']}",
            goal_cell("batched_per_s", s["comments_per_s"]),
            "",
            "",
        ),
        (
            "single predict_proba median ms",
            f"{s['single_median_ms']:.3f}",
            goal_cell("single_median_ms", s["single_median_ms"]),
            "",
            "",
        ),
        ("single predict_proba p99 ms", f"{s['single_p99_ms']:.3f}", "", "", ""),
        ("  by CPU time: batched comments/s", f"{s['cpu_comments_per_s']}", "", "", ""),
        ("  by CPU time: single median ms", f"{s['single_median_cpu_ms']:.3f}", "", "", ""),
        ("explain median ms", f"{s['explain_median_ms']:.3f}", "", "", ""),
        ("explain p99 ms", f"{s['explain_p99_ms']:.3f}", "", "", ""),
    ]


def print_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def print_thresholds(tables: dict[str, Any]) -> None:
    for name, table in tables.items():
        high, low = table["bands"]
        print(f"\nthresholds, {name} (n={table['n']}: {table['spam']} spam, {table['ham']} ham)")
        print_table(
            [
                (
                    f">= {t}",
                    f"{r['precision']:.4f}",
                    f"{r['recall']:.4f}",
                    f"{r['ham_flagged']:.4f}",
                    str(r["fp"]),
                )
                for t, r in table["spam_at"].items()
            ],
            ("spam if p", "precision", "recall", "ham_flagged", "ham flagged (n)"),
        )
        print_table(
            [
                (
                    f"<= {t}",
                    f"{r['ham_at_or_below']:.4f}",
                    f"{r['spam_at_or_below']:.4f}",
                    str(r["spam_count_at_or_below"]),
                )
                for t, r in table["likely_good_at"].items()
            ],
            ("likely good if p", "ham share", "spam share", "spam (n)"),
        )
        print(f"share in the review band at the model's bands {low} < p < {high}: "
              f"{table['review_share_at_bands']:.4f}")


def print_report(result: dict[str, Any]) -> None:
    print(
        f"classifier quality ({result['mode']} run, {result['seconds']:.0f} s; "
        f"YouTube deduplicated n={result['data']['youtube']}, seed n={result['data']['seed']}, "
        f"news train n={result['data']['news_train']}, news held-out "
        f"n={result['data']['news_holdout']}, older French n={result['data']['french']})"
    )
    print(
        f"model {result['fingerprint']['model_sha256']}, classifiers/*.py "
        f"{result['fingerprint']['classifiers_py_sha256']}; load average before the speed "
        f"test {result['speed']['load_average_1min_before']}"
    )
    header = ("figure", "ours", "goal", "baseline", "ours/baseline")
    print_table(quality_rows(result) + speed_rows(result), header)
    lovo = result["lovo"]
    for variant in ("b_youtube_seed", "c_youtube_seed_news"):
        print(f"\nLOVO per-video MCC (ours, {variant}): " + ", ".join(
            f"{k} {v:.3f}" for k, v in lovo[f"{variant}/ours"]["per_video_mcc"].items()))
    routed = result["news"]["routed"]
    print(
        f"\nnews held-out, routed as the worker does (bands {result['bands']['spam']} / "
        f"{result['bands']['likely_good']}): legitimate filed as spam "
        f"{routed['ham_filed_as_spam']} (with links {routed['ham_with_links_filed_as_spam']} of "
        f"{routed['ham_with_links']}); spam filed as spam {routed['spam_filed_as_spam']} of "
        f"{routed['spam']}; sent to a person because only links looked like spam: "
        f"{routed['links_not_decisive']}"
    )
    print("news held-out per slice (n, F1, ham flagged at 0.5):")
    for dimension, groups in result["news"]["slices"].items():
        if dimension == "kind":
            continue
        print("  " + "; ".join(
            f"{dimension}={group} {f['n']} {f['f1']:.3f} {f['ham_flagged']:.3f}"
            for group, f in groups.items()))
    body = result["french"]["body_only"]
    print(
        f"French, body only (form fields blanked): accuracy {body['accuracy']:.4f}, "
        f"ham flagged {body['ham_flagged']:.4f}, precision {body['precision']:.4f}, "
        f"recall {body['recall']:.4f}"
    )
    sms = result.get("sms_cross_domain")
    if sms:
        print(
            f"SMS cross-domain (informational): shipped MCC {sms['ours_shipped']['mcc']:.4f}, "
            f"ham flagged {sms['ours_shipped']['ham_flagged']:.4f}; "
            f"baseline MCC {sms['baseline']['mcc']:.4f}"
        )
    print_thresholds(result["thresholds"])


# -- main ------------------------------------------------------------------


def fingerprint() -> dict[str, str]:
    """Which code and model were measured: short SHA-256 of the shipped model
    file and of the classifier sources (they may differ from the last commit)."""
    sources = hashlib.sha256()
    for path in sorted((REPO / "classifiers").glob("*.py")):
        sources.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "model_sha256": hashlib.sha256(SHIPPED.read_bytes()).hexdigest()[:12],
        "classifiers_py_sha256": sources.hexdigest()[:12],
    }


def run(plan: Plan, mode: str) -> dict[str, Any]:
    started = time.perf_counter()
    measured, (model, metadata) = fingerprint(), shipped_model()
    jobs = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    youtube, seed, older = load_youtube(), read_examples(SEED), read_examples(FRENCH)
    news_train, news_holdout = read_examples(NEWS_TRAIN), read_examples(NEWS_HOLDOUT)
    extras = {"a_youtube": [], "b_youtube_seed": seed,
              "c_youtube_seed_news": seed + news_train}  # fmt: skip
    lovo = cross_validation("lovo", youtube, video_splits(youtube), extras, jobs)
    kfold = cross_validation("kfold", youtube, kfold_splits(youtube, plan.kfolds),
                             {name: extras[name] for name in VARIANTS[:2]}, jobs)  # fmt: skip
    french_figures, _french_p = french(model, older)
    held = news(model, metadata, news_holdout)
    chosen = bands.from_metadata(metadata) or DEFAULT_BANDS
    tables = {"news_holdout": threshold_table(labels_of(news_holdout), held.pop("probability"),
                                              chosen)}  # fmt: skip
    sms = sms_cross_domain(model, youtube, seed) if mode == "full" else None
    comments = realistic_comments([youtube, seed, older, news_holdout], plan.n_comments)
    return {
        "mode": mode,
        "kfolds": plan.kfolds,
        "jobs": jobs,
        "data": {"youtube": len(youtube), "seed": len(seed), "french": len(older),
                 "news_train": len(news_train), "news_holdout": len(news_holdout)},
        "lovo": lovo,
        "kfold": kfold,
        "news": held,
        "bands": metadata.get("bands"),
        "french": french_figures,
        "thresholds": tables,
        "sms_cross_domain": sms,
        "speed": speed(model, comments, plan),
        "goals": GOALS,
        "fingerprint": measured,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.classifier_quality", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer folds and repeats (< 60 s)")
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args(argv)
    result = run(QUICK if args.quick else FULL, "quick" if args.quick else "full")
    print_report(result)
    if args.json:
        print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
