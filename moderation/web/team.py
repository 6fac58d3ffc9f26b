"""The owners' page: the team (roles, sites, sessions, invitations), the
sites that may embed the widget and the webhooks; and the page where an
invited moderator chooses their password.

To anyone but an owner ``/moderation/team`` does not exist (404). Every
change goes to the team's audit log, which the page shows.
"""

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField

from moderation.accounts import MODERATOR, OWNER, AccountError
from moderation.audit import AuditLog
from moderation.invitations import Invitations
from moderation.services import services
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.sites import SiteError
from moderation.web import admin
from moderation.web.moderator_session import (
    clear_session,
    now,
    owner_required,
    sessions,
    start,
)
from moderation.webhooks import EVENTS, Webhooks

bp = Blueprint("team", __name__, url_prefix="/moderation")
# The moderator pages' language, as on every other moderator page.
bp.before_request(admin.moderator_language)
bp.context_processor(admin.language_context)


class ActionForm(FlaskForm):
    """Only carries the CSRF token; the fields are read raw and checked here."""


class JoinForm(FlaskForm):
    password = PasswordField(_l("Choose a password"),
                             render_kw={"autocomplete": "new-password"})  # fmt: skip
    again = PasswordField(_l("The same password again"),
                          render_kw={"autocomplete": "new-password"})  # fmt: skip


def _log() -> AuditLog:
    return AuditLog.team(services().redis, clock=now)


def _invitations() -> Invitations:
    return Invitations(services().redis, services().accounts, clock=now)


@bp.after_request
def no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/team")
@owner_required
def team() -> str:
    accounts = services().accounts.accounts()
    live = {account.email: sessions().records(account.email) for account in accounts}
    return render_template(
        "moderation/team.html", accounts=accounts, live=live, form=ActionForm(),
        all_sites=services().sites.names(), sites=services().sites.all(),
        hooks=Webhooks(services().redis).all(), events=EVENTS, roles=(OWNER, MODERATOR),
        changes=_log().entries(limit=30),
    )  # fmt: skip


def _chosen_sites() -> list[str]:
    known = set(services().sites.names())
    chosen = request.form.getlist("sites")
    unknown = [site for site in chosen if site not in known]
    if unknown:
        abort(400, description=_("Unknown site: %(site)s.", site=unknown[0]))
    return chosen


def _back() -> Any:
    return redirect(url_for(".team"), 303)


@bp.post("/team/invite")
@owner_required
def invite() -> Any:
    email = request.form.get("email", "")
    role = request.form.get("role", MODERATOR)
    try:
        token = _invitations().create(email, role, _chosen_sites(), g.moderator)
    except AccountError as error:
        flash(str(error), "error")
        return _back()
    invited = _invitations().get(token)
    assert invited is not None
    _log().event(g.moderator, "invited", account=invited.email, role=role,
                 sites=",".join(invited.sites))  # fmt: skip
    link = current_app.config["PUBLIC_URL"].rstrip("/") + url_for(".join", token=token)
    flash(_("Invitation for %(email)s, valid 48 hours. Send this link yourself; it is "
            "shown only now: %(link)s", email=invited.email, link=link), "done")  # fmt: skip
    return _back()


@bp.post("/team/grants")
@owner_required
def grants() -> Any:
    email = request.form.get("email", "")
    role = request.form.get("role", MODERATOR)
    try:
        if email == g.moderator and role != OWNER:
            raise AccountError(_("You cannot take your own owner role away."))
        account = services().accounts.set_role(email, role, _chosen_sites())
    except AccountError as error:
        flash(str(error), "error")
        return _back()
    _log().event(g.moderator, "grants", account=account.email, role=account.role,
                 sites=",".join(sorted(account.sites)))  # fmt: skip
    flash(_("Role and sites of %(email)s saved.", email=account.email), "done")
    return _back()


@bp.post("/team/sessions")
@owner_required
def end_sessions() -> Any:
    email = request.form.get("email", "")
    try:
        ended = sessions().end_all(email)
    except AccountError as error:
        flash(str(error), "error")
        return _back()
    _log().event(g.moderator, "sessions_ended", account=email, count=str(ended))
    if email == g.moderator:
        clear_session()
        return redirect(url_for("admin.login"), 303)
    flash(_("Every session of %(email)s has ended.", email=email), "done")
    return _back()


@bp.post("/team/remove")
@owner_required
def remove() -> Any:
    email = request.form.get("email", "")
    accounts = services().accounts
    try:
        if email == g.moderator:
            raise AccountError(_("You cannot remove your own account here."))
        accounts.remove(email)
    except AccountError as error:
        flash(str(error), "error")
        return _back()
    _log().event(g.moderator, "removed", account=email)
    flash(_("%(email)s was removed.", email=email), "done")
    return _back()


@bp.post("/team/sites")
@owner_required
def sites() -> Any:
    """Add or change a site (name and the origins that may embed it), or remove one."""
    name = request.form.get("name", "").strip()
    registry = services().sites
    try:
        if request.form.get("remove"):
            if name == DEFAULT_SITE:
                raise SiteError(_("The service's own site cannot be removed."))
            registry.remove(name)
            _log().event(g.moderator, "site_removed", site=name)
        else:
            origins = request.form.get("origins", "").split()
            site = registry.add(name, origins)
            _log().event(g.moderator, "site_saved", site=site.name, origins=" ".join(site.origins))
    except SiteError as error:
        flash(str(error), "error")
        return _back()
    flash(_("Sites saved."), "done")
    return _back()


@bp.post("/team/webhooks")
@owner_required
def webhooks() -> Any:
    hooks = Webhooks(services().redis)
    try:
        if request.form.get("remove"):
            hook_id = request.form.get("id", "")
            if not hooks.remove(hook_id):
                raise ValueError(_("No such webhook."))
            _log().event(g.moderator, "webhook_removed", webhook=hook_id)
        else:
            hook = hooks.add(request.form.get("url", "").strip(), request.form.getlist("events"))
            _log().event(g.moderator, "webhook_added", webhook=hook.id, url=hook.url)
            flash(_("Webhook added. Its signing secret, shown only now: %(secret)s",
                    secret=hook.secret), "done")  # fmt: skip
            return _back()
    except ValueError as error:
        flash(str(error), "error")
        return _back()
    flash(_("Webhook removed."), "done")
    return _back()


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> Any:
    """An invited moderator chooses a password, and is signed in."""
    invitation = _invitations().get(token)
    if invitation is None or invitation.expires_at < now():
        abort(404)
    form = JoinForm()
    status = 200
    if form.validate_on_submit():
        if form.password.data != form.again.data:
            form.again.errors = [_("The two passwords differ.")]
            status = 400
        else:
            try:
                email = _invitations().accept(token, form.password.data or "")
            except AccountError as error:
                form.password.errors = [str(error)]
                status = 400
            else:
                _log().event(email, "joined", account=email, invited_by=invitation.invited_by)
                account = services().accounts.require(email)
                clear_session()
                start(account)
                return redirect(url_for("admin.queue"), 303)
    return render_template("moderation/join.html", form=form, invitation=invitation), status
