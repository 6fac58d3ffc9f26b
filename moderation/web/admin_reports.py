"""Readers' reports in the moderation queue: each card shows its comment's
open reports (templates/moderation/_card_extras.html), and a moderator may
dismiss them: the comment stays, or is again, published, and further reports
need twice as many."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from moderation.services import services
from moderation.store import STATUSES, CommentNotFound, is_comment_id
from moderation.store.reports import ReportState
from moderation.web.moderator_session import chosen_site, login_required

bp = Blueprint("admin_reports", __name__, url_prefix="/moderation")

REASON_LABELS = {"spam": _l("spam"), "abuse": _l("insult or harassment"),
                 "off_topic": _l("off-topic"), "other": _l("other")}  # fmt: skip


@bp.app_template_global()
def reports_of(site: str, comment_id: str) -> ReportState | None:
    """A queue card's open reports; None when it has none."""
    state = services().reports_for(site).state(comment_id)
    return state if state.open or state.reported else None


@bp.app_template_global()
def report_reason(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


@bp.post("/reports/dismiss")
@login_required
def dismiss() -> Response:
    """``dismiss`` names the comment. CSRFProtect has checked the token;
    ``chosen_site`` refuses a site not granted."""
    site = chosen_site()
    comment_id = request.form.get("dismiss", "")
    if not is_comment_id(comment_id):
        abort(400, description=_("The field dismiss must name a comment."))
    try:
        dismissed = services().reports_for(site).dismiss(comment_id, g.moderator, via="page")
    except CommentNotFound:
        abort(404)
    if dismissed:
        flash(_("Reports dismissed: the comment stays published."), "done")
    else:
        flash(_("This comment has no reports to dismiss."), "error")
    status = request.form.get("status", "review")
    return redirect(url_for("admin.queue", status=status if status in STATUSES else "review",
                            site=site), 303)  # fmt: skip
