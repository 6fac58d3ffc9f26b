"""The embeddable widget: ``/embed.js`` (short-cached, redirects to the
current build) and ``/widget/<hash>.js`` (the script with its CSS, cached for
a year under a content-hashed URL), plus the ``/embed`` documentation page."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from moderation.services import services

bp = Blueprint("widget", __name__)
SOURCE = Path(__file__).resolve().parents[1] / "widget"


@dataclass(frozen=True)
class Bundle:
    digest: str
    body: bytes
    gzipped: bytes


@cache
def widget_css() -> str:
    return (SOURCE / "widget.css").read_text(encoding="utf-8").strip()


@cache
def bundle() -> Bundle:
    """JS with its CSS inlined (one request, one cache entry), built once."""
    script = (SOURCE / "widget.js").read_text(encoding="utf-8")
    body = script.replace('"__CSS__"', json.dumps(widget_css())).encode("utf-8")
    return Bundle(hashlib.sha256(body).hexdigest()[:16], body, gzip.compress(body, 9, mtime=0))


@bp.get("/embed.js")
def loader() -> Response:
    response = redirect(url_for(".script", digest=bundle().digest), 302)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # a public script, no credentials
    return response


@bp.get("/widget/<digest>.js")
def script(digest: str) -> Response:
    built = bundle()
    if digest != built.digest:
        abort(404)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(built.gzipped if gzipped else built.body,
                        mimetype="application/javascript")  # fmt: skip
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@cache
def count_script() -> bytes:
    return (SOURCE / "count.js").read_bytes()


@bp.get("/count.js")
def counter() -> Response:
    """The comment counter for listing pages; small, cached five minutes."""
    response = Response(count_script(), mimetype="application/javascript")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/embed")
def documentation() -> str:
    article = services().articles.newest()
    return render_template("embed.html", article=article, digest=bundle().digest)
