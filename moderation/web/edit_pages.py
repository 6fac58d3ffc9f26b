"""Editing or deleting one's own comment without JavaScript: the thread page
lists this browser's recent comments (keys in a signed cookie, see
``edit_cookie``) with a link to an edit page of their own."""

import redis
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField

from moderation import i18n, validation
from moderation.services import services
from moderation.sites import DEFAULT
from moderation.store import Comment, CommentNotFound
from moderation.store.edits import BadEditKey, EditWindowClosed
from moderation.web import edit_cookie
from moderation.web.pages import Thread, find_thread

bp = Blueprint("edits", __name__)

SAVED = {"pending": _l("Your comment has been changed: it is awaiting moderation again."),
         "review": _l("Your comment has been changed: it will be published again once a "
                      "moderator has read it.")}  # fmt: skip


class EditForm(FlaskForm):
    body = TextAreaField(_l("Comment"), render_kw={"rows": 6, "maxlength": validation.BODY_MAX})


def edit_url(site: str, thread: str, comment_id: str) -> str:
    if site == DEFAULT:
        return url_for("edits.article_edit", slug=thread, comment_id=comment_id)
    return url_for("edits.site_edit", site=site, thread=thread, comment_id=comment_id,
                   lang=i18n.chosen())  # fmt: skip


@bp.app_template_global()
def own_comments(site: str, thread: str) -> list[tuple[Comment, str]]:
    """This browser's comments of the thread it may still change, with the
    link to change them (for templates/_comments.html)."""
    mine = edit_cookie.entries()
    if not mine:
        return []
    try:
        found = services().store_for(site).comments(sorted(mine))
    except redis.RedisError:
        return []
    return [(c, edit_url(site, thread, c.id)) for c in found
            if c.thread == thread and c.status in {"pending", "review", "approved"}]  # fmt: skip


@bp.route("/articles/<slug>/comments/<comment_id>/edit", methods=["GET", "POST"])
def article_edit(slug: str, comment_id: str) -> tuple | Response:
    return _edit_page(find_thread(DEFAULT, slug), comment_id)


@bp.route("/sites/<site>/threads/<thread>/comments/<comment_id>/edit", methods=["GET", "POST"])
def site_edit(site: str, thread: str, comment_id: str) -> tuple | Response:
    return _edit_page(find_thread(site, thread), comment_id)


def _edit_page(target: Thread, comment_id: str) -> tuple | Response:
    target.speak()
    key = edit_cookie.key_for(comment_id)
    comment = services().store_for(target.site).get(comment_id) if key else None
    if comment is None or comment.thread != target.thread:
        abort(403, description=_("This browser may not change this comment."))
    form, status, notice = EditForm(), 200, ""
    if request.method == "GET":
        form.body.data = comment.body
    elif form.validate_on_submit():
        try:
            return _apply(target, comment, key, form)
        except validation.InvalidField as error:
            form.body.errors = [error.message]
            status = 400
        except (BadEditKey, CommentNotFound):
            abort(403, description=_("This browser may not change this comment."))
        except EditWindowClosed:
            notice, status = _("The time to change this comment is over."), 403
    else:
        status = 400
    return render_template("edit.html", comment=comment, form=form, notice=notice,
                           back=target.action, article=target.article, thread=target.thread,
                           site=target.site), status  # fmt: skip


def _apply(target: Thread, comment: Comment, key: str, form: EditForm) -> Response:
    edits = services().edits_for(target.site)
    response = redirect(f"{target.action}#commentaires", 303)
    if request.form.get("action") == "delete":
        edits.delete(comment.id, key)
        edit_cookie.forget(response, comment.id)
        flash(_("Your comment has been deleted."), "pending")
        return response
    status = edits.edit(comment.id, key, validation.clean_body(form.body.data))
    flash(str(SAVED[status]), "pending")
    return response
