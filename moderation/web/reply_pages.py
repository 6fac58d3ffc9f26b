"""The pages behind the links of reply e-mails: confirming an address and
unsubscribing. A GET only shows a page with a button (mail scanners follow
links); the POST acts. The signed token is the authority, so these forms
need no CSRF token and no login; RFC 8058's one-click POST
(``List-Unsubscribe=One-Click``) is the same POST as the page's button."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from moderation import i18n
from moderation.reply_subscriptions import ReplySubscriptions
from moderation.reply_tokens import BadToken, ExpiredToken, ReplyTokens
from moderation.services import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

BAD_LINK = _l("This link is not valid: copy the whole address from the e-mail.")
EXPIRED = _l("This confirmation link has expired (links are valid for 48 hours). "
             "Tick the box again when you next comment to get a new one.")  # fmt: skip


def _tokens() -> ReplyTokens:
    return ReplyTokens(current_app.config["SECRET_KEY"])


def _page(status: int = 200, **context: object) -> tuple[str, int, dict[str, str]]:
    context.setdefault("lang_arg", i18n.chosen())
    html = render_template("notifications.html", **context)
    # The token is in the address: keep the page out of caches and referrers.
    return html, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.route("/confirm", methods=["GET", "POST"])
def confirm() -> tuple[str, int, dict[str, str]]:
    token = request.values.get("token", "")
    svc = services()
    try:
        found = _tokens().read_confirmation(token, svc.clock())
    except BadToken:
        return _page(400, step="problem", message=BAD_LINK)
    except ExpiredToken:
        return _page(410, step="problem", message=EXPIRED)
    if request.method == "GET":
        return _page(step="confirm", token=token)
    subscriptions = ReplySubscriptions(svc.redis, found.site, svc.clock)
    if not subscriptions.confirm(found.h, found.asked_at):
        return _page(410, step="problem", message=EXPIRED)
    return _page(step="confirmed")


@bp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe() -> tuple[str, int, dict[str, str]]:
    # The one-click POST carries the token in the URL, the page's buttons too.
    token = request.args.get("token", "")
    svc = services()
    try:
        found = _tokens().read_unsubscription(token)
    except BadToken:
        return _page(400, step="problem", message=BAD_LINK)
    if request.method == "GET":
        return _page(step="unsubscribe", token=token, thread=found.thread)
    everything = request.form.get("scope") == "all" or not found.thread
    subscriptions = ReplySubscriptions(svc.redis, found.site, svc.clock)
    subscriptions.unsubscribe(found.h, None if everything else found.thread)
    return _page(step="unsubscribed", everything=everything)
