from hypothesis import given
from hypothesis import strategies as st

from classifiers.normalise import domain_of, normalise


def test_entities_case_invisible_characters_and_tags():
    text = "FREE&nbsp;M\u200bONEY &amp; <b>more</b>\ufeff"
    assert normalise(text) == "free money & more"


def test_full_width_letters_fold():
    assert normalise("\uff23\uff41\uff53\uff49\uff4e\uff4f") == "casino"


def test_urls_become_domain_tokens():
    assert normalise("see https://www.Casino-Royal.xyz/win?x=1 now") == (
        "see urlx urld_casino_royal_xyz now"
    )
    assert normalise("bit.ly/abc and bit.ly/xyz").count("urld_bit_ly") == 2
    assert "urld_youtube_com" in normalise('<a href="http://www.youtube.com/watch?v=x">2:19</a>')


def test_domain_of():
    assert domain_of("https://www.un.org/fr/") == "un.org"
    assert domain_of("example.org,") == "example.org"
    assert domain_of("http://[::1") == ""


@given(st.text())
def test_normalise_never_raises_and_is_idempotent_on_plain_text(text):
    once = normalise(text)
    assert "\ufeff" not in once and "\u200b" not in once
    assert once == once.strip()
