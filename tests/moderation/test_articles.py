from pathlib import Path

import pytest

from moderation.articles import ArticleError, ArticleLibrary, parse_article
from moderation.services import CONTENT

GOOD = "---\nslug: un-article\ntitle: Titre\ndate: 2025-01-02T03:04:05+01:00\nlang: fr\n---\n"


def test_the_first_article_is_shipped():
    library = ArticleLibrary([CONTENT])
    article = library.get("ministre-nord-coreen-moscou")
    assert article.byline == "Milos Schmidt" and article.lang == "fr"
    assert "Koursk" in article.body_html and "Mark Rutte" in article.body_html
    assert article.photo_caption and article.standfirst
    assert library.newest() is article


def test_raw_html_in_an_article_is_not_rendered():
    article = parse_article(GOOD + "Texte <script>alert(1)</script> *gras*")
    assert "<script>" not in article.body_html
    assert "<em>gras</em>" in article.body_html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter", "must start"),
        ("---\nslug: a\n", "not closed"),
        ("---\nslug: a\ntitle: t\nlang: fr\n---\n", "missing date"),
        ("---\nslug: Bad Slug\ntitle: t\ndate: 2025-01-01\nlang: fr\n---\n", "slug"),
        ("---\nslug: a\ntitle: t\ndate: hier\nlang: fr\n---\n", "ISO 8601"),
        ("---\nslug: a\ncolour: red\n---\n", "known key"),
    ],
)
def test_bad_front_matter_is_reported_with_the_file(text, message):
    with pytest.raises(ArticleError, match=message):
        parse_article(text, "f.md")


def test_an_operator_adds_an_article_by_dropping_a_file(make_app, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "neuf.md").write_text(
        GOOD.replace("un-article", "plus-recent").replace("2025", "2031") + "Corps."
    )
    client = make_app(ARTICLES_DIR=str(folder)).test_client()
    assert "Corps." in client.get("/articles/plus-recent").get_data(as_text=True)
    assert "Corps." in client.get("/").get_data(as_text=True)  # the newest is the home page


def test_a_duplicate_slug_is_refused(tmp_path: Path):
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    with pytest.raises(ArticleError, match="used twice"):
        ArticleLibrary([tmp_path])
