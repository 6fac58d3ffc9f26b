import io

import numpy as np
import pytest

from classifiers import bands, calibration, persistence
from classifiers.model import SpamClassifier
from classifiers.sample import Sample


def test_sigmoid_fit_is_monotone_and_corrects_an_overconfident_margin():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 4000)
    # A margin three times too large: the truth is sigmoid(m / 3).
    margins = rng.normal(0, 6, 4000)
    labels = (rng.random(4000) < 1 / (1 + np.exp(-margins / 3))).astype(int)
    slope, intercept = calibration.fit_sigmoid(margins, labels)
    assert slope == pytest.approx(1 / 3, abs=0.05) and abs(intercept) < 0.2
    grid = np.linspace(-20, 20, 101)
    assert np.all(np.diff(calibration.apply(grid, (slope, intercept))) > 0)


def test_reliability_table_and_chart():
    labels = [0, 0, 0, 1, 1, 1, 1, 0]
    scores = [0.05, 0.1, 0.12, 0.95, 0.9, 0.85, 0.55, 0.5]
    table = calibration.reliability(labels, scores, bins=10)
    assert sum(item.n for item in table) == 8
    top = table[-1]
    assert top.n == 2 and top.spam_share == 1.0 and top.mean_score == pytest.approx(0.925)
    assert 0 <= calibration.expected_calibration_error(table) < 0.3
    svg = calibration.reliability_svg(table, title="Fiabilité <test>")
    assert svg.startswith("<svg") and "Fiabilité &lt;test&gt;" in svg and svg.count("<circle") == 5


def test_the_model_is_calibrated_out_of_fold_and_keeps_it_on_disk(seed_examples):
    samples = [e.sample for e in seed_examples]
    labels = [e.label for e in seed_examples]
    small = {"n_char_features": 2**16, "n_word_features": 2**14}
    model = SpamClassifier(**small).fit(samples, labels)
    assert model.calibration_ != calibration.IDENTITY
    assert model.oof_proba_.shape == (len(labels),)
    # Out-of-fold scores are honest: worse than the model's scores of its own examples.
    own = model.predict_proba(samples)[:, 1]
    assert np.mean(np.abs(model.oof_proba_ - labels)) > np.mean(np.abs(own - labels))
    loaded, _ = persistence.load(persistence.to_bytes(model))
    assert loaded.calibration_ == pytest.approx(model.calibration_)
    texts = [Sample("Casino bonus https://bonus.xyz"), Sample("Merci pour cet article")]
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    with np.load(io.BytesIO(persistence.to_bytes(model)), allow_pickle=False) as arrays:
        assert arrays["calibration"].dtype.kind == "f"
    uncalibrated = SpamClassifier(cv=0, **small).fit(samples, labels)
    assert uncalibrated.calibration_ == calibration.IDENTITY


def test_bands_on_a_known_small_set():
    # 100 spam and 100 ham; two ham score high, one spam scores low.
    spam = [0.99] * 60 + [0.95] * 30 + [0.7] * 9 + [0.02]
    ham = [0.97, 0.8] + [0.3] * 8 + [0.05] * 40 + [0.01] * 50
    chosen = bands.choose([1] * 100 + [0] * 100, spam + ham)
    # ≥ 0.99 precision: the spam at 0.95 cannot be had without the ham at 0.97
    # (90 in 91), so the band starts just above that ham.
    assert chosen.spam == 0.971 and chosen.ham_in_spam_band == 0 and chosen.spam_recall == 0.6
    # At most 1 % of spam (one) at or below: just under the second-lowest spam score.
    assert chosen.likely_good == 0.3 and chosen.spam_below_good == 0.01
    assert chosen.ham_below_good == 0.98
    assert bands.from_metadata({"bands": chosen.as_dict()}) == (0.971, 0.3)
    assert bands.from_metadata({}) is None


def test_no_band_reaches_a_precision_it_cannot_have():
    chosen = bands.choose([1, 0, 1, 0], [0.9, 0.95, 0.2, 0.1])
    assert chosen.spam == bands.NEVER
