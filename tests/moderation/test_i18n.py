"""Two languages: every string shown to people is in both catalogs, templates
hold no text outside them, and each kind of page picks its language by its rule."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment

from moderation import i18n
from tests.moderation.reader import form_data, post

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "moderation" / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None,
            "lazy_gettext": None, "pgettext": ((1, "c"), 2)}  # fmt: skip
ENGLISH_ARTICLE = (
    "---\nslug: an-english-article\ntitle: An English article\n"
    "date: 2024-11-04T09:30:00+01:00\nlang: en\nbyline: A. Writer\n---\nSome text.\n"
)


def extracted() -> set[str]:
    """What `make catalogs` extracts, read the same way (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog(lang):
    with (i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


@pytest.fixture(scope="module")
def strings():
    return extracted()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalog(strings, lang):
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog(lang) if m.id}
    assert strings, "extraction found nothing: is babel.cfg right?"
    missing = sorted(strings - ids)
    assert not missing, f"not in the {lang} catalog (run `make catalogs`): {missing}"
    stale = sorted(ids - strings)
    assert not stale, f"in the {lang} catalog but no longer in the code: {stale}"


def test_every_french_entry_is_translated_and_keeps_its_placeholders():
    french = catalog("fr")
    untranslated = [m.id for m in french if m.id and (
        m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))]  # fmt: skip
    assert not untranslated, f"French translations missing or fuzzy: {untranslated}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in french.check()]
    assert not problems, problems


class TextFinder(HTMLParser):
    """Words a person reads, outside code samples: text and a few attributes."""

    READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code_depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"code", "pre", "script", "style"}:
            self.code_depth += 1
        named = dict(attrs)
        read = set(self.READ_ATTRIBUTES)
        if tag == "input" and named.get("type") in {"submit", "button"}:
            read.add("value")
        for name, value in attrs:
            if name in read and value:
                self.check(value)

    def handle_endtag(self, tag):
        if tag in {"code", "pre", "script", "style"}:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self.check(data)

    def check(self, text):
        if re.search(r"[^\W\d_]{2,}", text.replace(PLACEHOLDER, " ")):
            self.found.append(" ".join(text.replace(PLACEHOLDER, " ").split()))


PLACEHOLDER = "\x00"


GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
PROSE = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]|[^\x00-\x7f]")


