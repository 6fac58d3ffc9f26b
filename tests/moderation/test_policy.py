import pytest

from moderation.policy import Policy, load_blocklist


def test_three_bands():
    policy = Policy(spam_threshold=0.9, approve_threshold=0.1)
    assert policy.decide(0.95, "x").status == "spam"
    assert policy.decide(0.5, "x").status == "review"
    assert policy.decide(0.05, "x").status == "review"
    assert policy.decide(0.05, "x").rules == ["likely_good"]
    assert Policy(auto_approve=True).decide(0.05, "x").status == "approved"


def test_unscored_comments_go_to_review():
    decision = Policy(auto_approve=True).decide(None, "x")
    assert decision.status == "review" and decision.rules == ["unscored"]


def test_many_links_always_ask_a_person():
    body = "voir https://a.org https://b.org https://c.org"
    decision = Policy(auto_approve=True, max_links=2).decide(0.01, body)
    assert decision.status == "review" and decision.rules == ["too_many_links"]
    assert Policy(max_links=3).rules(body) == []


def test_blocklist(tmp_path):
    path = tmp_path / "blocklist.txt"
    path.write_text("# words an operator never wants published\nCrédit rapide\nidiot\n\n")
    policy = Policy(auto_approve=True, blocklist=load_blocklist(path))
    assert policy.decide(0.01, "Un CRÉDIT RAPIDE sans frais").rules == ["blocklist"]
    assert policy.decide(0.01, "Quel idiot !").status == "review"
    assert policy.decide(0.01, "idiotie n’est pas un mot bloqué").status == "approved"
    assert load_blocklist(None) == frozenset()


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="threshold"):
        Policy(spam_threshold=0.2, approve_threshold=0.5)
