"""Moderator pages under /moderation/: sign-in, the review queue, decisions,
the audit log and the dashboard. Everything works with plain forms; the
JavaScript in static/moderation.js only adds keyboard shortcuts."""

import time
from collections.abc import Callable
from functools import wraps
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
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField

from moderation.charts import bar_chart, meter
from moderation.dashboard import dashboard as build_dashboard
from moderation.limits import client_key, limiter, login_limit
from moderation.login_guard import LoginGuard
from moderation.services import services
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.store import (
    STATUSES,
    Comment,
    CommentNotFound,
    CommentStore,
    StatusConflict,
    is_comment_id,
)

bp = Blueprint("admin", __name__, url_prefix="/moderation")

DECISIONS = {"approve": "approved", "reject": "rejected", "spam": "spam", "review": "review"}
TABS = ("review", "pending", "spam", "approved", "rejected")
LABELS = {"review": "À relire", "pending": "En attente", "spam": "Spam",
          "approved": "Publiés", "rejected": "Refusés"}  # fmt: skip
RULES = {
    "likely_good": "probablement bon",
    "too_many_links": "trop de liens",
    "blocklist": "mot bloqué",
    "unscored": "non évalué",
    "dead_letter": "échec du classifieur",
    "burst": "rafale de messages quasi identiques",
}
PAGE = 25
SIGN_IN_FAILED = "Adresse ou mot de passe incorrect."


