"""« Vider le spam »: delete the spam older than a number of days, or all of
it once the moderator has confirmed, with a count and a decision-log entry."""

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from moderation.services import services
from moderation.spam_folder import SpamFolder
from moderation.web.admin import ActionForm, bp
from moderation.web.moderator_session import chosen_site, login_required

DEFAULT_DAYS = 30


@bp.post("/spam/empty")
@login_required
def empty_spam() -> Any:
    site = chosen_site()
    raw = request.form.get("days", str(DEFAULT_DAYS)).strip()
    if not raw.isdecimal() or len(raw) > 5:
        abort(400, description=_("The field days must be a whole number of days."))
    days = int(raw)
    folder = SpamFolder(services().redis, site)
    if days == 0 and request.form.get("confirm") != "1":
        return render_template("moderation/spam_confirm.html", site=site, form=ActionForm(),
                               count=folder.count_older(0))  # fmt: skip
    deleted = folder.empty(days, g.moderator)
    flash(ngettext("%(num)d spam comment deleted.", "%(num)d spam comments deleted.", deleted),
          "done")  # fmt: skip
    return redirect(url_for(".queue", status="spam", site=site), 303)
