import gzip
import re

from moderation.web.widget import SOURCE, bundle

BUDGET = 6 * 1024  # JS and CSS together, gzipped


def test_the_widget_fits_its_size_budget():
    built = bundle()
    assert len(gzip.compress(built.body, 9)) <= BUDGET
    assert len(built.gzipped) <= BUDGET


def test_the_css_is_inlined_and_no_html_sink_is_used():
    built = bundle().body.decode()
    assert "__CSS__" not in built and ":host{" in built
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
