import re
from html import unescape

import pytest

from moderation.audit import AuditLog
from moderation.validation import CommentInput

PASSWORD = "correct horse battery"
DATA = CommentInput(
    author="Léa",
    email="lea@example.org",
    url="",
    body="Un commentaire <script>alert(1)</script> à relire",
)
THREAD = "ministre-nord-coreen-moscou"


def csrf(html):
    """The CSRF token, whichever order the input's attributes come in."""
    return unescape(re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html)[1])


@pytest.fixture
def moderator(services):
    services.accounts.add("mod@example.org", PASSWORD)
    return "mod@example.org"


def sign_in(client, email="mod@example.org", password=PASSWORD, headers=None):
    page = client.get("/moderation/login", headers=headers).get_data(as_text=True)
    data = {"csrf_token": csrf(page), "email": email, "password": password}
    return client.post("/moderation/login", data=data, headers=headers)


@pytest.fixture
def signed_in(client, moderator):
    assert sign_in(client).status_code == 303
    return client


def review_items(services, clock, count=1, data=DATA):
    ids = []
    for _ in range(count):
        clock.advance(0.01)
        comment_id = services.comments.save(THREAD, data).id
        services.comments.set_status(comment_id, "review")
        ids.append(comment_id)
    return ids


@pytest.mark.parametrize("path", ["/moderation/", "/moderation/audit", "/moderation/?status=spam"])
def test_pages_need_a_signed_in_moderator(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/moderation/login" in response.headers["Location"]


def test_sign_in_and_out(client, moderator):
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/moderation/").get_data(as_text=True)
    assert "mod@example.org" in page
    out = client.post("/moderation/logout", data={"csrf_token": csrf(page)})
    assert out.status_code == 303
    assert client.get("/moderation/").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, moderator):
    wrong = sign_in(client, password="wrong password 1")
    unknown = sign_in(client, email="ghost@example.org", password="wrong password 1")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "Adresse ou mot de passe incorrect." in unescape(response.get_data(as_text=True))


