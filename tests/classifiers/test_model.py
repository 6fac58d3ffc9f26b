import numpy as np
import pytest

from classifiers.features import META
from classifiers.model import SpamClassifier
from classifiers.sample import Sample

SPAM = Sample("Gagnez 500€ par jour depuis chez vous !!! https://gains-faciles.xyz",
              author="CashFast2024", email="promo@gains-faciles.xyz",
              url="https://gains-faciles.xyz")  # fmt: skip
HAM = Sample("Merci pour cet article clair sur la visite de la ministre à Moscou.",
             author="Claire", email="claire@example.org")  # fmt: skip


def test_fit_returns_self_and_learns_underscore_attributes(seed_examples):
    model = SpamClassifier(n_char_features=2**16, n_word_features=2**14)
    assert not hasattr(model, "classes_")
    returned = model.fit([e.sample for e in seed_examples], [e.label for e in seed_examples])
    assert returned is model
    assert list(model.classes_) == [0, 1]
    assert model.n_features_ == 2**16 + 2**14 + len(META)


def test_init_only_stores_parameters():
    model = SpamClassifier(C=3.0, random_state=7)
    assert model.get_params()["C"] == 3.0 and model.get_params()["random_state"] == 7
    assert SpamClassifier(**model.get_params()).get_params() == model.get_params()


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_predict_proba_shape_and_sense(fitted):
    probability = fitted.predict_proba([SPAM, HAM, "plain text works too"])
    assert probability.shape == (3, 2)
    np.testing.assert_allclose(probability.sum(axis=1), 1.0)
    assert probability[0, 1] > 0.8
    assert probability[1, 1] < 0.2
    assert list(fitted.predict([SPAM, HAM])) == [1, 0]


def test_fitting_is_deterministic(seed_examples):
    samples = [e.sample for e in seed_examples]
    labels = [e.label for e in seed_examples]
    small = {"n_char_features": 2**16, "n_word_features": 2**14, "random_state": 3}
    one = SpamClassifier(**small).fit(samples, labels).predict_proba(samples)
    two = SpamClassifier(**small).fit(samples, labels).predict_proba(samples)
    np.testing.assert_array_equal(one, two)


@pytest.mark.slow
def test_partial_fit_moves_the_score_towards_new_labels(seed_examples):
    model = SpamClassifier().fit(
        [e.sample for e in seed_examples], [e.label for e in seed_examples]
    )
    odd = Sample("Abonnez-vous à la lettre du club de bridge de Quimper")
    before = model.predict_proba([odd])[0, 1]
    for _ in range(20):
        model.partial_fit([odd], [1])
    assert model.predict_proba([odd])[0, 1] > before


def test_partial_fit_from_scratch(seed_examples):
    model = SpamClassifier(random_state=0)
    model.partial_fit([e.sample for e in seed_examples], [e.label for e in seed_examples])
    assert model.predict_proba([HAM]).shape == (1, 2)


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_explain_names_real_words_and_signals(fitted):
    contributions = fitted.explain(SPAM, top=8)
    assert 0 < len(contributions) <= 8
    names = [c.feature for c in contributions]
    text = "gagnez 000€ par jour depuis chez vous !!! urlx urlshop urld_gains_faciles_xyz"
    known_signals = {label for _name, label in META}
    for contribution in contributions:
        if contribution.kind == "signal":
            assert contribution.feature in known_signals
        else:
            # The words of the (digit-folded, normalised) text, or the e-mail domain.
            assert all(word in text or word.startswith("emaild_")
                       for word in contribution.feature.split())  # fmt: skip
    weights = [abs(c.weight) for c in contributions]
    assert weights == sorted(weights, reverse=True)
    assert sum(c.weight for c in contributions) > 0  # the spam's reasons push towards spam
    assert any(name in names for name in ("has a link", "link to a commercial domain", "gagnez"))


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_explanations_add_up_to_the_score(fitted):
    everything = fitted.explain(SPAM, top=10_000)
    margin = fitted.decision_function([SPAM])[0] - fitted.sgd_.intercept_[0]
    assert sum(c.weight for c in everything) == pytest.approx(margin, abs=0.01)
