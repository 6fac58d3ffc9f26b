"""A newcomer's first minutes: ``moderation serve`` with its embedded Redis,
the sign-in page saying how to make the first account, ``moderation moderator
add`` with no ``REDIS_URL`` finding that Redis, then signing in in Chromium."""

import json

import pytest

from tests.moderation.test_first_owner import PASSWORD, add_owner
from tests.moderation.test_serve import Serve, accepts_connections

pytestmark = [pytest.mark.slow, pytest.mark.browser]

def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_first_owner_made_beside_serve_signs_in(browser, tmp_path):
    instance = tmp_path / "instance"
    serve = Serve(instance, tmp_path, "serve")
    try:
        serve.wait_ready()
        record = json.loads((instance / "redis.json").read_text())
        assert record["pid"] == serve.process.pid
        assert record["port"] == serve.redis_port()

        for locale, hint in (("fr-FR", "Aucun compte n’existe encore"),
                             ("en-GB", "No account exists yet")):  # fmt: skip
            for width in (390, 1280):
                context = browser.new_context(base_url=serve.base, locale=locale,
                                              viewport={"width": width, "height": 800})
                page = context.new_page()
                page.goto("/moderation/login")
                text = page.locator("form.login").inner_text()
                assert hint in text
                assert "make moderator EMAIL=you@example.org" in text
                assert no_sideways_scroll(page), (locale, width)
                page.screenshot(path=str(tmp_path / f"login-{locale}-{width}.png"),
                                full_page=True)  # fmt: skip
                context.close()

        added = add_owner(instance, tmp_path)
        assert added.returncode == 0, added.stderr
        assert "owner me@example.org added" in added.stdout
        assert "started for this command" not in added.stderr  # serve's Redis was used

        context = browser.new_context(base_url=serve.base, locale="fr-FR")
        page = context.new_page()
        page.goto("/moderation/login")
        assert "Aucun compte" not in page.locator("form.login").inner_text()
        page.get_by_label("Adresse e-mail").fill("me@example.org")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/moderation/")
        assert page.get_by_role("heading", level=1).inner_text() == "File de modération"
        context.close()

        redis_port = serve.redis_port()
        assert serve.terminate() == 0, serve.output
        assert not (instance / "redis.json").exists(), "the record outlived serve"
        assert not accepts_connections(redis_port)
    finally:
        serve.cleanup()
