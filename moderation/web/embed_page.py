"""``/embed``: the site owner's page. It fills in the snippet for a site and
a thread they pick (a plain GET form: no JavaScript needed; a small script
adds a copy button), lists every CSS custom property of the widget with its
default, and runs a live example on a demonstration thread of its own, so
trying the widget never puts a comment into a real article's queue."""

import re
from functools import cache

from flask import Blueprint, render_template, request

from moderation import i18n
from moderation.services import services
from moderation.sites import DEFAULT, DEMO_THREAD, THREAD_NAME
from moderation.web.widget import SOURCE

bp = Blueprint("embed", __name__)

EXAMPLE_SITE = "mon-journal"
EXAMPLE_THREAD = "identifiant-de-l-article"


@cache
def custom_properties() -> list[tuple[str, str]]:
    """(property, default) for each ``var(--comments-…)`` of the widget's CSS,
    in the order they first appear; no default means the host page's value."""
    css = (SOURCE / "widget.css").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for name, default in re.findall(r"var\((--comments-[a-z-]+)(?:,([^)]*))?\)", css):
        found.setdefault(name, default.strip())
    return list(found.items())


@bp.get("/embed")
def documentation() -> str:
    svc = services()
    sites = [site for site in svc.sites.names() if site != DEFAULT]
    site = request.args.get("site", "").strip()[:64]
    thread = request.args.get("thread", "").strip()[:128]
    problems = []
    if site and site not in sites:
        problems.append("site")
    if thread and not THREAD_NAME.fullmatch(thread):
        problems.append("thread")
    # ?lang= or Accept-Language, else DEFAULT_LANG (moderation.i18n).
    return render_template(
        "embed.html", sites=sites, site=site, thread=thread, problems=problems,
        snippet_site=site if site and "site" not in problems else EXAMPLE_SITE,
        snippet_thread=thread if thread and "thread" not in problems else EXAMPLE_THREAD,
        properties=custom_properties(), demo_thread=DEMO_THREAD,
        lang=i18n.current(),
    )  # fmt: skip
