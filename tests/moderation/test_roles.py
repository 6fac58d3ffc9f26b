"""Roles per site: a moderator of one site sees and decides nothing of another,
through pages or the API; owners manage the team (issue: moderators an
operator can trust)."""

import re
from html import unescape

import pytest
from click.testing import CliRunner

from moderation.audit import AuditLog
from moderation.cli import main
from moderation.validation import CommentInput
from tests.moderation.test_admin import PASSWORD, csrf, sign_in

SECRET_BODY = "Commentaire confidentiel du site B, sur une affaire en cours"
B_EMAIL = "lecteur.b@example.org"


@pytest.fixture
def two_sites(services, clock):
    """Sites a and b, a comment to review on each; an owner, and a moderator of a only."""
    services.sites.add("site-a", ["https://a.example.org"])
    services.sites.add("site-b", ["https://b.example.org"])
    ids = {}
    for site, body, email in (("site-a", "Un avis sur le site A", "lecteur.a@example.org"),
                              ("site-b", SECRET_BODY, B_EMAIL)):  # fmt: skip
        clock.advance(0.01)
        store = services.store_for(site)
        ids[site] = store.save("story", CommentInput(author="L", email=email, url="",
                                                     body=body)).id  # fmt: skip
        store.set_status(ids[site], "review")
    services.accounts.add("owner@example.org", PASSWORD)
    services.accounts.add("mod@example.org", PASSWORD, role="moderator", sites=["site-a"])
    return ids


def leaks(html: str) -> bool:
    return "site-b" in html or SECRET_BODY in unescape(html) or B_EMAIL in html


@pytest.fixture
def moderator_a(app, two_sites):
    client = app.test_client()
    assert sign_in(client).status_code == 303
    return client


def test_a_moderator_lands_on_their_site_and_the_picker_shows_only_theirs(moderator_a, two_sites):
    html = moderator_a.get("/moderation/").get_data(as_text=True)
    assert f'id="item-{two_sites["site-a"]}"' in html
    assert not leaks(html)
    for page in ("/moderation/audit", "/moderation/dashboard"):
        assert not leaks(moderator_a.get(page).get_data(as_text=True))


@pytest.mark.parametrize("path", [
    "/moderation/?site=site-b", "/moderation/?site=site-b&status=spam",
    "/moderation/audit?site=site-b", "/moderation/dashboard?site=site-b",
    "/moderation/?site=default", "/moderation/team",
])  # fmt: skip
def test_pages_of_other_sites_do_not_exist_for_a_moderator(moderator_a, path):
    response = moderator_a.get(path)
    assert response.status_code == 404
    assert not leaks(response.get_data(as_text=True))


def test_a_moderator_cannot_decide_another_sites_comment(moderator_a, two_sites, services):
    token = csrf(moderator_a.get("/moderation/").get_data(as_text=True))
    target = two_sites["site-b"]
    for site in ("site-b", "site-a"):  # asking for b, or pretending it is a's comment
        response = moderator_a.post("/moderation/decide", data={
            "csrf_token": token, "status": "review", "site": site,
            "action": f"{target}:approve", f"expected-{target}": "review"})  # fmt: skip
        assert response.status_code in {303, 404}
    assert services.store_for("site-b").status(target) == "review"


def test_an_owner_sees_every_site_with_its_waiting_count(app, two_sites):
    client = app.test_client()
    assert sign_in(client, email="owner@example.org").status_code == 303
    html = unescape(client.get("/moderation/?site=site-b").get_data(as_text=True))
    assert SECRET_BODY in html and "site-a (1)" in html and "site-b (1)" in html


