"""Article pages and the comment form under them (Post/Redirect/Get)."""

import logging
from dataclasses import dataclass

import redis
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from captcha.errors import OUTCOMES
from moderation import i18n
from moderation.articles import Article
from moderation.forms import CommentForm
from moderation.limits import client_key, comment_limits, spend_question
from moderation.services import services
from moderation.sites import DEFAULT, THREAD_NAME
from moderation.store import Comment, InvalidParent, new_comment_id
from moderation.submission import Attempt
from moderation.thread_urls import ThreadUrls
from moderation.validation import CommentInput
from moderation.web import edit_cookie, errors, remember_cookie
from moderation.web.api import PARENT_MESSAGES

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

PENDING = _l("Your comment is awaiting moderation.")
CONFIRM_SENT = _l("If this address has not confirmed reply e-mails yet, a message asks it to: "
                  "nothing else is sent until then.")
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
    comments, comments_ok, replying_to, no_question, closed = [], True, None, "", False
    form.captcha_token.data = ""  # a question is shown only if one is issued now
    try:
        comments, _cursor = svc.store_for(target.site).approved(target.thread, limit=500)
        closed = svc.closed_threads.is_closed(target.site, target.thread)
        wanted = request.args.get("reply") if request.method == "GET" else form.parent.data
        replying_to = None if closed else next(
            (c for c in comments if c.id == wanted and not c.parent), None)
        form.parent.data = replying_to.id if replying_to else ""
        if not closed:  # a closed thread shows no form, so asks no question
            notice, status, no_question = _question(target, form, notice, status)
    except redis.RedisError as error:
        log.warning("Redis unavailable while rendering %s: %s", target.thread, error)
        comments_ok = False
        notice = notice or STORE_DOWN
        status = max(status, 503) if request.method == "POST" else status
    html = render_template(
        "article.html" if target.article else "site_thread.html",
        article=target.article, site=target.site, thread=target.thread, action=target.action,
        form=form, comments=threaded(comments), count=len(comments), comments_ok=comments_ok,
        notice=notice, replying_to=replying_to, no_question=no_question, closed=closed,
        **(_embedding_page(target) if target.article is None else {}),
    )  # fmt: skip
    return html, status


def _embedding_page(target: Thread) -> dict[str, str]:
    """The title and address of the page that embeds a site's thread, as its
    widget last reported them (or an import kept them); blank when unknown."""
    urls = ThreadUrls(services().redis, target.site)
    try:
        return {"title": urls.title(target.thread), "back_url": urls.url(target.thread)}
    except redis.RedisError:
        return {"title": "", "back_url": ""}


def _question(target: Thread, form: CommentForm, notice: str, status: int) -> tuple:
    """Put a fresh question on the form if the client may have one (the
    questions' budget is the API's too); else say why: (notice, status, no_question)."""
    svc = services()
    if svc.submitter.locked_out(target.site, client_key()):
        return notice or TOO_MANY_WRONG, max(status, 429), ""
    if wait := spend_question():
        return notice, status, _no_question(wait)  # the page itself is served as usual
    form.ask(svc.challenges)
    return notice, status, ""


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
    if services().sites.get(site) is None or not THREAD_NAME.fullmatch(thread):
        abort(404)
    return Thread(site, thread, None)


def _request_target() -> Thread:
    """The thread of the article or site-thread route being served."""
    args = request.view_args or {}
    return find_thread(args.get("site", DEFAULT), args.get("slug") or args.get("thread", ""))


@bp.get("/")
def home() -> tuple:
    article = services().articles.newest()
    return _render(Thread(DEFAULT, article.slug, article),
                   _prefilled(CommentForm(thread=article.slug)))


def _prefilled(form: CommentForm) -> CommentForm:
    """The name, e-mail and website this browser asked to keep (« Se souvenir de moi »)."""
    kept = remember_cookie.remembered()
    for name, value in kept.items():
        form[name].data = value
    form.remember.data = bool(kept)
    return form


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
        return _render(target, _prefilled(form))
    try:
        if not form.validate_on_submit():  # every field but the answer, checked below
            return _render(target, form, 400)
        attempt = Attempt(
            site=target.site, thread=target.thread,
            data=CommentInput(author=form.author.data, email=form.email.data,
                              body=form.body.data, url=form.url.data),
            token=form.captcha_token.data or "", answer=form.captcha.data, client=client_key(),
            remote_addr=request.remote_addr, user_agent=request.user_agent.string,
            honeypot=form.homepage.data not in (None, ""), parent=form.parent.data or "",
            notify=bool(form.notify.data), lang=i18n.current(),
        )  # fmt: skip
        # One script applies the lock-out, checks the answer, springs the bot
        # traps, saves and queues: the API's own path (moderation/submission.py).
        submission = services().submitter.submit(attempt)
    except InvalidParent as error:
        form.parent.data = ""
        return _render(target, form, 400, PARENT_MESSAGES[error.code])
    except redis.RedisError as error:
        log.warning("Redis unavailable while saving a comment: %s", error)
        return _render(target, form, 503, STORE_DOWN)
    if submission.outcome == "closed":  # the page then says so instead of the form
        return _render(target, form, 403)
    if submission.outcome == "locked":
        return _render(target, form, 429, TOO_MANY_WRONG)
    if submission.outcome in OUTCOMES:  # the reader's text stays, with a new question
        form.captcha.errors = [gettext(OUTCOMES[submission.outcome].message)]
        return _render(target, form, 403)
    # Saved, or caught by a bot trap: the same answer, so a bot learns nothing.
    flash(str(PENDING), "pending")
    response = redirect(target.action + "#commentaires", 303)
    comment_id = submission.comment.id if submission.comment else new_comment_id(submission.at)
    until = services().edits_for(target.site).until(comment_id)
    edit_cookie.remember(response, comment_id, submission.edit_key, until)
    remember_cookie.keep(response, bool(form.remember.data),
                         {"author": form.author.data, "email": form.email.data,
                          "url": form.url.data})  # fmt: skip
    if form.notify.data:
        flash(str(CONFIRM_SENT), "pending")
    return response


@bp.errorhandler(redis.RedisError)
def store_down(error: redis.RedisError) -> tuple | Response:
    """Redis failed before the view could answer (the rate limiter could not
    reach it, say): a comment sent still gets the thread page back with the
    reader's text kept; anything else the app's own 503."""
    if request.method != "POST":
        return errors.store_error(error)
    log.warning("Redis unavailable before saving a comment: %s", error)
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
