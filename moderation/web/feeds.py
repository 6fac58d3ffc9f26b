"""Atom feeds of a thread's published comments, for feed readers and for
newsrooms following their threads.

Every address in a feed is built on ``PUBLIC_URL`` from the route's checked
arguments: a feed is cached and served to every reader, so nothing the client
chooses (its Host header, its query string) may end up in it."""

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, url_for
from flask_babel import gettext as _

from moderation import atom, i18n
from moderation.services import services
from moderation.sites import DEFAULT
from moderation.store import Comment
from moderation.web import cached
from moderation.web.pages import Thread, find_thread

bp = Blueprint("feeds", __name__)

ENTRIES = 50  # the newest published comments a feed carries
FORMAT = 2  # bump when the document changes shape: old ETags must not match


@bp.get("/articles/<slug>/comments.atom")
def article_feed(slug: str) -> Response:
    return _feed(find_thread(DEFAULT, slug))


@bp.get("/sites/<site>/threads/<thread>/comments.atom")
def site_thread_feed(site: str, thread: str) -> Response:
    return _feed(find_thread(site, thread))


def _feed(target: Thread) -> Response:
    """Rebuilt only when the thread's published list changes; 304 on its ETag
    or its Last-Modified.

    A feed has one language whatever the reader sends (feed readers share
    URLs): the article's, else ``?lang=``, else ``DEFAULT_LANG``."""
    if target.article is not None:
        lang = i18n.use(target.article.lang)
    else:
        lang = i18n.use(i18n.chosen() or current_app.config["DEFAULT_LANG"])
    store = services().store_for(target.site)
    key = ("atom", FORMAT, target.site, target.thread, lang)
    return cached.published(
        store, target.thread, key,
        lambda: _document(target, store.latest_approved(target.thread, ENTRIES), lang),
        mimetype="application/atom+xml",
    )  # fmt: skip


def _document(target: Thread, comments: list[Comment], lang: str) -> bytes:
    page = _page_url(target)
    if target.article is not None:
        title = _("Comments: %(title)s", title=target.article.title)
        quiet = target.article.date  # an empty feed is as old as its article
    else:
        title = _("Comments: %(site)s / %(thread)s", site=target.site, thread=target.thread)
        quiet = datetime.fromtimestamp(0, UTC)
    entries = [
        atom.Entry(
            id=f"{page}#c-{comment.id}",
            title=_("Comment by %(author)s", author=comment.author),
            author=comment.author,
            updated=_moment(comment.updated_at, comment.created_at),
            published=datetime.fromtimestamp(comment.created_at, UTC),
            content=comment.body,
            link=f"{page}#c-{comment.id}",
        )
        for comment in comments
    ]
    return atom.feed(
        feed_id=f"{page}#commentaires", title=title, self_link=_self_link(target, lang),
        page_link=page,
        updated=max((entry.updated for entry in entries), default=quiet), entries=entries,
        lang=lang,
    )  # fmt: skip


def _public(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _page_url(target: Thread) -> str:
    if target.site == DEFAULT:
        return _public(url_for("pages.article", slug=target.thread))
    return _public(url_for("pages.site_thread", site=target.site, thread=target.thread))


def _self_link(target: Thread, lang: str) -> str:
    """The feed's own address; a site's feed names its language (the cache key
    holds it, so every reader of one cached feed gets the same link)."""
    if target.site == DEFAULT:
        return _public(url_for("feeds.article_feed", slug=target.thread))
    return _public(url_for("feeds.site_thread_feed", site=target.site, thread=target.thread,
                           lang=lang))  # fmt: skip


def _moment(updated_at: str, created_at: float) -> datetime:
    try:
        return datetime.fromtimestamp(float(updated_at), UTC)
    except ValueError:
        return datetime.fromtimestamp(created_at, UTC)
