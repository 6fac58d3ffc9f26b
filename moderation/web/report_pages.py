"""Reporting a published comment without JavaScript: a page of its own per
comment, under its article or its registered site's thread; the API's rules
(``api.report_comment``), the reports budget included."""

import redis
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from moderation import i18n
from moderation.forms import ReportForm
from moderation.limits import client_key, report_limits
from moderation.services import services
from moderation.sites import DEFAULT
from moderation.store import is_comment_id
from moderation.store.reports import REASONS, AlreadyReported, NotPublished
from moderation.validation import InvalidField, clean_report
from moderation.web.moderator_session import current_account
from moderation.web.pages import Thread, find_thread

bp = Blueprint("reports", __name__)

RECEIVED = _l("Thank you: your report has been received. A moderator will look at it.")


@bp.route("/articles/<slug>/comments/<comment_id>/report", methods=["GET", "POST"])
@report_limits
def article_report(slug: str, comment_id: str) -> tuple | Response:
    return _report_page(find_thread(DEFAULT, slug), comment_id)


@bp.route("/sites/<site>/threads/<thread>/comments/<comment_id>/report",
          methods=["GET", "POST"])  # fmt: skip
@report_limits
def site_report(site: str, thread: str, comment_id: str) -> tuple | Response:
    return _report_page(find_thread(site, thread), comment_id)


def _trusted(site: str) -> str | None:
    """A signed-in moderator of the site reporting counts as trusted."""
    account = current_account()
    return account.email if account is not None and account.may_see(site) else None


def _report_page(target: Thread, comment_id: str) -> tuple | Response:
    target.speak()
    store = services().store_for(target.site)
    comment = store.get(comment_id) if is_comment_id(comment_id) else None
    if comment is None or comment.status != "approved" or comment.thread != target.thread:
        abort(404, description=_("This comment is not published."))
    form, status, notice = ReportForm(), 200, ""
    if request.method == "POST" and form.validate_on_submit():
        try:
            reason, text = clean_report(form.reason.data, form.text.data, REASONS)
            moderator = _trusted(target.site)
            services().reports_for(target.site).report(
                comment.id, client_key(), reason, text, trusted=moderator is not None,
                who=moderator or "reader")  # fmt: skip
        except InvalidField as error:
            getattr(form, error.field).errors = [error.message]
            status = 400
        except AlreadyReported:
            notice, status = _("You have already reported this comment."), 409
        except NotPublished:
            abort(404, description=_("This comment is not published."))
        except redis.RedisError:
            notice, status = _("The comment service is unavailable for a moment: try again "
                               "shortly."), 503  # fmt: skip
        else:
            flash(str(RECEIVED), "pending")
            return redirect(f"{target.action}#c-{comment.id}", 303)
    elif request.method == "POST":
        status = 400  # the CSRF token (CSRFProtect answers first when it is missing)
    return render_template("report.html", comment=comment, form=form, notice=notice,
                           back=target.action, article=target.article, thread=target.thread,
                           site=target.site), status  # fmt: skip


def report_url(site: str, thread: str, comment_id: str) -> str:
    """Where a comment's « Report » link leads (templates/_comments.html)."""
    if site == DEFAULT:
        return url_for("reports.article_report", slug=thread, comment_id=comment_id)
    return url_for("reports.site_report", site=site, thread=thread, comment_id=comment_id,
                   lang=i18n.chosen())  # fmt: skip


@bp.app_context_processor
def report_links() -> dict:
    return {"report_url": report_url}
