from hypothesis import given
from hypothesis import strategies as st

from moderation.rendering import author_link, render_comment


def test_text_is_escaped_and_paragraphs_kept():
    html = render_comment("<b>un</b> & deux\ntrois\n\nquatre")
    assert html == "<p>&lt;b&gt;un&lt;/b&gt; &amp; deux<br>trois</p><p>quatre</p>"


def test_urls_become_safe_links():
    html = render_comment('voir https://example.org/a?b=1&c=2. et "http://x.org/<script>"')
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>." in html
    )
    assert "<script>" not in html
    assert 'href="http://x.org/"' not in html or "&lt;script&gt;" in html


def test_javascript_urls_are_never_links():
    assert "<a" not in render_comment("javascript:alert(1) data:text/html,x")


def test_author_link():
    assert author_link("<Zoé>", "") == "&lt;Zoé&gt;"
    assert author_link("Zoé", 'https://z.example/"x') == (
        '<a href="https://z.example/&#34;x" rel="nofollow ugc noopener">Zoé</a>'
    )


@given(st.text())
def test_no_markup_from_the_text_survives(text):
    html = str(render_comment(text))
    stripped = html.replace("<p>", "").replace("</p>", "").replace("<br>", "").replace("</a>", "")
    import re

    stripped = re.sub(r'<a href="[^"<>]*" rel="nofollow ugc noopener">', "", stripped)
    assert "<" not in stripped and ">" not in stripped
