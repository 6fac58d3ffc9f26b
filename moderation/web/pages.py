"""Article pages and the comment form under them (Post/Redirect/Get)."""

import logging
from dataclasses import dataclass

import redis
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from captcha import Wrong
from moderation import bot_traps, i18n, metrics
from moderation.articles import Article
from moderation.client_ip import ip_hash
from moderation.forms import CommentForm
from moderation.limits import client_key, comment_limits, spend_question
from moderation.services import services
from moderation.sites import DEFAULT
from moderation.store import Comment, InvalidParent
from moderation.validation import CommentInput
from moderation.web.api import PARENT_MESSAGES, SITE_THREAD

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

PENDING = _l("Your comment is awaiting moderation.")
STORE_DOWN = _l(
    "The comment service is unavailable for a moment. Your text is kept below: "
    "try again shortly."
)
TOO_MANY_WRONG = _l(
    "Too many wrong answers to the sum from your connection: try again later. "
    "Your text is kept."
)
SESSION_EXPIRED = _l(
    "Your session has expired. Your text is kept: answer the new question and send again."
)
FORM_EXPIRED = _l(
    "The form has expired or did not come from this site. Reload the page and try again."
)


@dataclass(frozen=True)
class Thread:
    """Where a comment form posts: an article of ours, or a registered site's thread."""

    site: str
    thread: str
    article: Article | None

    @property
    def action(self) -> str:
        if self.article is not None:
            return url_for("pages.article", slug=self.thread)
        # ?lang= is kept across the form's round trip.
        return url_for("pages.site_thread", site=self.site, thread=self.thread,
                       lang=i18n.chosen())  # fmt: skip

    def speak(self) -> None:
        """An article page speaks its article's language; a site's thread page
        the reader's (``?lang=``, else ``Accept-Language``)."""
        if self.article is not None:
            i18n.use(self.article.lang)


