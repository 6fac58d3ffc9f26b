from classifiers import persistence
from classifiers.model import SpamClassifier
from classifiers.sample import Sample
from moderation.explanations import Explainer
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

SPAM = CommentInput(author="casino777", email="win@bonus-casino.top", url="",
                    body="Casino en ligne : 200 tours gratuits, bonus casino !!!")  # fmt: skip


def test_a_scored_comment_is_explained_by_the_version_that_scored_it(redis_client, clock):
    registry = ModelRegistry(redis_client, clock=clock)
    first = registry.ensure_default()
    store = CommentStore(redis_client, clock=clock)
    comment_id = store.save("t", SPAM).id
    Worker(redis_client, models=ModelCache(registry), policy=Policy(), name="w").run(burst=True)

    # A newer model becomes active; the comment keeps its own version's reasons.
    tiny = SpamClassifier(n_char_features=2**12, n_word_features=2**10).fit(
        ["buy pills", "nice article", "win money", "I disagree"], [1, 0, 1, 0]
    )
    registry.publish(persistence.to_bytes(tiny), {"source": "test"})
    comment = store.get(comment_id)
    assert comment.model_version == first

    explainer = Explainer(registry, top=5)
    reasons = explainer.explain([comment])[comment_id]
    assert 0 < len(reasons) <= 5
    assert reasons == Explainer(registry, top=5).explain([comment])[comment_id]  # stable
    weights = [weight for _feature, _kind, weight in reasons]
    assert weights == sorted(weights, key=abs, reverse=True)
    assert any("casino" in feature and weight > 0 for feature, _kind, weight in reasons)
    sample = Sample(body=comment.body, author=comment.author, email=comment.email, url="")
    expected = registry.load(first)[0].explain(sample, top=5)
    assert reasons == [(item.feature, item.kind, item.weight) for item in expected]


def test_unscored_comments_and_deleted_versions_have_no_explanation(redis_client, clock):
    registry = ModelRegistry(redis_client, clock=clock)
    store = CommentStore(redis_client, clock=clock)
    pending = store.get(store.save("t", SPAM).id)
    assert Explainer(registry).explain([pending]) == {}
    gone = CommentStore(redis_client, clock=clock)
    comment_id = gone.save("t", SPAM).id
    redis_client.hset(gone.keys.comment(comment_id),
                      mapping={"score": "0.9", "model_version": "v404"})  # fmt: skip
    assert Explainer(registry).explain([gone.get(comment_id)]) == {}
