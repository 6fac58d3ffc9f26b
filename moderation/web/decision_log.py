"""The decision log page: who decided what, on which comment, in words.

Each entry names the comment by its author and first words (linked to the
comment's own history), its action and statuses translated; API calls that
only read are left out unless asked for (they drown the decisions).
"""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from moderation.services import services
from moderation.web.admin import LABELS, ActionForm, bp
from moderation.web.moderator_session import chosen_site, login_required, site_choices

# What an entry records: the way a decision was made, or another event.
ACTIONS = {
    "page": _l("decision"),
    "bulk": _l("bulk decision"),
    "undo": _l("undo"),
    "api": _l("API"),
    "privacy_delete": _l("personal data deleted"),
    "author_trusted": _l("author trusted"),
    "author_blocked": _l("author blocked"),
    "author_cleared": _l("author's mark removed"),
    "spam_emptied": _l("spam folder emptied"),
}
STATUS_WORDS = {**LABELS, "pending": _l("Pending")}


@bp.get("/audit")
@login_required
def audit() -> str:
    moderator = request.args.get("moderator") or None
    comment = request.args.get("comment") or None
    reads = request.args.get("reads") == "1"
    site = chosen_site()
    entries = services().audit_for(site).entries(moderator=moderator, comment=comment,
                                                 limit=200, reads=reads)  # fmt: skip
    ids = sorted({entry.fields["comment"] for entry in entries if entry.fields.get("comment")})
    comments = {c.id: c for c in services().store_for(site).comments(ids)}
    return render_template("moderation/audit.html", entries=entries, moderator=moderator,
                           comment=comment, form=ActionForm(), site=site, reads=reads,
                           sites=site_choices(), comments=comments, actions=ACTIONS,
                           statuses=STATUS_WORDS)  # fmt: skip
