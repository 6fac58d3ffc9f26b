import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.normalise import analyse, domain_of, normalise


def test_entities_case_invisible_characters_and_tags():
    text = "FREE&nbsp;M\u200bONEY &amp; <b>more</b>\ufeff"
    assert normalise(text) == "free money & more"


def test_full_width_letters_fold():
    assert normalise("\uff23\uff41\uff53\uff49\uff4e\uff4f") == "casino"


def test_urls_become_words_of_their_kind_and_host():
    assert normalise("see https://www.Casino-Royal.xyz/win?x=1 now") == (
        "see urlx urlshop urld_casino_royal_xyz now"
    )
    assert normalise("bit.ly/abc and bit.ly/xyz").count("urlx urlshort urld_bit_ly") == 2
    assert "urld_youtube_com" in normalise('<a href="http://www.youtube.com/watch?v=x">2:19</a>')


def test_a_reference_is_one_neutral_word_whatever_its_address():
    # The characters of a citation's URL must not decide anything.
    one = normalise("Selon https://www.lemonde.fr/international/article/2024/11/05/x_1.html, non.")
    two = normalise("Selon https://www.insee.fr/fr/statistiques/7654321, non.")
    assert one == two == "selon urlref non."


def test_links_are_found_once_with_anchor_text_and_prose():
    analysed = analyse('Vu <a href="https://promo.shop/x">la source</a> et www.lemonde.fr/a !')
    assert [(link.domain, link.kind, link.anchor) for link in analysed.links] == [
        ("promo.shop", "commercial", "la source"), ("lemonde.fr", "reference", "")]
    assert analysed.links[0].anchor_mismatch and analysed.prose == "Vu la source et !"


def test_a_missing_space_after_a_full_stop_is_no_link():
    assert analyse("C'est fini.Je pense que non.").links == ()
    assert [link.domain for link in analyse("Lemonde.fr le dit").links] == ["lemonde.fr"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("\u0441\u0430sin\u043e en ligne", "casino en ligne"),  # Cyrillic с, а, о
        ("c a s i n o", "casino"),
        ("b.i.t.c.o.i.n gratuit", "bitcoin gratuit"),
        ("v1agra et ca$ino", "viagra et casino"),
        ("crypt0 bot", "crypto bot"),
        ("ca\u200bsi\u200bno", "casino"),
    ],
)
def test_disguised_spellings_are_undone_and_counted(written, read):
    analysed = analyse(written)
    assert analysed.text == read and analysed.tricks >= 1


def test_spelled_out_addresses_become_links():
    analysed = analyse("rendez-vous sur promo-bonus point com ou bonus (.) fr")
    assert [link.domain for link in analysed.links] == ["promo-bonus.com", "bonus.fr"]


@pytest.mark.parametrize(
    "text",
    ["le covid19 et l'a320 en 4x4", "Россия и США", "il y a à faire", "écrit à jean@gmail.com",
     "J. R. R. Tolkien", "mp3 et g7"],
)
def test_ordinary_text_is_left_alone(text):
    analysed = analyse(text)
    assert analysed.tricks == 0 and analysed.text == text.lower()


def test_domain_of():
    assert domain_of("https://www.un.org/fr/") == "un.org"
    assert domain_of("example.org,") == "example.org"
    assert domain_of("http://[::1") == ""


@given(st.text())
def test_normalise_never_raises_and_is_idempotent_on_plain_text(text):
    once = normalise(text)
    assert "\ufeff" not in once and "\u200b" not in once
    assert once == once.strip()
