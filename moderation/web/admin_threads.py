"""Closing and reopening a thread from the moderation queue (each card says
whether its thread is closed and offers the other choice; see
templates/moderation/_card_extras.html)."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from moderation.services import services
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.sites import THREAD_NAME
from moderation.store import STATUSES
from moderation.web.moderator_session import chosen_site, login_required

bp = Blueprint("admin_threads", __name__, url_prefix="/moderation")


@bp.app_template_global()
def thread_closed(site: str, thread: str) -> bool:
    """For the queue's cards: asked once per thread and request."""
    known = g.setdefault("closed_threads", {})
    if (site, thread) not in known:
        known[site, thread] = services().closed_threads.is_closed(site, thread)
    return known[site, thread]


@bp.post("/threads/closing")
@login_required
def closing() -> Response:
    """``closing`` is "1:<thread>" to close, "0:<thread>" to reopen. CSRFProtect
    has checked the token; ``chosen_site`` refuses a site not granted."""
    site = chosen_site()
    choice, _colon, thread = request.form.get("closing", "").partition(":")
    known = thread in services().articles if site == DEFAULT_SITE else THREAD_NAME.fullmatch(thread)
    if choice not in {"0", "1"} or not known:
        abort(400, description=_("The field closing must name a discussion."))
    services().closed_threads.set_closed(site, thread, choice == "1", g.moderator, via="page")
    if choice == "1":
        flash(_("The discussion “%(thread)s” is closed.", thread=thread), "done")
    else:
        flash(_("The discussion “%(thread)s” is open again.", thread=thread), "done")
    status = request.form.get("status", "review")
    return redirect(url_for("admin.queue", status=status if status in STATUSES else "review",
                            site=site), 303)  # fmt: skip
