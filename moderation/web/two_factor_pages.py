"""The second factor's pages: the code asked after a right password, and the
enrolment (a QR code drawn here, a code typed back, recovery codes shown once).

A wrong code counts as a failed sign-in (``LoginGuard``), so a stolen
password does not buy unlimited guesses at six digits."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField

from moderation.audit import AuditLog
from moderation.limits import client_key, limiter, login_limit
from moderation.login_guard import LoginGuard
from moderation.services import services
from moderation.two_factor import TwoFactor, qr_svg
from moderation.web import admin
from moderation.web.admin import signed_in  # the same ending as a password-only sign-in
from moderation.web.moderator_session import login_required, now

bp = Blueprint("two_factor", __name__, url_prefix="/moderation")
# The moderator pages' language, as on every other moderator page.
bp.before_request(admin.moderator_language)
bp.context_processor(admin.language_context)
CODE_WAIT = 300  # seconds to type the code once the password was right


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), render_kw={"autocomplete": "one-time-code",
                                              "inputmode": "numeric"})  # fmt: skip


def two_factor() -> TwoFactor:
    return TwoFactor(services().redis, services().accounts, clock=now)


@bp.after_request
def no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def code() -> Any:
    """The second step of signing in: a one-time code or a recovery code."""
    email, since = session.get("code_for"), session.get("code_since", 0)
    if not isinstance(email, str) or now() - float(since) > CODE_WAIT:
        session.pop("code_for", None)
        flash(_("Sign in again."), "error")
        return redirect(url_for("admin.login"), 303)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        guard, who = LoginGuard(services().redis), client_key()
        typed = (form.code.data or "").strip()
        refusal = guard.check(email, who)
        if refusal:
            flash(_("Too many attempts. Retry in %(seconds)d s.",
                    seconds=refusal.retry_after), "error")  # fmt: skip
            status = 429
        elif two_factor().verify(email, typed) or two_factor().use_recovery_code(email, typed):
            guard.succeeded(email, who)
            account = services().accounts.get(email)
            if account is None:
                abort(404)
            return signed_in(account, session.get("next", ""))
        else:
            guard.failed(email, who)
            flash(_("Wrong code."), "error")
            status = 401
    return render_template("moderation/code.html", form=form), status


@bp.route("/2fa", methods=["GET", "POST"])
@login_required
def enrol() -> Any:
    """Turn on one-time codes for the signed-in account (or see that they are on)."""
    factor = two_factor()
    form = CodeForm()
    if g.account.two_factor and request.method == "GET":
        return render_template("moderation/two_factor.html", enrolled=True, form=form,
                               left=factor.recovery_codes_left(g.moderator))  # fmt: skip
    if form.validate_on_submit():
        codes = factor.confirm(g.moderator, (form.code.data or "").strip())
        if codes:
            team_log = AuditLog.team(services().redis, clock=now)
            team_log.event(g.moderator, "2fa_enrolled", account=g.moderator)
            return render_template("moderation/two_factor.html", enrolled=True, codes=codes,
                                   form=form)  # fmt: skip
        flash(_("Wrong code: type the one your app shows now."), "error")
    uri = factor.pending_uri(g.moderator) or factor.begin(g.moderator)
    return render_template("moderation/two_factor.html", enrolled=False, form=form,
                           qr=Markup(qr_svg(uri)),  # noqa: S704 - segno draws it, no text of ours
                           secret=_secret_of(uri))  # fmt: skip


def _secret_of(uri: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    secret = parse_qs(urlsplit(uri).query).get("secret", [""])[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
