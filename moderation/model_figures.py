"""What the dashboard shows of each model version: where its bands start and
how it did, per kind of comment, on examples it never learnt from."""

from dataclasses import dataclass
from typing import Any

from classifiers import bands
from moderation.models import ModelRegistry, ModelVersion

SHOWN = 5  # the newest versions; `moderation model list` has them all
# The slices a moderator can act on: language and links.
SLICES = (("language", "fr"), ("language", "en"), ("links", "links to references only"),
          ("links", "other links"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class SliceFigure:
    dimension: str
    group: str
    n: int
    f1: float | None  # None: the slice holds no spam
    ham_flagged: float


@dataclass(frozen=True, slots=True)
class ModelFigures:
    version: str
    created_at: float
    active: bool
    source: str  # "packaged default", "decisions", "training"
    spam_threshold: float | None
    likely_good: float | None
    n_held_out: int | None
    accuracy: float | None
    ham_filed_as_spam: tuple[int, int] | None  # (legitimate in the spam band, legitimate)
    slices: tuple[SliceFigure, ...]
    refusals: tuple[str, ...]  # why it was not activated, for a refined model


def _source(metadata: dict[str, Any]) -> str:
    if metadata.get("refined"):
        return "decisions"
    return "packaged default" if str(metadata.get("source", "")).startswith("packaged") else (
        "training")  # fmt: skip


def figures_of(entry: ModelVersion) -> ModelFigures:
    metadata = entry.metadata
    held = (metadata.get("evaluation") or {}).get("held_out") or {}
    chosen = bands.from_metadata(metadata)
    band = held.get("bands") or {}
    shown = []
    for dimension, group in SLICES:
        figures = (held.get("slices") or {}).get(dimension, {}).get(group)
        if figures:
            has_spam = figures["tp"] + figures["fn"] > 0
            shown.append(SliceFigure(dimension, group, figures["n"],
                                     figures["f1"] if has_spam else None,
                                     figures["ham_flagged"]))  # fmt: skip
    return ModelFigures(
        version=entry.version,
        created_at=entry.created_at,
        active=entry.active,
        source=_source(metadata),
        spam_threshold=chosen[0] if chosen else None,
        likely_good=chosen[1] if chosen else None,
        n_held_out=held.get("n"),
        accuracy=held.get("accuracy"),
        ham_filed_as_spam=(band["ham_in_spam_band"], band["n_ham"]) if band else None,
        slices=tuple(shown),
        refusals=tuple(metadata.get("refusals") or ()),
    )


def recent(registry: ModelRegistry, count: int = SHOWN) -> list[ModelFigures]:
    """The newest ``count`` versions, newest first."""
    return [figures_of(entry) for entry in reversed(registry.versions()[-count:])]


def active_bands(registry: ModelRegistry) -> tuple[float, float] | None:
    version = registry.active_version()
    return bands.from_metadata(registry.metadata(version)) if version else None