def _no_question(wait: int) -> str:
    """Why the form has no question, and when to come back (minutes, rounded up)."""
    minutes = -(-wait // 60)
    return ngettext(
        "This form has no question for now: too many were asked from your connection "
        "in a short time. Come back in %(num)d minute (send the form or reload the page) "
        "to get one.",
        "This form has no question for now: too many were asked from your connection "
        "in a short time. Come back in %(num)d minutes (send the form or reload the page) "
        "to get one.",
        minutes,
    )


def _render(target: Thread, form: CommentForm, status: int = 200, notice: str = "") -> tuple:
    """The thread's approved comments and the form with a fresh question, if
    the client may have one (the questions' budget is the API's too)."""
    target.speak()
    svc = services()
    comments, comments_ok, replying_to, no_question = [], True, None, ""
    form.captcha_token.data = ""  # a question is shown only if one is issued now
    try:
        comments, _cursor = svc.store_for(target.site).approved(target.thread, limit=500)
        wanted = request.args.get("reply") if request.method == "GET" else form.parent.data
        replying_to = next((c for c in comments if c.id == wanted and not c.parent), None)
        form.parent.data = replying_to.id if replying_to else ""
        limit = current_app.config["WRONG_ANSWERS_LIMIT"]
        if bot_traps.too_many_wrong(svc.redis, client_key(), limit):
            notice = notice or TOO_MANY_WRONG
            status = max(status, 429)
        elif wait := spend_question():
            no_question = _no_question(wait)  # the page itself is served as usual
        else:
            form.ask(svc.challenges)
    except redis.RedisError as error:
        log.warning("Redis unavailable while rendering %s: %s", target.thread, error)
        comments_ok = False
        notice = notice or STORE_DOWN
        status = max(status, 503) if request.method == "POST" else status
    html = render_template(
        "article.html" if target.article else "site_thread.html",
        article=target.article, site=target.site, thread=target.thread, action=target.action,
        form=form, comments=threaded(comments), count=len(comments), comments_ok=comments_ok,
        notice=notice, replying_to=replying_to, no_question=no_question,
    )  # fmt: skip
    return html, status


def threaded(comments: list[Comment]) -> list[tuple[Comment, list[Comment]]]:
    """Comments in order, each with its published replies; a reply whose
    parent is no longer published stands on its own."""
    published = {comment.id for comment in comments}
    replies: dict[str, list[Comment]] = {}
    for comment in comments:
        if comment.parent in published:
            replies.setdefault(comment.parent, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in comments if c.parent not in published]


def find_thread(site: str, thread: str) -> Thread:
    """An article of ours or a registered site's thread; 404 for anything else."""
    if site == DEFAULT:
        article = services().articles.get(thread)
        if article is None:
            abort(404)
        return Thread(DEFAULT, thread, article)
    if services().sites.get(site) is None or not SITE_THREAD.fullmatch(thread):
        abort(404)
    return Thread(site, thread, None)


def _request_target() -> Thread:
    """The thread of the article or site-thread route being served."""
    args = request.view_args or {}
    return find_thread(args.get("site", DEFAULT), args.get("slug") or args.get("thread", ""))


@bp.get("/")
def home() -> tuple:
    article = services().articles.newest()
    return _render(Thread(DEFAULT, article.slug, article), CommentForm(thread=article.slug))


@bp.route("/articles/<slug>", methods=["GET", "POST"])
@comment_limits
def article(slug: str) -> tuple | Response:
    return _thread_page(find_thread(DEFAULT, slug))


@bp.route("/sites/<site>/threads/<thread>", methods=["GET", "POST"])
@comment_limits
def site_thread(site: str, thread: str) -> tuple | Response:
    """A registered site's thread with the server-rendered form: where the
    widget's no-JavaScript link leads."""
    return _thread_page(find_thread(site, thread))


def _thread_page(target: Thread) -> tuple | Response:
    target.speak()  # before any message is put into words
    form = CommentForm(thread=target.thread, site=target.site)
    if request.method == "GET":
        return _render(target, form)
    svc = services()
    who, config = client_key(), current_app.config
    try:
        # A locked-out client is refused whichever question it answers, even
        # one fetched before the lock (see bot_traps.reserve_answer).
        if bot_traps.reserve_answer(svc.redis, who, config["WRONG_ANSWERS_LIMIT"],
                                    config["WRONG_ANSWERS_WINDOW"]):  # fmt: skip
            return _render(target, form, 429, TOO_MANY_WRONG)
        try:
            valid = form.validate_on_submit()
        finally:
            bot_traps.settle_answer(svc.redis, who, isinstance(form.captcha.captcha_error, Wrong))
        _count_captcha(form.captcha)
        if valid:
            now = svc.clock()
            traps = bot_traps.caught(form.homepage.data, form.captcha.passed.issued_at, now,
                                     current_app.config["MIN_FILL_SECONDS"])  # fmt: skip
            if traps:  # the same answer as a success; nothing stored
                bot_traps.count(svc.redis, target.site, traps)
                for trap in traps:
                    metrics.BOT_TRAPS.labels(trap).inc()
                flash(str(PENDING), "pending")
                return redirect(target.action + "#commentaires", 303)
            svc.store_for(target.site).save(
                target.thread,
                CommentInput(author=form.author.data, email=form.email.data,
                             body=form.body.data, url=form.url.data),
                ip_hash=ip_hash(svc.ip_secret, request.remote_addr, svc.clock()),
                user_agent=request.user_agent.string, parent=form.parent.data or "",
            )  # fmt: skip
            flash(str(PENDING), "pending")
            return redirect(target.action + "#commentaires", 303)
    except InvalidParent as error:
        form.parent.data = ""
        return _render(target, form, 400, PARENT_MESSAGES[error.code])
    except redis.RedisError as error:
        log.warning("Redis unavailable while saving a comment: %s", error)
        return _render(target, form, 503, STORE_DOWN)
    status = 403 if form.captcha.captcha_error else 400
    return _render(target, form, status)


def _count_captcha(field: object) -> None:
    """The outcome of the form's CAPTCHA check, if it was checked at all (other
    fields' errors or a missing token stop validation before it)."""
    error = getattr(field, "captcha_error", None)
    if error is not None:
        metrics.CAPTCHA_CHECKS.labels(error.code.removeprefix("captcha_")).inc()
    elif getattr(field, "passed", None) is not None:
        metrics.CAPTCHA_CHECKS.labels("ok").inc()


def store_down() -> tuple:
    """The thread page with the reader's text kept, when Redis failed early."""
    target = _request_target()
    return _render(target, CommentForm(thread=target.thread, site=target.site), 503, STORE_DOWN)


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple | Response:
    """On the comment form, keep the reader's text rather than a bare 400."""
    if request.endpoint in {"pages.article", "pages.site_thread"}:
        target = _request_target()
        form = CommentForm(thread=target.thread, site=target.site)
        return _render(target, form, 400, SESSION_EXPIRED)
    return render_template("error.html", status=400, message=FORM_EXPIRED), 400


@bp.after_request
def vary(response: Response) -> Response:
    """Articles have one language; a site's thread page follows the reader's."""
    if request.endpoint == "pages.site_thread":
        response.vary.add("Accept-Language")
    return response