def untranslated_text(source: str) -> list[str]:
    """Template text a person reads that is not in the catalogs: literal text
    outside {{ }}, {% %} and {# #} (each tag is replaced by a placeholder, so
    only words written as they are remain), and prose in string literals
    within tags unless they are the arguments of a gettext call."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    pieces, literals, in_trans = [], [], False
    previous, gettext_depth, depth = "", 0, 0
    for _line, kind, value in env.lex(source):
        if kind == "data" and not in_trans:
            pieces.append(value)
        elif kind == "name" and value == "trans":
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        elif kind in {"variable_begin", "block_begin"}:
            pieces.append(PLACEHOLDER)
        elif kind == "operator" and value == "(":
            depth += 1
            if previous in GETTEXT and not gettext_depth:
                gettext_depth = depth
        elif kind == "operator" and value == ")":
            if depth == gettext_depth:
                gettext_depth = 0
            depth -= 1
        elif kind == "string" and not gettext_depth and PROSE.search(value):
            literals.append(value[1:-1])
        previous = value if kind == "name" else ""
    finder = TextFinder()
    finder.feed("".join(pieces))
    finder.close()
    return finder.found + literals


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_templates_hold_no_text_outside_the_catalogs(template):
    found = untranslated_text((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not found, f"{template}: text not marked for translation: {found}"


def test_the_scanner_finds_bare_words_but_not_marked_ones():
    assert untranslated_text("<p>Bonjour</p>") == ["Bonjour"]
    assert untranslated_text('<a title="Suivant">→</a>') == ["Suivant"]
    assert untranslated_text('<p>{{ _("Hello") }} · {{ n }}</p>') == []
    assert untranslated_text("<p>{% trans %}Hi {{ x }}{% endtrans %}</p>") == []
    assert untranslated_text("<pre><code>moderation site add</code></pre>") == []
    assert untranslated_text("{{ field(f, 'Votre adresse') }}") == ["Votre adresse"]
    assert untranslated_text("{{ field(f, _('Your address')) }} {{ x|join(' ') }}") == []
    assert untranslated_text("{{ ngettext('one day', '%(num)d days', n) }}") == []


@pytest.fixture
def english_app(make_app, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "english.md").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return make_app(ARTICLES_DIR=str(folder))


def test_an_article_page_speaks_the_article_language_whatever_the_reader_asks(english_app):
    client = english_app.test_client()
    english = client.get("/articles/an-english-article", headers={"Accept-Language": "fr"})
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Leave a comment" in html and "Post the comment" in html
    assert "By A. Writer" in html and "4 November 2024 at 9:30" in html
    french = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Laisser un commentaire" in french


def test_form_errors_on_an_english_article_are_english(english_app):
    client = english_app.test_client()
    page = client.get("/articles/an-english-article").get_data(as_text=True)
    response = client.post("/articles/an-english-article", data=form_data(page, email="nope"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The e-mail address is not valid." in html
    assert "The comment was not sent" in html
    page = client.get("/articles/an-english-article").get_data(as_text=True)
    wrong = form_data(page)
    wrong["captcha"] = str(int(wrong["captcha"]) + 1)
    html = client.post("/articles/an-english-article", data=wrong).get_data(as_text=True)
    assert "The answer to the sum is wrong." in html


def test_a_site_thread_page_follows_the_reader(make_app, services):
    services.sites.add("journal", ["https://journal.example"])
    client = make_app().test_client()
    path = "/sites/journal/threads/une-histoire"
    english = client.get(path, headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert "Leave a comment" in english.get_data(as_text=True)
    assert "Accept-Language" in english.headers["Vary"]
    french = client.get(path, headers={"Accept-Language": "de, fr;q=0.8"}).get_data(as_text=True)
    assert "Laisser un commentaire" in french
    assert "Laisser un commentaire" in client.get(path).get_data(as_text=True)  # the default
    chosen = client.get(path + "?lang=en", headers={"Accept-Language": "fr"})
    html = chosen.get_data(as_text=True)
    assert '<html lang="en">' in html and f'action="{path}?lang=en#formulaire"' in html


def test_api_errors_speak_the_asked_language(client):
    payload = {"author": "", "email": "a@example.org", "body": "x", "captcha": {}}
    english = client.post("/api/v1/threads/ministre-nord-coreen-moscou/comments", json=payload,
                          headers={"Accept-Language": "en"})  # fmt: skip
    assert english.status_code == 400
    assert english.get_json()["error"] == {
        "code": "required", "message": "Please give your name.", "field": "author"}
    assert "Accept-Language" in english.headers["Vary"]
    french = post(client, payload).get_json()["error"]
    assert french["message"] == "Indiquez votre nom."
    missing = client.get("/api/v1/nowhere", headers={"Accept-Language": "en"}).get_json()
    assert missing["error"]["message"] == "This page does not exist."


def test_error_pages_and_feeds(english_app):
    client = english_app.test_client()
    page = client.get("/nowhere", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Error 404" in page and "Back to the home page" in page
    assert "Erreur 404" in client.get("/nowhere").get_data(as_text=True)
    feed = client.get("/articles/an-english-article/comments.atom").get_data(as_text=True)
    assert "Comments: An English article" in feed and 'xml:lang="en"' in feed


def test_the_app_refuses_stale_catalogs(tmp_path, monkeypatch):
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text("")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    with pytest.raises(RuntimeError, match="make translations"):
        i18n.check_compiled()
    po.with_suffix(".mo").write_bytes(b"")
    i18n.check_compiled()