class LoginForm(FlaskForm):
    email = StringField("Adresse e-mail", render_kw={"autocomplete": "username"})
    password = PasswordField("Mot de passe", render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """Only carries the CSRF token; the buttons and checkboxes are read raw."""


def _guard() -> LoginGuard:
    return LoginGuard(services().redis)


def _now() -> float:
    return (current_app.config.get("CLOCK") or time.time)()


@bp.after_request
def no_store(response: Response) -> Response:
    # Framing is refused for every moderator page in web/security.py.
    response.headers["Cache-Control"] = "no-store"
    return response


def _chosen_site() -> str:
    """The site being moderated (``?site=`` or the form's ``site``), default ours."""
    site = request.values.get("site") or DEFAULT_SITE
    if site not in services().sites.names():
        abort(404)
    return site


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        email = session.get("moderator")
        idle = current_app.config["MODERATOR_IDLE_MINUTES"] * 60
        if not email or _now() - session.get("seen", 0) > idle:
            session.clear()
            return redirect(url_for(".login", next=request.full_path))
        if not services().accounts.exists(email):  # removed while signed in
            session.clear()
            return redirect(url_for(".login"))
        session["seen"] = _now()
        g.moderator = email
        return view(*args, **kwargs)

    return guarded


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Any:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        ip = client_key()  # hashed with today's key: no address in Redis
        refusal = _guard().check(email, ip)
        if refusal:
            flash(f"Trop de tentatives. Réessayez dans {refusal.retry_after} s.", "error")
            status = 429
        elif account := services().accounts.check_password(email, form.password.data or ""):
            _guard().succeeded(email, ip)
            session.clear()  # no fixation: a fresh session at sign-in
            session.update(moderator=account, seen=_now())
            session.permanent = True
            target = request.args.get("next", "")
            if not target.startswith("/moderation/") or target.startswith("//"):
                target = url_for(".queue")
            return redirect(target, 303)
        else:
            _guard().failed(email, ip)
            flash(SIGN_IN_FAILED, "error")
            status = 401
    return render_template("moderation/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    session.clear()  # CSRFProtect checked the token of every POST before this runs
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for(".login"), 303)


@bp.get("/")
@login_required
def queue() -> str:
    status = request.args.get("status", "review")
    sort = request.args.get("sort", "oldest")
    thread = request.args.get("thread") or None
    if status not in STATUSES or sort not in {"oldest", "uncertain"}:
        abort(404)
    articles = services().articles
    if thread is not None and thread not in articles:
        abort(404)
    site = _chosen_site()
    store = services().store_for(site)
    cursor = request.args.get("cursor") or None
    if sort == "uncertain" and status == "review" and thread is None:
        offset = int(cursor) if cursor and cursor.isdecimal() else 0
        comments, after = store.most_uncertain(offset, limit=PAGE)
    else:
        sort = "oldest"
        if cursor is not None and not is_comment_id(cursor):
            abort(400)
        comments, after = store.in_status(status, after=cursor, limit=PAGE, thread=thread)
    counts = {tab: store.count(tab) for tab in TABS}
    return render_template(
        "moderation/queue.html", status=status, comments=comments, next_cursor=after,
        counts=counts, tabs=TABS, labels=LABELS, form=ActionForm(), articles=articles,
        explained=services().explainer().explain(comments),
        parents=_parents(store, comments),
        cursor=cursor, sort=sort, thread=thread, rules=RULES, site=site,
        sites=services().sites.names(),
    )  # fmt: skip


def _parents(store: CommentStore, comments: list[Comment]) -> dict[str, Comment]:
    """The comments these replies answer, so a moderator reads them in context."""
    ids = sorted({comment.parent for comment in comments if comment.parent})
    return {comment.id: comment for comment in store.comments(ids)}


@bp.post("/decide")
@login_required
def decide() -> Response:
    status = request.form.get("status", "review")
    site = _chosen_site()
    back = url_for(".queue", status=status if status in STATUSES else "review", site=site)
    single = request.form.get("action", "")
    if single:
        comment_id, _, decision = single.partition(":")
        targets = [comment_id]
    else:
        decision = request.form.get("bulk", "")
        targets = request.form.getlist("ids")
    if decision not in DECISIONS or not targets:
        flash("Choisissez une action et au moins un commentaire.", "error")
        return redirect(back, 303)
    done, conflicts = [], []
    store = services().store_for(site)
    for comment_id in targets:
        expected = request.form.get(f"expected-{comment_id}") or None
        try:
            store.decide(comment_id, DECISIONS[decision], g.moderator, expected=expected,
                         via="bulk" if not single else "page")  # fmt: skip
            done.append(comment_id)
        except StatusConflict as error:
            conflicts.append((comment_id, error.current))
        except CommentNotFound:
            conflicts.append((comment_id, "supprimé"))
    if done:
        flash(f"{len(done)} commentaire(s) : {LABELS[DECISIONS[decision]].lower()}.", "done")
        session["undo"] = {"ids": done, "status": DECISIONS[decision], "site": site}
    for comment_id, current in conflicts:
        flash(f"Conflit : un autre modérateur a déjà traité {comment_id} (« {current} »). "
              "Rien n’a été écrasé.", "error")  # fmt: skip
    return redirect(back, 303)


@bp.post("/undo")
@login_required
def undo() -> Response:
    last = session.pop("undo", None)
    if not last:
        flash("Rien à annuler.", "error")
        return redirect(url_for(".queue"), 303)
    store = services().store_for(last.get("site", DEFAULT_SITE))
    for comment_id in last["ids"]:
        try:
            store.decide(comment_id, "review", g.moderator, expected=last["status"], via="undo")
        except (StatusConflict, CommentNotFound):
            flash(f"{comment_id} a changé depuis : non annulé.", "error")
    flash("Décision annulée : renvoyé en relecture.", "done")
    return redirect(url_for(".queue", status=last["status"], site=last.get("site")), 303)


@bp.get("/audit")
@login_required
def audit() -> str:
    moderator = request.args.get("moderator") or None
    comment = request.args.get("comment") or None
    site = _chosen_site()
    entries = services().audit_for(site).entries(moderator=moderator, comment=comment, limit=200)
    return render_template("moderation/audit.html", entries=entries, moderator=moderator,
                           comment=comment, form=ActionForm(), site=site,
                           sites=services().sites.names())  # fmt: skip


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    site = _chosen_site()
    figures = build_dashboard(
        services().store_for(site), services().audit_for(site), now=_now(),
        spam_threshold=current_app.config["SPAM_THRESHOLD"],
    )  # fmt: skip
    per_day = [(day.strftime("%d/%m"), float(count)) for day, count in figures.decisions_per_day]
    return render_template(
        "moderation/dashboard.html", figures=figures, labels=LABELS,
        chart=bar_chart(per_day, title="Décisions par jour (30 jours)"), meter=meter,
        site=site, sites=services().sites.names(),
    )  # fmt: skip