def api(client, token, path, method="get", **kwargs):
    return getattr(client, method)(path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_the_api_answers_403_outside_the_accounts_sites(client, services, two_sites):
    token = services.accounts.create_token("mod@example.org")
    own = api(client, token, "/api/v1/moderation/queue?site=site-a")
    assert own.status_code == 200 and own.get_json()["count"] == 1
    for path in ("/api/v1/moderation/queue?site=site-b", "/api/v1/moderation/queue",
                 "/api/v1/moderation/queue?site=no-such-site"):  # fmt: skip
        response = api(client, token, path)
        assert response.status_code == 403 and response.get_json()["error"]["code"] == (
            "forbidden_site")  # fmt: skip
        assert not leaks(response.get_data(as_text=True).replace("site-b", "", 1))
    decision = api(client, token, f"/api/v1/moderation/comments/{two_sites['site-b']}/decision"
                   "?site=site-b", "post", json={"decision": "approve"})  # fmt: skip
    assert decision.status_code == 403
    assert services.store_for("site-b").status(two_sites["site-b"]) == "review"


def test_a_token_can_be_narrower_than_its_account(client, services, two_sites):
    token = services.accounts.create_token("owner@example.org", sites=["site-b"])
    assert api(client, token, "/api/v1/moderation/queue?site=site-b").status_code == 200
    assert api(client, token, "/api/v1/moderation/queue?site=site-a").status_code == 403
    with pytest.raises(ValueError, match="may not see"):
        services.accounts.create_token("mod@example.org", sites=["site-b"])


def test_a_revoked_grant_takes_effect_on_the_next_request(app, client, services, two_sites):
    services.accounts.grant("mod@example.org", "site-b")
    page = app.test_client()
    assert sign_in(page).status_code == 303
    token = services.accounts.create_token("mod@example.org")
    assert page.get("/moderation/?site=site-b").status_code == 200
    assert api(client, token, "/api/v1/moderation/queue?site=site-b").status_code == 200
    services.accounts.revoke_site("mod@example.org", "site-b")
    assert api(client, token, "/api/v1/moderation/queue?site=site-b").status_code == 403
    assert page.get("/moderation/?site=site-b").status_code == 302  # the sessions ended


def join_link(flashed: str) -> str:
    return re.search(r"/moderation/join/[\w-]+", flashed)[0]


def test_an_owner_invites_a_moderator_who_chooses_a_password(app, services, two_sites):
    owner = app.test_client()
    assert sign_in(owner, email="owner@example.org").status_code == 303
    page = owner.get("/moderation/team").get_data(as_text=True)
    assert "mod@example.org" in page and "owner@example.org" in page
    owner.post("/moderation/team/invite", data={"csrf_token": csrf(page), "role": "moderator",
               "email": "new@example.org", "sites": ["site-b"]})  # fmt: skip
    page = unescape(owner.get("/moderation/team").get_data(as_text=True))
    link = join_link(page)
    newcomer = app.test_client()
    form = newcomer.get(link).get_data(as_text=True)
    assert "site-b" in form
    short = newcomer.post(link, data={"csrf_token": csrf(form), "password": "short",
                                      "again": "short"})  # fmt: skip
    assert short.status_code == 400
    joined = newcomer.post(link, data={"csrf_token": csrf(form), "password": PASSWORD,
                                       "again": PASSWORD})  # fmt: skip
    assert joined.status_code == 303
    assert SECRET_BODY in unescape(newcomer.get("/moderation/?site=site-b").get_data(as_text=True))
    assert newcomer.get("/moderation/?site=site-a").status_code == 404
    assert app.test_client().get(link).status_code == 404  # the link worked once
    events = [entry.fields["event"] for entry in AuditLog.team(services.redis).entries()]
    assert events[:2] == ["joined", "invited"]


def test_owners_change_grants_end_sessions_and_remove_accounts(app, services, two_sites):
    owner = app.test_client()
    sign_in(owner, email="owner@example.org")
    moderator = app.test_client()
    sign_in(moderator)
    token = csrf(owner.get("/moderation/team").get_data(as_text=True))
    owner.post("/moderation/team/grants", data={"csrf_token": token, "email": "mod@example.org",
               "role": "moderator", "sites": ["site-b"]})  # fmt: skip
    assert services.accounts.get("mod@example.org").sites == {"site-b"}
    assert moderator.get("/moderation/").status_code == 302  # site a taken away: signed out
    sign_in(moderator)
    owner.post("/moderation/team/sessions", data={"csrf_token": token,
                                                  "email": "mod@example.org"})  # fmt: skip
    assert moderator.get("/moderation/").status_code == 302
    owner.post("/moderation/team/remove", data={"csrf_token": token, "email": "mod@example.org"})
    assert services.accounts.get("mod@example.org") is None
    events = [entry.fields["event"] for entry in AuditLog.team(services.redis).entries()]
    assert events[:3] == ["removed", "sessions_ended", "grants"]


def test_owners_manage_sites_and_webhooks_from_the_web(app, services, two_sites):
    owner = app.test_client()
    sign_in(owner, email="owner@example.org")
    token = csrf(owner.get("/moderation/team").get_data(as_text=True))
    owner.post("/moderation/team/sites", data={"csrf_token": token, "name": "site-c",
                                               "origins": "https://c.example.org"})  # fmt: skip
    assert services.sites.get("site-c").origins == ("https://c.example.org",)
    owner.post("/moderation/team/webhooks", data={"csrf_token": token,
               "url": "https://hooks.example.org/in", "events": ["comment.decided"]})  # fmt: skip
    page = owner.get("/moderation/team").get_data(as_text=True)
    assert "https://hooks.example.org/in" in page and "site-c" in page


def test_the_cli_manages_roles(redis_server, services, two_sites, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    runner = CliRunner()
    neither = runner.invoke(main, ["moderator", "add", "x@example.org", "--password-stdin"],
                            input=PASSWORD + "\n")  # fmt: skip
    assert neither.exit_code == 2 and "--owner" in neither.output
    added = runner.invoke(main, ["moderator", "add", "x@example.org", "--password-stdin",
                                 "--site", "site-a"], input=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    unknown = runner.invoke(main, ["moderator", "grant", "x@example.org", "--site", "nope"])
    assert unknown.exit_code == 2
    assert runner.invoke(main, ["moderator", "grant", "x@example.org", "--site", "site-b"]
                         ).exit_code == 0  # fmt: skip
    revoked = runner.invoke(main, ["moderator", "revoke", "x@example.org", "--site", "site-a"])
    assert revoked.exit_code == 0 and "site-b" in revoked.output
    listing = runner.invoke(main, ["moderator", "list"]).output
    assert "x@example.org  moderator of site-b" in listing
    assert "owner@example.org  owner of every site" in listing
    token = runner.invoke(main, ["moderator", "token", "owner@example.org", "--site", "site-a"])
    assert token.exit_code == 0
    tokens = runner.invoke(main, ["moderator", "tokens", "owner@example.org"]).output
    assert tokens.strip().endswith("site-a")
    link = runner.invoke(main, ["moderator", "invite", "y@example.org", "--site", "site-a"])
    assert link.exit_code == 0 and "/moderation/join/" in link.output

