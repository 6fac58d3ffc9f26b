from pathlib import Path

import pytest

from classifiers import gate, persistence, report, slices
from classifiers.bands import from_metadata
from classifiers.readers import Example, read_examples
from classifiers.sample import Sample
from moderation.models import packaged_model_bytes

HOLDOUT = Path(__file__).parents[2] / "classifiers" / "data" / "news_holdout.csv"


def example(body: str, label: int, **extra: str) -> Example:
    return Example(Sample(body), label, "test", **extra)


def test_each_example_falls_in_one_group_per_dimension():
    placed = slices.groups(example("Merci pour cet article très clair sur la réforme.", 0,
                                   kind="agreement", site="blog"))  # fmt: skip
    assert placed == {"language": "fr", "links": "no links", "length": "medium (40-300)",
                      "kind": "agreement", "site": "blog"}  # fmt: skip
    cited = slices.groups(example("Source: https://www.insee.fr/fr/statistiques/1", 0,
                                  lang="de", origin="imported"))  # fmt: skip
    assert cited["language"] == "other" and cited["links"] == "links to references only"
    assert cited["origin"] == "imported" and "kind" not in cited
    assert slices.groups(example("x https://bit.ly/a", 1))["links"] == "other links"


def test_report_per_slice_and_regressions():
    examples = ([example(f"Great article number {i}, thanks for the work", 0) for i in range(60)]
                + [example(f"Win money now at https://bonus{i}.xyz", 1) for i in range(60)])
    good = [0.1] * 60 + [0.9] * 60
    worse = [0.1] * 60 + [0.9] * 40 + [0.2] * 20
    before = slices.report(examples, good)
    after = slices.report(examples, worse)
    assert before["overall"]["f1"] == 1.0
    assert before["slices"]["language"]["en"]["n"] == 120
    found = slices.regressions(after, before)
    assert any(item.startswith("language=en") for item in found)
    assert slices.regressions(before, before) == []
    # A slice under 50 examples is too small to gate on.
    assert slices.regressions(after, before, min_n=121) == []


def test_gate_refuses_more_false_alarms_even_with_a_better_f1():
    examples = [example(f"ham {i}", 0) for i in range(100)] + [
        example(f"spam {i}", 1) for i in range(100)]
    current = slices.report(examples, [0.1] * 100 + [0.9] * 80 + [0.1] * 20)["overall"]
    new = slices.report(examples, [0.1] * 98 + [0.9] * 2 + [0.9] * 100)["overall"]
    assert new["f1"] > current["f1"]
    reasons = gate.refusals({**new, "slices": {}}, {**current, "slices": {}})
    assert reasons and "flagged at 0.5 rose from 0 to 2" in reasons[0]


def test_the_shipped_model_has_not_regressed_on_any_slice():
    """The shipped model, scored by today's code, against the figures recorded
    when it was trained: a change to the features that alters its scores, or a
    model retrained for the worse, fails here."""
    model, metadata = persistence.load(packaged_model_bytes())
    recorded = metadata["evaluation"]["held_out"]
    now = report.build(model, read_examples(HOLDOUT), bands=from_metadata(metadata),
                       mistakes=0)  # fmt: skip
    assert gate.refusals(now, recorded) == []
    gated = [group for groups in recorded["slices"].values() for group in groups.values()
             if group["n"] >= slices.MIN_SLICE]  # fmt: skip
    assert len(gated) >= 6  # language, links and length slices big enough to mean something
    assert now["f1"] == pytest.approx(recorded["f1"], abs=0.005)


def test_the_report_names_the_surest_mistakes_with_their_reasons():
    model, metadata = persistence.load(packaged_model_bytes())
    examples = read_examples(HOLDOUT)[:120]
    document = report.build(model, examples, bands=from_metadata(metadata))
    assert len(document["mistakes"]) <= report.MISTAKES
    for mistake in document["mistakes"]:
        assert (mistake["score"] >= 0.5) == (mistake["label"] == "ham")
        assert mistake["reasons"] and mistake["body"]
    text = report.as_text(document)
    for heading in ("reliability", "per slice", "bands of the model", "language = fr"):
        assert heading in text