def test_repeated_failures_are_slowed_then_locked(client, moderator, redis_client):
    statuses = [sign_in(client, password=f"wrong password {n}").status_code for n in range(4)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429  # the fourth comes too soon after three failures
    locked = sign_in(client)  # even the right password waits
    assert locked.status_code == 429
    assert "Trop de tentatives" in unescape(locked.get_data(as_text=True))
    for key in redis_client.scan_iter("acct:{accounts}:login:*:wait"):
        redis_client.delete(key)
    assert sign_in(client).status_code == 303


def test_sign_in_without_csrf_token_is_refused(client, moderator):
    response = client.post(
        "/moderation/login", data={"email": "mod@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_idle_sessions_expire(signed_in, clock):
    assert signed_in.get("/moderation/").status_code == 200
    clock.advance(31 * 60)
    assert signed_in.get("/moderation/").status_code == 302


def test_the_queue_shows_items_escaped_with_counts(signed_in, services, clock):
    (comment_id,) = review_items(services, clock)
    html = signed_in.get("/moderation/").get_data(as_text=True)
    assert f'id="item-{comment_id}"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "lea@example.org" in html
    assert re.search(r'aria-current="page">À relire <span class="count">1</span>', unescape(html))
    assert signed_in.get("/moderation/").headers["X-Frame-Options"] == "DENY"


def test_a_decision_publishes_and_undo_sends_it_back(signed_in, services, clock, client):
    (comment_id,) = review_items(services, clock)
    html = signed_in.get("/moderation/").get_data(as_text=True)
    response = signed_in.post(
        "/moderation/decide",
        data={
            "csrf_token": csrf(html),
            "status": "review",
            "action": f"{comment_id}:approve",
            f"expected-{comment_id}": "review",
        },
    )
    assert response.status_code == 303
    assert services.comments.status(comment_id) == "approved"
    assert comment_id in client.get(f"/articles/{THREAD}").get_data(as_text=True)
    html = signed_in.get("/moderation/").get_data(as_text=True)
    assert signed_in.post("/moderation/undo", data={"csrf_token": csrf(html)}).status_code == 303
    assert services.comments.status(comment_id) == "review"
    (undo, approve) = [e.fields for e in AuditLog(services.redis).entries(comment=comment_id)]
    assert (approve["to"], undo["to"], undo["via"]) == ("approved", "review", "undo")


def test_bulk_actions(signed_in, services, clock):
    ids = review_items(services, clock, 3)
    html = signed_in.get("/moderation/").get_data(as_text=True)
    data = {"csrf_token": csrf(html), "status": "review", "bulk": "spam", "ids": ids[:2]}
    data.update({f"expected-{i}": "review" for i in ids})
    assert signed_in.post("/moderation/decide", data=data).status_code == 303
    assert [services.comments.status(i) for i in ids] == ["spam", "spam", "review"]


def test_a_stale_decision_is_a_conflict_not_an_overwrite(signed_in, services, clock):
    (comment_id,) = review_items(services, clock)
    html = signed_in.get("/moderation/").get_data(as_text=True)
    services.comments.decide(comment_id, "spam", "other@example.org")  # someone else, first
    signed_in.post(
        "/moderation/decide",
        data={
            "csrf_token": csrf(html),
            "status": "review",
            "action": f"{comment_id}:approve",
            f"expected-{comment_id}": "review",
        },
    )
    assert services.comments.status(comment_id) == "spam"
    page = unescape(signed_in.get("/moderation/?status=spam").get_data(as_text=True))
    assert "Conflit" in page and "Rien n’a été écrasé" in page


def test_decisions_need_csrf(signed_in, services, clock):
    (comment_id,) = review_items(services, clock)
    response = signed_in.post(
        "/moderation/decide", data={"status": "review", "action": f"{comment_id}:approve"}
    )
    assert response.status_code == 400
    assert services.comments.status(comment_id) == "review"


def test_the_audit_page_filters(signed_in, services, clock):
    first, second = review_items(services, clock, 2)
    services.comments.decide(first, "spam", "mod@example.org")
    services.comments.decide(second, "approved", "other@example.org")
    page = signed_in.get("/moderation/audit?moderator=other@example.org").get_data(as_text=True)
    assert second in page and first not in page
    page = signed_in.get(f"/moderation/audit?comment={first}").get_data(as_text=True)
    assert first in page and "À relire → Spam" in unescape(page)


def test_most_uncertain_first_and_filter_by_article(signed_in, services, clock, redis_client):
    ids = review_items(services, clock, 3)
    for comment_id, score in zip(ids, ("0.95", "0.52", "0.20"), strict=True):
        redis_client.hset(services.comments.keys.comment(comment_id), "score", score)
        services.comments.set_status(comment_id, "review")  # re-index with its score
    page = signed_in.get("/moderation/?status=review&sort=uncertain").get_data(as_text=True)
    order = [page.index(f'id="item-{i}"') for i in (ids[1], ids[2], ids[0])]
    assert order == sorted(order)
    filtered = signed_in.get(f"/moderation/?thread={THREAD}").get_data(as_text=True)
    assert all(f'id="item-{i}"' in filtered for i in ids)
    assert signed_in.get("/moderation/?thread=no-such-article").status_code == 404
    approved = services.comments.in_status("review", thread="another-thread")
    assert approved == ([], None)


def test_the_dashboard_shows_known_figures(signed_in, services, clock, redis_client):
    ids = review_items(services, clock, 3)
    redis_client.hset(services.comments.keys.comment(ids[0]), "score", "0.97")
    services.comments.decide(ids[0], "spam", "mod@example.org")
    services.comments.decide(ids[1], "approved", "mod@example.org")
    response = signed_in.get("/moderation/dashboard")
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert '<td class="figure" data-status="review">1</td>' in html
    assert '<td class="figure" data-status="spam">1</td>' in html
    assert "2 décisions sur 30 jours" in html
    assert "<svg" in html and "<script" not in html.split("</main>")[0].split("<main")[1]


def test_moderating_a_registered_sites_comments(signed_in, services, clock, client):
    services.sites.add("news", ["https://news.example.org"])
    store = services.store_for("news")
    comment_id = store.save("story-1", DATA).id
    store.set_status(comment_id, "review")
    assert comment_id not in signed_in.get("/moderation/").get_data(as_text=True)
    html = signed_in.get("/moderation/?site=news").get_data(as_text=True)
    assert f'id="item-{comment_id}"' in html and "news / story-1" in html
    signed_in.post("/moderation/decide", data={
        "csrf_token": csrf(html), "status": "review", "site": "news",
        "action": f"{comment_id}:approve", f"expected-{comment_id}": "review",
    })  # fmt: skip
    assert store.status(comment_id) == "approved"
    audit = signed_in.get("/moderation/audit?site=news").get_data(as_text=True)
    assert comment_id in audit
    assert signed_in.get("/moderation/?site=nope").status_code == 404


def test_a_classified_comment_shows_why_it_got_its_score(signed_in, services, redis_client):
    from moderation.models import ModelCache, ModelRegistry
    from moderation.policy import Policy
    from moderation.worker import Worker

    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    spam = CommentInput(author="casino777", email="win@bonus-casino.top", url="",
                        body="Casino en ligne : tours gratuits, bonus casino !!!")  # fmt: skip
    comment_id = services.comments.save(THREAD, spam).id
    Worker(redis_client, models=ModelCache(registry), policy=Policy(), name="w").run(burst=True)
    status = services.comments.get(comment_id).status
    page = signed_in.get(f"/moderation/?status={status}").get_data(as_text=True)
    assert "Pourquoi ce score" in page
    reasons = re.findall(r'<span class="feature">([^<]*)</span>', page)
    assert any("casino" in reason for reason in reasons), reasons


def test_the_dashboard_lists_model_versions_with_their_bands_and_slices(
        signed_in, redis_client):  # fmt: skip
    from moderation.models import ModelRegistry, packaged_model_bytes

    registry = ModelRegistry(redis_client)
    registry.ensure_default()
    registry.publish(packaged_model_bytes(), {"refined": {"n": 3}, "bands": {
        "spam": 0.95, "likely_good": 0.05}, "refusals": ["slice language=fr: F1 0.95 → 0.90"]},
        activate=False)  # fmt: skip
    html = unescape(signed_in.get("/moderation/dashboard").get_data(as_text=True))
    section = html.split('id="models"')[1]
    assert section.index("v2") < section.index("v1")  # newest first
    assert "actif" not in section and "active" in section  # the badge, one per active version
    assert section.count('class="active"') == 1
    spam_at = registry.metadata("v1")["bands"]["spam"]
    assert f"{spam_at:.3f}".replace(".", ",").rstrip("0") in section
    assert "Français" in section and "liens vers des sources seulement" in section
    assert "Non activée : slice language=fr" in section
    # The agreement figures use the active model's band when the operator sets none.
    assert f"seuil de spam ({f'{spam_at:.3f}'.replace('.', ',').rstrip('0')})" in html


def test_reasons_and_chips_read_in_the_moderators_language(signed_in, services, redis_client):
    from classifiers.features import META
    from moderation.models import ModelCache, ModelRegistry
    from moderation.policy import Policy
    from moderation.worker import Worker

    ModelRegistry(redis_client).ensure_default()
    links = CommentInput(author="Paul", email="paul@example.org", url="", body=(
        "Voir https://a.example.com/1 puis https://b.example.net/2 et https://c.example.org/3"))
    good = CommentInput(author="Claire", email="claire@example.org", url="", body=(
        "Merci pour cet article nuancé, la chronologie des rencontres est très utile."))
    ids = [services.comments.save(THREAD, data).id for data in (links, good)]
    Worker(redis_client, models=ModelCache(ModelRegistry(redis_client)), policy=Policy(),
           name="w").run(burst=True)  # fmt: skip
    pages = {services.comments.get(i).status for i in ids}
    html = "".join(unescape(signed_in.get(f"/moderation/?status={s}").get_data(as_text=True))
                   for s in pages)  # fmt: skip
    assert '<span class="chip rule rule-too_many_links">3 liens</span>' in html
    assert "Pourquoi ce score" in html and "Par rapport à un commentaire moyen" in html
    assert "probablement bon" in html
    shown = re.findall(r'<span class="feature">([^<]*)</span>', html)
    assert shown and not {label for _name, label in META} & set(shown)
    assert "text length" not in html
