"""The author panel: what this comment's author wrote before, on every site
the moderator may see, counted by e-mail address and apart by IP hash; and
the marks a moderator may put on them (trust, block), audited."""

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from moderation.authors import Authors, email_subject, history, ip_subject
from moderation.services import services
from moderation.store import Comment
from moderation.web.admin import LABELS, ActionForm, bp
from moderation.web.moderator_session import chosen_site, login_required, visible_sites

EXPIRIES = (0, 7, 30, 90)  # days a mark lasts; 0: until removed


def _comment(site: str) -> Comment:
    comment = services().store_for(site).get(request.values.get("comment", ""))
    if comment is None:
        abort(404)
    return comment


@bp.get("/author")
@login_required
def author() -> str:
    site = chosen_site()
    comment = _comment(site)
    sites = visible_sites()
    redis = services().redis
    by_email = history(redis, sites, email_subject(comment.email), field_name="email",
                       value=comment.email)  # fmt: skip
    by_ip = history(redis, sites, ip_subject(comment.ip_hash), field_name="ip_hash",
                    value=comment.ip_hash)  # fmt: skip
    mark = Authors(redis, site).mark_of(email_subject(comment.email))
    return render_template("moderation/author.html", comment=comment, site=site,
                           by_email=by_email, by_ip=by_ip, mark=mark, labels=LABELS,
                           expiries=EXPIRIES, form=ActionForm())  # fmt: skip


@bp.post("/author/mark")
@login_required
def mark_author() -> Any:
    site = chosen_site()
    comment = _comment(site)
    kind = request.form.get("kind", "")
    days = request.form.get("days", "0")
    if kind not in {"trusted", "blocked", "clear"}:
        abort(400, description=_("The field kind must be one of: %(values)s.",
                                 values="trusted, blocked, clear"))  # fmt: skip
    if not days.isdecimal() or int(days) not in EXPIRIES:
        abort(400, description=_("The field days must be one of: %(values)s.",
                                 values=", ".join(map(str, EXPIRIES))))  # fmt: skip
    subject = email_subject(comment.email)
    if not subject:
        flash(_("This comment no longer has an e-mail address: nothing to mark."), "error")
    elif kind == "clear":
        Authors(services().redis, site).clear(subject, g.moderator)
        flash(_("The author is neither trusted nor blocked any more."), "done")
    else:
        Authors(services().redis, site).mark(subject, kind, g.moderator, int(days))
        flash(_("The author is trusted: their likely-good comments will skip review.")
              if kind == "trusted" else
              _("The author is blocked: their next comments go straight to spam."),
              "done")  # fmt: skip
    return _back(site, comment)


def _back(site: str, comment: Comment) -> Response:
    return redirect(url_for(".author", site=site, comment=comment.id), 303)
