"""Moderator pages under /moderation/: sign-in, the review queue and the
dashboard. Decisions and undo (decisions.py), the decision log
(decision_log.py), the author panel (author_pages.py), the spam folder
(spam_pages.py) and the queue's live state (queue_live.py) add their routes
to this blueprint. Everything works with plain forms; static/moderation.js
adds the keyboard, decisions without reloading, undo and the live banner."""

import time
from functools import partial
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import format_percent
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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField

from moderation import i18n, model_figures
from moderation.accounts import Account
from moderation.authors import first_comments
from moderation.charts import meter
from moderation.dashboard import dashboard as build_dashboard
from moderation.day_chart import day_chart
from moderation.limits import client_key, limiter, login_limit
from moderation.login_guard import LoginGuard
from moderation.models import ModelRegistry
from moderation.policy import Policy
from moderation.reason_words import rule_chip, words_for
from moderation.services import services
from moderation.store import (
    STATUSES,
    Comment,
    CommentStore,
    is_comment_id,
)
from moderation.web.moderator_session import (
    chosen_site,
    clear_session,
    current_account,
    login_required,
    site_choices,
)
from moderation.web.moderator_session import sessions as moderator_sessions
from moderation.web.moderator_session import start as start_session

bp = Blueprint("admin", __name__, url_prefix="/moderation")

DECISIONS = {"approve": "approved", "reject": "rejected", "spam": "spam", "review": "review"}
# The actions offered in a tab change something: no Spam button on spam.
OFFERED = {status: [d for d, target in DECISIONS.items() if target != status]
           for status in ("review", "pending", "spam", "approved", "rejected")}  # fmt: skip
TABS = ("review", "pending", "spam", "approved", "rejected")
LABELS = {"review": _l("To review"), "pending": _l("Pending"), "spam": _l("Spam"),
          "approved": _l("Published"), "rejected": _l("Rejected")}  # fmt: skip
SLICE_NAMES = {
    ("language", "fr"): _l("French"),
    ("language", "en"): _l("English"),
    ("links", "links to references only"): _l("links to sources only"),
    ("links", "other links"): _l("other links"),
}
MODEL_SOURCES = {"packaged default": _l("shipped model"), "decisions": _l("moderators' decisions"),
                 "training": _l("trained")}  # fmt: skip
# Each language is named in itself, so a reader who cannot read the page
# still finds theirs: deliberately not translated.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
PAGE = 25


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """Only carries the CSRF token; the buttons and checkboxes are read raw."""


def _guard() -> LoginGuard:
    return LoginGuard(services().redis)


def _now() -> float:
    return (current_app.config.get("CLOCK") or time.time)()


@bp.before_request
def moderator_language() -> None:
    # The moderator's own choice beats Accept-Language (i18n falls back to it).
    i18n.use(session.get("lang"))


@bp.context_processor
def language_context() -> dict[str, Any]:
    # base.html writes <html lang="{{ lang }}">: the language actually served.
    return {"lang": i18n.current(), "language_names": LANGUAGE_NAMES}


@bp.after_request
def no_store(response: Response) -> Response:
    # Framing is refused for every moderator page in web/security.py.
    response.headers["Cache-Control"] = "no-store"
    return response


def _same_site(target: str) -> bool:
    """Only ever redirect to one of our own moderator pages (no open redirect)."""
    return target.startswith("/moderation/") and "\\" not in target and target.isprintable()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Any:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        who = client_key()  # hashed: no address in Redis
        refusal = _guard().check(email, who)
        if refusal:
            flash(_("Too many attempts. Retry in %(seconds)d s.",
                    seconds=refusal.retry_after), "error")  # fmt: skip
            status = 429
        elif address := services().accounts.check_password(email, form.password.data or ""):
            _guard().succeeded(email, who)
            account = services().accounts.require(address)
            if account.two_factor:
                chosen = session.get("lang")
                session.clear()
                session.update(code_for=account.email, code_since=_now(),
                               next=request.args.get("next", ""))  # fmt: skip
                if chosen in i18n.LANGUAGES:
                    session["lang"] = chosen
                return redirect(url_for("two_factor.code"), 303)
            return signed_in(account, request.args.get("next", ""))
        else:
            _guard().failed(email, who)
            flash(_("Wrong address or password."), "error")
            status = 401
    first_run = not services().accounts.emails()
    return render_template("moderation/login.html", form=form, first_run=first_run), status


