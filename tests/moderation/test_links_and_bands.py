"""Links never hide a reader who cites sources; the model's own bands; what
moderators decided about a domain counts for the next link to it."""

import json

import pytest

from classifiers import persistence
from classifiers.model import SpamClassifier
from moderation.domain_history import DomainHistory
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

CITING = CommentInput(
    author="Hélène M.", email="helene.m@free.fr", url="",
    body="Le chiffre de 3 % est faux : l'Insee donne 2,1 % sur un an "
         "(https://www.insee.fr/fr/statistiques/7654321) et Le Monde l'a corrigé depuis, "
         "https://www.lemonde.fr/economie/article/2024/11/05/inflation-les-chiffres_6378.html",
)  # fmt: skip
SHORTENED = CommentInput(author="Promo", email="promo@gains-rapides.xyz", url="",
                         body="https://bit.ly/3xYzQw7")  # fmt: skip


@pytest.fixture
def store(redis_client, clock):
    return CommentStore(redis_client, clock=clock)


def worker_for(client, registry, policy=None, **options):
    return Worker(client, models=ModelCache(registry), policy=policy or Policy(), name="w",
                  **options)  # fmt: skip


def test_a_comment_citing_two_reputable_sources_is_never_filed_as_spam(
        redis_client, store):  # fmt: skip
    registry = ModelRegistry(redis_client)
    registry.ensure_default()  # the shipped model, through the real worker
    citing = store.save("t", CITING).id
    shortened = store.save("t", SHORTENED).id
    worker_for(redis_client, registry, history=DomainHistory(redis_client)).run(burst=True)
    assert store.get(citing).status in {"review", "approved"}
    assert float(store.get(citing).score) < 0.5
    assert store.get(shortened).status == "spam"  # a link-only shortener still counts


def links_are_spam_model() -> bytes:
    """A model that learnt "a link means spam": every spam it saw had one."""
    ham = [f"Merci pour cet article numéro {i}, très juste sur le fond." for i in range(20)]
    spam = [f"Gagnez vite, tout est sur https://site{i}.fr/offre" for i in range(20)]
    model = SpamClassifier(n_char_features=2**14, n_word_features=2**12, cv=0)
    model.fit(ham + spam, [0] * 20 + [1] * 20)
    return persistence.to_bytes(model, {"bands": {"spam": 0.7, "likely_good": 0.1}})


def test_links_of_no_spammer_kind_cannot_decide_the_spam_band(redis_client, store):
    registry = ModelRegistry(redis_client)
    registry.publish(links_are_spam_model(), {"bands": {"spam": 0.7, "likely_good": 0.1}})
    body = ("Merci pour cet article, très juste sur le fond. J'en parle sur "
            "https://lakewatch.blogspot.com/2024/x et https://www.mon-quartier.fr/agenda")
    citing = store.save("t", CommentInput(author="A", email="a@free.fr", url="", body=body)).id
    model = registry.load_active()[1]
    assert model.predict_proba([body])[0, 1] >= 0.7  # the links alone push it there
    shop = store.save("t", CommentInput(author="A", email="a@free.fr", url="",
                                        body=body + " https://promo-bonus.xyz")).id  # fmt: skip
    worker_for(redis_client, registry).run(burst=True)
    comment = store.get(citing)
    assert comment.status == "review" and json.loads(comment.rules) == ["links_not_decisive"]
    assert store.get(shop).status == "spam"  # a commercial domain may decide


