"""``moderation train``, ``evaluate`` and ``model ...``: model files and the
versions kept in Redis. Whether a new model replaces the current one is
:mod:`moderation.retraining`'s rule."""

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from moderation.cli.common import redis_client


def _read_all(paths: tuple[str, ...], option: str = "--data") -> list:
    from classifiers.readers import DatasetError, read_examples

    examples = []
    for path in paths:
        try:
            examples.extend(read_examples(path))
        except (OSError, DatasetError) as error:
            raise click.BadParameter(str(error), param_hint=option) from error
    return examples


@click.command()
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Labelled examples (YouTube CSV, SMS TSV, or CSV with label,body).",
)
@click.option(
    "--eval",
    "held_out",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Held-out examples, never trained on: measured per slice, kept with the model, "
         "and compared with the current model's figures before the new one replaces it.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the model file here instead of publishing it to Redis.",
)
@click.option(
    "--from-decisions",
    is_flag=True,
    help="Refine the active model with moderators' decisions (partial_fit).",
)
@click.option("--no-dedup", is_flag=True, help="Keep repeated texts.")
@click.option(
    "--min-improvement",
    type=float,
    default=-0.01,
    show_default=True,
    help="With --from-decisions, activate only if held-back F1 changes by at least this.",
)
@click.option("--force", is_flag=True,
              help="Keep a new model although the regression gate refuses it.")  # fmt: skip
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def train(data: tuple[str, ...], held_out: tuple[str, ...], out: str | None,
          from_decisions: bool, no_dedup: bool, min_improvement: float, force: bool,
          more: tuple[str, ...]) -> None:  # fmt: skip
    """Train a model, or refine the active one with moderators' decisions.

    `--data a.csv b.csv` and `--data a.csv --data b.csv` both read two files.
    """
    data = data + more
    from classifiers import persistence
    from classifiers.readers import deduplicate
    from classifiers.training import train as fit

    if from_decisions:
        _refine_from_decisions(out, min_improvement, force)
        return
    if not data:
        raise click.UsageError("give --data FILE (one or more) or --from-decisions")
    examples = _read_all(data)
    if not no_dedup:
        examples = deduplicate(examples)
    evaluation = _read_all(held_out, "--eval")
    click.echo(f"training on {len(examples)} examples…", err=True)
    with click.progressbar(length=2, label="fitting", file=sys.stderr) as bar:
        model, metadata = fit(examples, evaluation=evaluation, progress=bar.update)
    figures = metadata["evaluation"]
    click.echo(json.dumps({
        "training": metadata["training"], "bands": metadata.get("bands"),
        "out_of_fold": figures.get("out_of_fold"),
        "held_out": {key: value for key, value in figures.get("held_out", {}).items()
                     if key not in {"slices", "reliability"}},
    }), err=True)  # fmt: skip
    registry = None
    if not out:
        from moderation.models import ModelRegistry

        registry = ModelRegistry(redis_client())
    if evaluation:
        _gate(model, metadata, evaluation, out, registry, force)
    if out:
        persistence.save(model, out, metadata)
        click.echo(f"model written to {out}")
        return
    assert registry is not None
    version = registry.publish(persistence.to_bytes(model, metadata), metadata)
    click.echo(f"model {version} published and active")


def _gate(model: Any, metadata: dict[str, Any], evaluation: list, out: str | None,
          registry: Any, force: bool) -> None:  # fmt: skip
    """Refuse (exit 1) a model that does worse than the current one on the
    held-out examples, unless ``force``."""
    from classifiers import persistence
    from moderation import retraining

    try:
        current = retraining.current_model(out, registry)
    except persistence.ModelFileError as error:
        click.echo(f"no comparison with the current model: {error}", err=True)
        current = None
    refusals = retraining.regressions(model, metadata, evaluation, current)
    for reason in refusals:
        click.echo(f"regression: {reason}", err=True)
    if refusals and not force:
        raise click.ClickException(
            "the new model does worse than the current one on the held-out examples "
            "(--force keeps it anyway)"
        )


