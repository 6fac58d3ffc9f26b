"""Authors: counts by e-mail and apart by IP hash across sites, and the marks
(trust, block, AUTO_APPROVE_KNOWN_AUTHORS) that change the worker's route."""

import pytest

from moderation.audit import AuditLog
from moderation.authors import Authors, email_subject, first_comments, history, ip_subject
from moderation.models import ModelCache, ModelRegistry
from moderation.policy import Policy
from moderation.store import CommentStore
from moderation.validation import CommentInput
from moderation.worker import Worker

GOOD = "Merci pour cet article nuancé, la chronologie des rencontres est très utile."


def post(store, email, body=GOOD, ip="ip-one", author="Léa"):
    return store.save("t", CommentInput(author=author, email=email, url="", body=body),
                      ip_hash=ip).id  # fmt: skip


def work(redis_client, clock, site="default", policy=None):
    registry = ModelRegistry(redis_client, clock=clock)
    registry.ensure_default()
    Worker(redis_client, models=ModelCache(registry), policy=policy or Policy(), name="w",
           site=site, clock=clock).run(burst=True)  # fmt: skip


def test_counts_by_email_and_apart_by_ip_across_sites(redis_client, clock):
    home, news = CommentStore(redis_client, clock=clock), CommentStore(redis_client, "news",
                                                                       clock=clock)  # fmt: skip
    ids = []
    posts = [(home, "lea@example.org", "ip-one"), (home, "LEA@example.org", "ip-two"),
             (news, "lea@example.org", "ip-one"), (home, "bob@example.org", "ip-one"),
             (news, "lea@example.org", "ip-one")]  # fmt: skip
    for store, email, ip in posts:
        clock.advance(60)
        ids.append((store, post(store, email, ip=ip)))
    work(redis_client, clock)
    work(redis_client, clock, site="news")
    for (store, comment_id), status in zip(ids, ["approved", "spam", "rejected", "approved",
                                                 "review"], strict=True):  # fmt: skip
        store.set_status(comment_id, status)
    found = history(redis_client, ["default", "news"], email_subject("lea@example.org"),
                    field_name="email", value="lea@example.org")  # fmt: skip
    assert dict(found.counts) == {"approved": 1, "spam": 1, "rejected": 1, "review": 1}
    assert found.first_seen == home.get(ids[0][1]).created_at
    assert [c.id for c in found.last] == [ids[4][1], ids[2][1], ids[1][1], ids[0][1]]
    only_home = history(redis_client, ["default"], email_subject("lea@example.org"),
                        field_name="email", value="lea@example.org")  # fmt: skip
    assert sum(only_home.counts.values()) == 2  # a site the moderator may not see is left out
    by_ip = history(redis_client, ["default", "news"], ip_subject("ip-one"),
                    field_name="ip_hash", value="ip-one")  # fmt: skip
    assert dict(by_ip.counts) == {"approved": 2, "rejected": 1, "review": 1}
    # An erased address no longer counts.
    home.forget_personal([ids[0][1]])
    again = history(redis_client, ["default", "news"], email_subject("lea@example.org"),
                    field_name="email", value="lea@example.org")  # fmt: skip
    assert sum(again.counts.values()) == 3
    assert first_comments(redis_client, "default", [home.get(ids[1][1])]) == set()
    fresh = home.get(post(home, "new@example.org"))
    assert first_comments(redis_client, "default", [fresh]) == {fresh.id}


def test_block_and_trust_change_the_next_comments_route(redis_client, clock):
    store = CommentStore(redis_client, clock=clock)
    authors = Authors(redis_client, clock=clock)
    first = post(store, "lea@example.org")
    work(redis_client, clock)
    assert store.get(first).status == "review" and store.get(first).rules_list == ["likely_good"]

    authors.mark(email_subject("lea@example.org"), "trusted", "mod@example.org", days=7)
    trusted = post(store, "lea@example.org")
    other = post(store, "bob@example.org")
    work(redis_client, clock)
    assert (store.get(trusted).status, store.get(trusted).rules_list) == (
        "approved", ["author_trusted"])
    assert store.get(other).status == "review"

    authors.mark(email_subject("lea@example.org"), "blocked", "mod@example.org")
    blocked = post(store, "lea@example.org")
    work(redis_client, clock)
    assert store.get(blocked).status == "spam"
    assert "author_blocked" in store.get(blocked).rules_list
    events = [e.fields["event"] for e in AuditLog(redis_client).entries() if "event" in e.fields]
    assert events[:2] == ["author_blocked", "author_trusted"]

    assert authors.clear(email_subject("lea@example.org"), "mod@example.org")
    clock.advance(8 * 86400)
    again = post(store, "lea@example.org")
    work(redis_client, clock)
    assert store.get(again).status == "review"


def test_a_trust_mark_ends_at_its_expiry(redis_client, clock):
    authors = Authors(redis_client, clock=clock)
    subject = email_subject("lea@example.org")
    authors.mark(subject, "trusted", "mod@example.org", days=7)
    assert authors.mark_of(subject).kind == "trusted"
    clock.advance(7 * 86400 + 1)
    assert authors.mark_of(subject) is None
    with pytest.raises(ValueError, match="not a mark"):
        authors.mark(subject, "banned", "mod@example.org")


def test_known_authors_are_trusted_after_n_published_and_none_refused(redis_client, clock):
    store = CommentStore(redis_client, clock=clock)
    policy = Policy(known_authors=2)
    for _ in range(2):
        clock.advance(60)
        post(store, "lea@example.org")
    work(redis_client, clock, policy=policy)
    for comment_id in store.in_status("review")[0]:
        store.decide(comment_id.id, "approved", "mod@example.org")
    earned = post(store, "lea@example.org")
    work(redis_client, clock, policy=policy)
    assert store.get(earned).status == "approved"
    spam = post(store, "lea@example.org", body="Achetez maintenant sur https://promo.example.com")
    work(redis_client, clock, policy=policy)
    store.set_status(spam, "spam")
    after_spam = post(store, "lea@example.org")
    work(redis_client, clock, policy=policy)
    assert store.get(after_spam).status == "review"  # one spam in 90 days: no trust earned
