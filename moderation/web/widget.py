"""The embeddable widget: ``/embed.js`` (short-cached, redirects to the
current build) and ``/widget/<hash>.js`` (the script with its CSS and its
strings in every language, cached for a year under a content-hashed URL). The
``/embed`` page that documents them is ``embed_page.py``."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    has_app_context,
    redirect,
    request,
    url_for,
)
from flask_babel import Babel, force_locale
from flask_babel import lazy_gettext as _l

from moderation import i18n

bp = Blueprint("widget", __name__)
SOURCE = Path(__file__).resolve().parents[1] / "widget"

# What the widget says, by the key widget.js reads (``t.title``…). The script
# picks its language in the browser, so it carries every language's table.
STRINGS = {
    "title": _l("Comments"),
    "none": _l("No comments yet."),
    "form": _l("Leave a comment"),
    "name": _l("Name"),
    "email": _l("E-mail (never published)"),
    "url": _l("Website (optional)"),
    "body": _l("Comment"),
    "send": _l("Post comment"),
    "sending": _l("Sending…"),
    "pending": _l("Your comment is awaiting moderation."),
    "yours": _l("Your comment (awaiting moderation)"),
    "published": _l("Your comment has been published."),
    "down": _l("Comments are unavailable at the moment."),
    "forbidden": _l("This site may not show these comments."),
    "unknown": _l("No discussion is known for this page."),
    "answer": _l("Answer the sum in digits."),
    "reply": _l("Reply"),
    # widget.js puts the author's name in place of %(author)s.
    "to": _l("Replying to %(author)s"),
    "cancel": _l("Cancel"),
    "notify": _l("Notify me of replies by e-mail"),
    "confirm": _l("If this address has not confirmed reply e-mails yet, a message asks it to: "
                  "nothing else is sent until then."),
    "closed": _l("Comments are closed."),
    "report": _l("Report"),
    "why": _l("Why report this comment?"),
    "spam": _l("Spam or advertising"),
    "abuse": _l("Insult or harassment"),
    "off_topic": _l("Off-topic"),
    "other": _l("Something else (say what below)"),
    "details": _l("Details (optional, required for something else)"),
    "send_report": _l("Send the report"),
    "reported": _l("Thank you: your report has been received. A moderator will look at it."),
    "edit": _l("Edit"),
    "delete": _l("Delete"),
    "save": _l("Save the changes"),
    # Waiting or published before, an edited comment awaits moderation again.
    "edited": _l("Your comment has been changed: it is awaiting moderation again."),
    "deleted": _l("Your comment has been deleted."),
    "remember": _l("Remember me"),
}


@dataclass(frozen=True)
class Bundle:
    digest: str
    body: bytes
    gzipped: bytes


@cache
def widget_css() -> str:
    return (SOURCE / "widget.css").read_text(encoding="utf-8").strip()


def strings() -> dict[str, dict[str, str]]:
    """``{"fr": {key: text}, "en": {...}}`` from the current app's catalogs."""
    table = {}
    for lang in i18n.LANGUAGES:
        with force_locale(lang):
            table[lang] = {key: str(text) for key, text in STRINGS.items()}
    return table


def compact(script: str) -> str:
    """The script without its indentation, its comments and its opening
    comment: a fifth less once gzipped, every statement kept (lines stay lines)."""
    if script.startswith("/*"):
        script = script.split("*/", 1)[1]
    # A trailing comment follows two spaces (the source's style; no string holds "  // ").
    lines = [line.split("  // ", 1)[0].strip() for line in script.splitlines()]
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def build() -> Bundle:
    """JS with its CSS and strings inlined (one request, one cache entry)."""
    script = compact((SOURCE / "widget.js").read_text(encoding="utf-8"))
    body = (
        script.replace('"__CSS__"', json.dumps(widget_css()))
        .replace('"__STRINGS__"', json.dumps(strings(), ensure_ascii=False, separators=(",", ":")))
        .encode("utf-8")
    )  # fmt: skip
    return Bundle(hashlib.sha256(body).hexdigest()[:16], body, gzip.compress(body, 9, mtime=0))


def bundle() -> Bundle:
    """The current app's bundle, built once per app: its text comes from that
    app's catalogs, so a process-wide cache would keep whichever app (or no
    app, hence no catalogs) asked first. Outside an app (the size bench), it
    is built from the package's catalogs."""
    if not has_app_context():
        offline = Flask(__name__)
        Babel(offline, default_translation_directories=str(i18n.TRANSLATIONS))
        with offline.app_context():
            return build()
    built = current_app.extensions.get("widget.bundle")
    if built is None:  # two first requests at once both build the same thing: harmless
        built = current_app.extensions["widget.bundle"] = build()
    return built


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