def signed_in(account: Account, target: str) -> Response:
    """Start the session and go where the moderator was heading (after the
    password, or after the one-time code)."""
    chosen = session.get("lang")
    start_session(account)
    _restore_language(account.email, chosen)
    if not _same_site(target):
        target = url_for("admin.queue")
    return redirect(target, 303)


def _restore_language(account: str, chosen: str | None) -> None:
    """The account's language wins; failing that, the one chosen on the
    sign-in page, which is then kept on the account for other browsers."""
    accounts = services().accounts
    lang = accounts.language(account)
    if lang is None and chosen in i18n.LANGUAGES:
        lang = chosen
        accounts.set_language(account, lang)
    if lang is not None:
        session["lang"] = lang


@bp.post("/logout")
@login_required
def logout() -> Response:
    # Every session of the account ends, not only this browser's: a cookie
    # copied from it (or left on a shared computer) is refused from now on.
    # CSRFProtect checked the token of every POST before this runs.
    moderator_sessions().end_all(g.moderator)
    clear_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for(".login"), 303)


@bp.post("/language")
def language() -> Response:
    """The language chooser (sign-in page and nav): the session always, and
    the account when signed in. CSRFProtect has checked the token."""
    lang = request.form.get("lang", "")
    if lang not in i18n.LANGUAGES:
        abort(400, description=_("The field lang must be one of: %(values)s.",
                                 values=", ".join(i18n.LANGUAGES)))  # fmt: skip
    session["lang"] = lang
    account = current_account()
    if account is not None:
        services().accounts.set_language(account.email, lang)
    target = request.form.get("next", "")
    return redirect(target if _same_site(target) else url_for(".queue"), 303)


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
    site = chosen_site()
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
        offered=OFFERED[status], focus=request.args.get("focus", ""),
        why=services().explainer().why(comments), rule_chip=rule_chip, words_for=words_for,
        firsts=first_comments(services().redis, site, comments),
        parents=_parents(store, comments),
        cursor=cursor, sort=sort, thread=thread, site=site,
        sites=site_choices(),
    )  # fmt: skip


def _parents(store: CommentStore, comments: list[Comment]) -> dict[str, Comment]:
    """The comments these replies answer, so a moderator reads them in context."""
    ids = sorted({comment.parent for comment in comments if comment.parent})
    return {comment.id: comment for comment in store.comments(ids)}


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    site = chosen_site()
    registry = ModelRegistry(services().redis)
    policy = Policy(spam_threshold=current_app.config["SPAM_THRESHOLD"],
                    approve_threshold=current_app.config["APPROVE_THRESHOLD"])  # fmt: skip
    spam_threshold, _good = policy.thresholds(model_figures.active_bands(registry))
    figures = build_dashboard(
        services().store_for(site), services().audit_for(site), now=_now(),
        spam_threshold=spam_threshold,
    )  # fmt: skip
    lang = i18n.current()
    # Day and month in the language's order: 01/04 in French, 4/1 in English.
    per_day = [(format_skeleton("MMdd", day, locale=lang), counts)
               for day, counts in figures.outcomes_per_day]  # fmt: skip
    series = [(status, str(LABELS[status])) for status in ("approved", "spam", "rejected",
                                                           "review")]  # fmt: skip
    return render_template(
        "moderation/dashboard.html", figures=figures, labels=LABELS,
        chart=day_chart(per_day, series, title=_("Decisions per day (30 days)"),
                        table_caption=_("Decisions per day, by outcome"),
                        day_heading=_("Day")),  # fmt: skip
        meter=partial(meter, locale=lang), percent=_percent,
        site=site, sites=site_choices(), spam_threshold=spam_threshold,
        models=model_figures.recent(registry), slice_names=SLICE_NAMES,
        sources=MODEL_SOURCES,
    )  # fmt: skip


def _percent(value: float | None) -> str:
    """12,3 % in French, 12.3% in English; "—" when there is nothing to measure."""
    if value is None:
        return "—"
    return format_percent(round(value, 3), locale=i18n.current(), decimal_quantization=False)
