import gzip
import json
import re

from flask_babel import force_locale, gettext

from bench.widget_size import BUDGET as WIDGET_BUDGET
from moderation import i18n
from moderation.web.widget import SOURCE, STRINGS, bundle

# JS and CSS together, gzipped; the same budget as bench/widget_size.py. It was
# 6 KiB until the widget learnt data-url, reply e-mails, closed threads,
# reports, the author's edits, relative dates and « Remember me » (the bundle
# is also compacted since: see widget.compact).
BUDGET = WIDGET_BUDGET


def test_the_widget_fits_its_size_budget():
    built = bundle()
    assert len(gzip.compress(built.body, 9)) <= BUDGET
    assert len(built.gzipped) <= BUDGET


def test_the_css_is_inlined_and_no_html_sink_is_used():
    built = bundle().body.decode()
    assert "__CSS__" not in built and ":host{" in built
    assert "__STRINGS__" not in built
    source = (SOURCE / "widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink


def test_the_loader_redirects_to_a_long_cached_hashed_script(client):
    loader = client.get("/embed.js")
    assert loader.status_code == 302
    assert loader.headers["Cache-Control"] == "public, max-age=300"
    target = loader.headers["Location"]
    assert re.fullmatch(r"/widget/[0-9a-f]{16}\.js", target)
    script = client.get(target, headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["Content-Encoding"] == "gzip"
    assert "immutable" in script.headers["Cache-Control"]
    assert script.mimetype == "application/javascript"
    assert gzip.decompress(script.data) == bundle().body
    assert client.get(target).data == bundle().body
    assert client.get("/widget/0000000000000000.js").status_code == 404


def test_the_origin_probe(client, services):
    services.sites.add("news", ["https://news.example.org"])
    ok = client.get("/api/v1/origin", headers={"Origin": "https://news.example.org"})
    assert ok.get_json() == {"allowed": True}
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    refused = client.get("/api/v1/origin", headers={"Origin": "https://evil.example"})
    assert refused.get_json() == {"allowed": False}


def test_the_embed_page_documents_the_snippet(client):
    html = client.get("/embed").get_data(as_text=True)
    assert "data-thread" in html and "--comments-font" in html
    assert 'src="/embed.js"' in html  # the live example


def strings_in(body: bytes) -> dict[str, dict[str, str]]:
    """The ``T`` table injected into the bundle."""
    match = re.search(r"var T = (\{.*?\}\});\n", body.decode())
    assert match, "no string table in the bundle"
    return json.loads(match.group(1))


def test_the_bundle_carries_both_languages_from_the_catalogs(app):
    with app.app_context():
        table = strings_in(bundle().body)
        assert set(table) == set(i18n.LANGUAGES) == {"fr", "en"}
        for lang in i18n.LANGUAGES:
            assert set(table[lang]) == set(STRINGS)
            with force_locale(lang):
                for key, text in STRINGS.items():
                    # the msgid behind each lazy string, through the app's catalog
                    assert table[lang][key] == gettext(text._args[0]), (lang, key)
    assert table["fr"]["title"] == "Commentaires" and table["en"]["title"] == "Comments"
    assert table["fr"]["send"] == "Publier le commentaire"
    assert table["en"]["to"] == "Replying to %(author)s"  # widget.js fills the placeholder


def test_the_bundle_is_built_per_app_and_the_same_outside_one(make_app):
    first, second = make_app(), make_app()
    with first.app_context():
        built = bundle()
        assert bundle() is built  # cached on the app
    with second.app_context():
        assert bundle() is not built and bundle().body == built.body
    assert bundle().body == built.body  # outside any app: the package's catalogs
    assert strings_in(bundle().body)["fr"]["none"] == "Aucun commentaire pour l’instant."


def test_the_embed_page_follows_the_asked_language(client):
    english = client.get("/embed", headers={"Accept-Language": "en-GB,en;q=0.9"})
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Embed the comments on your site" in html
    assert "<code>fr</code> (French) or <code>en</code> (English)" in html
    assert 'data-lang="en"' in html and "See the comments" in html
    assert "Intégrer" not in html and "Voir les commentaires" not in html

    french = client.get("/embed", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="fr">' in french
    assert "Intégrer les commentaires sur votre site" in french
    assert "<code>fr</code> (français) ou <code>en</code> (anglais)" in french
    assert 'data-lang="fr"' in french and "Voir les commentaires" in french

    by_query = client.get("/embed?lang=en", headers={"Accept-Language": "fr"})
    assert "Embed the comments on your site" in by_query.get_data(as_text=True)
    default = client.get("/embed").get_data(as_text=True)  # no preference: DEFAULT_LANG
    assert "Intégrer les commentaires sur votre site" in default
