import pytest

from classifiers.links import (
    COMMERCIAL,
    OTHER,
    REFERENCE,
    SHORTENER,
    describe,
    history_evidence,
    links_in,
    may_decide,
    without_links,
)


@pytest.mark.parametrize(
    ("url", "domain", "kind"),
    [
        ("https://www.bbc.co.uk/news/world-asia-123", "bbc.co.uk", REFERENCE),
        ("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006417982",
         "legifrance.gouv.fr", REFERENCE),
        ("https://www.prefecture-du-nord.gouv.fr/actu", "prefecture-du-nord.gouv.fr", REFERENCE),
        ("https://fr.wikipedia.org/wiki/Choe_Son-hui", "wikipedia.org", REFERENCE),
        ("news.un.org/fr/story/2024/10/1150000", "un.org", REFERENCE),
        ("https://www.ons.gov.uk/economy", "ons.gov.uk", REFERENCE),
        ("https://www.cdc.gov/flu", "cdc.gov", REFERENCE),
        ("https://www.ox.ac.uk/research", "ox.ac.uk", REFERENCE),
        ("who.int/news", "who.int", REFERENCE),
        ("https://bit.ly/3xYz", "bit.ly", SHORTENER),
        ("https://tinyurl.com/abc", "tinyurl.com", SHORTENER),
        ("https://casino-royal-bonus.com/fr", "casino-royal-bonus.com", COMMERCIAL),
        ("https://www.bet365.com", "bet365.com", COMMERCIAL),
        ("https://cheap-pharma.net/x", "cheap-pharma.net", COMMERCIAL),
        ("https://bonne-affaire.xyz", "bonne-affaire.xyz", COMMERCIAL),
        ("https://www.alphabet.com", "alphabet.com", OTHER),  # "bet" only as a whole word
        ("https://seoul-guide.co.kr", "seoul-guide.co.kr", OTHER),  # nor "seo" inside "seoul"
        ("https://lakewatch.blogspot.com/2024/07/x", "blogspot.com", OTHER),
    ],
)
def test_registrable_domain_and_kind(url, domain, kind):
    link = describe(url)
    assert link is not None and (link.domain, link.kind) == (domain, kind)


def test_deep_links_and_home_pages():
    assert describe("https://www.lemonde.fr/article/2024/x.html").deep
    assert not describe("https://promo.shop/").deep


def test_anchor_text_that_hides_its_target():
    found = links_in('<a href="https://promo.shop/x">https://www.lemonde.fr/a</a> '
                     '<a href="https://promo.shop/y">cliquez ici</a> '
                     '<a href="https://www.youtube.com/watch?v=x">2:19</a> '
                     '<a href="https://www.insee.fr/x">source</a>')  # fmt: skip
    assert [link.anchor_mismatch for link in found] == [True, True, False, False]


def test_text_without_links():
    assert without_links("Voir https://a.fr/x et <a href='https://b.com'>ce lien</a>.") == (
        "Voir et ce lien ."
    )


def test_links_that_may_decide_the_spam_band():
    citation = "Les chiffres sont là : https://www.insee.fr/fr/statistiques/1 et ailleurs."
    blog = "J'en parle sur mon blog, avec les cartes : https://lakewatch.blogspot.com/2024/x"
    assert not may_decide(links_in(citation), citation)
    assert not may_decide(links_in(blog), blog)
    for text in ("Bonus ici https://bit.ly/abc pour tous", "https://www.insee.fr/x",
                 "Le meilleur site https://casino-royal.xyz vraiment"):  # fmt: skip
        assert may_decide(links_in(text), text), text
    assert may_decide(links_in(blog), blog, history=1.2)  # moderators filed it as spam before


def test_history_evidence_is_bounded_and_signed():
    assert history_evidence(0, 0) == 0
    assert history_evidence(4, 0) == pytest.approx(1.609, abs=0.01)
    assert history_evidence(0, 40) == -2.0 and history_evidence(500, 0) == 2.0