def _refine_from_decisions(out: str | None, min_improvement: float, force: bool) -> None:
    from moderation import retraining

    done = retraining.refine_from_decisions(
        redis_client(), min_improvement=min_improvement, force=force, out=out,
        on_refined=lambda figures: click.echo(json.dumps(figures), err=True),
    )  # fmt: skip
    if not done.decisions:
        click.echo("no new decisions to learn from")
    elif out:
        click.echo(f"model written to {out}")
    elif done.activated:
        click.echo(f"model {done.version} (from {done.decisions} decisions) published and active")
    else:
        click.echo(f"model {done.version} published but NOT activated: "
                   + "; ".join(done.refusals))  # fmt: skip


@click.command()
@click.option(
    "--data", "data", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Model file (default: the packaged model).",
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", "full", is_flag=True,
              help="Also the bands, a reliability table, figures per slice (language, links, "
                   "length, kind, site, origin) and the ten surest mistakes with their reasons.")
@click.option("--chart", type=click.Path(dir_okay=False), default=None,
              help="Write the reliability chart (SVG) to this file.")
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def evaluate(data: tuple[str, ...], model_path: str | None, threshold: float, as_json: bool,
             full: bool, chart: str | None, more: tuple[str, ...]) -> None:  # fmt: skip
    """Score labelled examples with a model and print the figures."""
    data = data + more
    from classifiers import bands, calibration, persistence, report
    from classifiers.training import evaluate as measure
    from moderation.models import packaged_model_bytes

    source = model_path or packaged_model_bytes()
    try:
        model, metadata = persistence.load(source)
    except persistence.ModelFileError as error:
        raise click.BadParameter(str(error), param_hint="--model") from error
    examples = _read_all(data)
    if not full and not chart:
        figures = measure(model, examples, threshold)
        if as_json:
            click.echo(json.dumps(figures))
            return
        for key, value in figures.items():
            click.echo(f"{key:>12}  {value}")
        return
    document = report.build(model, examples, threshold=threshold,
                            bands=bands.from_metadata(metadata),
                            mistakes=report.MISTAKES if full else 0)  # fmt: skip
    if chart:
        table = [calibration.Bin(**item) for item in document["reliability"]]
        Path(chart).write_text(calibration.reliability_svg(
            table, title=f"Reliability on {len(examples)} comments"), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
    elif full:
        click.echo(report.as_text(document))
    if chart and not as_json:
        click.echo(f"reliability chart written to {chart}")


@click.group()
def model() -> None:
    """Model versions kept in Redis."""


@model.command("list")
def model_list() -> None:
    from classifiers.bands import from_metadata
    from moderation.models import ModelRegistry

    for entry in ModelRegistry(redis_client()).versions():
        evaluation = entry.metadata.get("evaluation", {})
        held = evaluation.get("held_out") or evaluation.get("out_of_fold") or {}
        bands = from_metadata(entry.metadata)
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(entry.created_at))
        mark = "*" if entry.active else " "
        refused = "; ".join(entry.metadata.get("refusals") or [])
        click.echo(
            f"{mark} {entry.version:>5}  {when}  n={entry.metadata.get('training', {}).get('n')}"
            f"  f1={held.get('f1')}  bands={'/'.join(map(str, bands)) if bands else '-'}"
            f"  {entry.metadata.get('source', '')}" + (f"  refused: {refused}" if refused else "")
        )


@model.command("rollback")
def model_rollback() -> None:
    from moderation.models import ModelRegistry, NoModel

    try:
        version = ModelRegistry(redis_client()).rollback()
    except NoModel as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"model {version} is active again")


@model.command("activate")
@click.argument("version")
def model_activate(version: str) -> None:
    from moderation.models import ModelRegistry, NoModel

    try:
        ModelRegistry(redis_client()).activate(version)
    except NoModel as error:
        raise click.ClickException(f"no model {error}") from error
    click.echo(f"model {version} is active")
