"""Whether a new model replaces the current one.

A model trained on labelled files is refused when it does worse than the
model it would replace on held-out examples (:func:`regressions`). A model
refined from moderators' decisions is always kept as a new version, but
activated only if, on a held-back share of the decisions, F1 did not drop by
more than the allowed change and no more legitimate comments are flagged, and
if on the shipped news held-out set no slice regressed
(:func:`refine_from_decisions`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

import classifiers
from classifiers import bands, gate, persistence, report
from classifiers.model import SpamClassifier
from classifiers.readers import Example, read_examples
from classifiers.training import refine
from moderation import feedback
from moderation.models import ModelRegistry, packaged_model_bytes
from moderation.sites import SiteRegistry

# Rehearsed with each pass over the decisions, so a few cannot drag the model.
REPLAY = ("seed.csv", "news_train.csv")
HOLDOUT = "news_holdout.csv"


def packaged_data(name: str) -> Path:
    """A data file shipped with the classifiers package."""
    return Path(classifiers.__file__).parent / "data" / name


def current_model(
    out: str | None, registry: ModelRegistry | None
) -> tuple[SpamClassifier, dict[str, Any]]:
    """The model a new one would replace: the file at ``out``, else the active
    version in Redis, else the packaged one. Raises
    :class:`classifiers.persistence.ModelFileError` if it cannot be read."""
    if out and Path(out).exists():
        return persistence.load(out)
    if registry is not None and registry.active_version():
        return registry.load(registry.active_version())
    return persistence.load(packaged_model_bytes())


def regressions(
    model: SpamClassifier, metadata: dict[str, Any], evaluation: Sequence[Example],
    current: tuple[SpamClassifier, dict[str, Any]] | None,
) -> list[str]:  # fmt: skip
    """Why ``model`` does worse than ``current`` on the held-out ``evaluation``
    examples, each model judged in its own bands; empty when it does not, or
    when there is no current model to compare with."""
    if current is None:
        return []
    old_model, old_metadata = current
    new = report.build(model, evaluation, bands=bands.from_metadata(metadata), mistakes=0)
    old = report.build(old_model, evaluation, bands=bands.from_metadata(old_metadata),
                       mistakes=0)  # fmt: skip
    return gate.refusals(new, old)


def held_back_refusals(
    before: dict[str, Any] | None, after: dict[str, Any] | None, min_improvement: float
) -> list[str]:
    """Why a refined model is refused on the held-back decisions: F1 changed by
    less than ``min_improvement``, or more legitimate comments are flagged (at
    0.5 or in the spam band). Nothing is refused without figures for both."""
    if not before or not after:
        return []
    refusals = []
    if after["f1"] - before["f1"] < min_improvement:
        refusals.append(f"held-back F1 fell from {before['f1']} to {after['f1']}")
    for key in ("ham_flagged", "ham_flagged_at_band"):
        if after[key] > before[key]:
            refusals.append(f"held-back {key.replace('_', ' ')} rose from {before[key]} "
                            f"to {after[key]}")  # fmt: skip
    return refusals


@dataclass(frozen=True)
class Refinement:
    """What :func:`refine_from_decisions` did."""

    decisions: int  # learnt from; 0: nothing new, nothing done
    refusals: list[str] = field(default_factory=list)
    activated: bool = False
    version: str | None = None  # the version published (None when written to a file)


def refine_from_decisions(
    client: redis.Redis, *, min_improvement: float, force: bool = False, out: str | None = None,
    on_refined: Callable[[dict[str, Any]], object] = lambda figures: None,
) -> Refinement:  # fmt: skip
    """Refine the active model with the decisions of every site since it was
    made, and publish the result (activated if nothing refuses it, or with
    ``force``), or write it to ``out``. ``on_refined`` gets the before/after
    figures as soon as they are known."""
    registry = ModelRegistry(client)
    version = registry.ensure_default()
    model, metadata = registry.load(version)
    cursors = feedback.cursors(metadata.get("decisions_until"))
    sites = SiteRegistry(client).names()
    entries = [
        entry
        for site in sites
        for entry in feedback.read(client, site, after=cursors.get(site, "0-0"))
    ]
    if not entries:
        return Refinement(decisions=0)
    spam_at, _good = bands.from_metadata(metadata) or (0.5, 0.5)
    replay = [example for name in REPLAY for example in read_examples(packaged_data(name))]
    model, figures = refine(model, feedback.as_examples(entries), spam_threshold=spam_at,
                            replay=replay)  # fmt: skip
    on_refined(figures)
    refusals = held_back_refusals(figures["before"], figures["after"], min_improvement)
    # The project's own held-out news comments: no slice may fall, no more
    # legitimate comments may be flagged.
    held = read_examples(packaged_data(HOLDOUT))
    old_model = registry.load(version)[0]  # afresh: refining changed the loaded one
    band = bands.from_metadata(metadata)
    refusals += gate.refusals(report.build(model, held, bands=band, mistakes=0),
                              report.build(old_model, held, bands=band, mistakes=0))  # fmt: skip
    good = force or not refusals
    until = {site: feedback.last_entry_id(client, site) for site in sites}
    until = {site: entry for site, entry in {**cursors, **until}.items() if entry}
    metadata = {**metadata, "parent": version, "refined": figures, "decisions_until": until,
                "refusals": refusals}  # fmt: skip
    data = persistence.to_bytes(model, metadata)
    if out:
        Path(out).write_bytes(data)
        return Refinement(len(entries), refusals)
    new = registry.publish(data, metadata, activate=good)
    return Refinement(len(entries), refusals, activated=good, version=new)