def test_the_policy_uses_the_model_bands_unless_the_operator_sets_them():
    policy = Policy()
    assert policy.thresholds((0.97, 0.03)) == (0.97, 0.03)
    assert policy.decide(0.95, "x", (0.97, 0.03)).status == "review"
    assert policy.decide(0.95, "x", None).status == "spam"  # a model without bands: 0.9
    operator = Policy(spam_threshold=0.8)
    assert operator.thresholds((0.97, 0.03)) == (0.8, 0.03)
    assert operator.decide(0.85, "x", (0.97, 0.03)).status == "spam"
    assert Policy(approve_threshold=0.95).thresholds((0.9, 0.1)) == (0.9, 0.899)
    with pytest.raises(ValueError, match="threshold"):
        Policy(spam_threshold=0.2, approve_threshold=0.5)
    with pytest.raises(ValueError, match="threshold"):
        Policy(spam_threshold=1.5)
    decision = Policy().decide(0.99, "x", (0.9, 0.1), text_score=0.2)
    assert decision.status == "review" and decision.rules == ["links_not_decisive"]
    assert Policy().decide(0.99, "x", (0.9, 0.1), text_score=0.95).status == "spam"


def decide(store, body, status, email="r@free.fr"):
    comment_id = store.save("t", CommentInput(author="R", email=email, url="", body=body)).id
    store.decide(comment_id, status, "mod@example.org")
    return comment_id


def test_moderators_decisions_on_a_domain_are_folded_once_and_decay(redis_client, store, clock):
    history = DomainHistory(redis_client, half_life_days=30, clock=clock)
    for i in range(4):
        decide(store, f"Offre {i} sur https://www.super-promo.com/p{i}", "spam")
    decide(store, "Mon club : https://club-de-bridge.fr/agenda", "approved")
    decide(store, "Pas de lien ici", "spam")
    assert history.fold() == 6
    assert history.fold() == 0  # the cursor moved: nothing is counted twice
    assert history.counts(["super-promo.com"])["super-promo.com"] == pytest.approx((4.0, 0.0),
                                                                                abs=0.01)
    evidence = history.evidence(["Encore https://super-promo.com/x", "Voir club-de-bridge.fr",
                                 "Rien", "Inconnu https://nouveau.fr"])  # fmt: skip
    assert evidence[0] == pytest.approx(1.609, abs=0.01)
    assert evidence[1] < 0 and evidence[2] == 0 and evidence[3] == 0
    clock.advance(30 * 86400)  # one half-life
    spam, ham = history.counts(["super-promo.com"])["super-promo.com"]
    assert spam == pytest.approx(2.0, abs=0.01) and ham == 0


def test_a_changed_decision_replaces_the_earlier_one(redis_client, store, clock):
    history = DomainHistory(redis_client, clock=clock)
    comment_id = decide(store, "Voir https://asso-quartier.fr/petition", "spam")
    store.decide(comment_id, "review", "mod@example.org")  # undo
    store.decide(comment_id, "approved", "mod@example.org")
    history.fold()
    spam, ham = history.counts(["asso-quartier.fr"])["asso-quartier.fr"]
    assert spam == pytest.approx(0, abs=0.01) and ham == pytest.approx(1, abs=0.01)
    # Folded in two steps, the same decisions give the same counts.
    other = DomainHistory(redis_client, "other", clock=clock)
    site_store = CommentStore(redis_client, "other", clock=clock)
    comment_id = decide(site_store, "Voir https://asso-quartier.fr/petition", "spam")
    other.fold()
    site_store.decide(comment_id, "approved", "mod@example.org")
    other.fold()
    assert other.counts(["asso-quartier.fr"])["asso-quartier.fr"] == pytest.approx((0, 1),
                                                                                   abs=0.01)


def test_the_worker_reads_the_site_history_into_the_score(redis_client, store, clock):
    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    history = DomainHistory(redis_client, clock=clock)
    body = "Pour ceux que ça intéresse, tout est expliqué ici : https://www.vente-directe-bio.fr/"
    first = store.save("t", CommentInput(author="A", email="a@free.fr", url="", body=body)).id
    worker_for(redis_client, registry, history=history).run(burst=True)
    before = float(store.get(first).score)
    for i in range(5):
        decide(store, f"Promo {i} https://www.vente-directe-bio.fr/p{i}", "spam")
    again = store.save("t", CommentInput(author="A", email="a@free.fr", url="", body=body)).id
    worker_for(redis_client, registry, history=history).run(burst=True)
    assert float(store.get(again).score) > before
