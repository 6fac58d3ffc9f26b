"""Article pages and the comment form under them (Post/Redirect/Get)."""

import logging

import redis
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from moderation.articles import Article
from moderation.client_ip import ip_hash
from moderation.forms import CommentForm
from moderation.services import services
from moderation.validation import CommentInput

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

PENDING = "Votre commentaire est en attente de modération."
STORE_DOWN = (
    "Le service de commentaires est momentanément indisponible. Votre texte est conservé "
    "ci-dessous : réessayez dans un instant."
)
SESSION_EXPIRED = (
    "Votre session a expiré. Votre texte est conservé : répondez à la nouvelle question "
    "et envoyez à nouveau."
)


def _render(article: Article, form: CommentForm, status: int = 200, notice: str = "") -> tuple:
    """The article, its approved comments and the form with a fresh question."""
    svc = services()
    comments, comments_ok = [], True
    try:
        comments, _ = svc.comments.approved(article.slug, limit=500)
        form.ask(svc.challenges)
    except redis.RedisError as error:
        log.warning("Redis unavailable while rendering %s: %s", article.slug, error)
        comments_ok = False
        notice = notice or STORE_DOWN
        status = max(status, 503) if request.method == "POST" else status
    html = render_template(
        "article.html", article=article, form=form, comments=comments,
        comments_ok=comments_ok, notice=notice,
    )  # fmt: skip
    return html, status


def _article(slug: str) -> Article:
    article = services().articles.get(slug)
    if article is None:
        abort(404)
    return article


@bp.get("/")
def home() -> tuple:
    article = services().articles.newest()
    return _render(article, CommentForm(thread=article.slug))


@bp.route("/articles/<slug>", methods=["GET", "POST"])
def article(slug: str) -> tuple | Response:
    article = _article(slug)
    form = CommentForm(thread=article.slug)
    if request.method == "GET":
        return _render(article, form)
    svc = services()
    try:
        if form.validate_on_submit():
            svc.comments.save(
                article.slug,
                CommentInput(author=form.author.data, email=form.email.data,
                             body=form.body.data, url=form.url.data),
                ip_hash=ip_hash(svc.ip_secret, request.remote_addr),
                user_agent=request.user_agent.string,
            )  # fmt: skip
            flash(PENDING, "pending")
            return redirect(url_for(".article", slug=article.slug, _anchor="commentaires"), 303)
    except redis.RedisError as error:
        log.warning("Redis unavailable while saving a comment: %s", error)
        return _render(article, form, 503, STORE_DOWN)
    status = 403 if form.captcha.captcha_error else 400
    return _render(article, form, status)


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple | Response:
    """On the comment form, keep the reader's text rather than a bare 400."""
    if request.endpoint == "pages.article" and request.view_args:
        article = _article(request.view_args["slug"])
        return _render(article, CommentForm(thread=article.slug), 400, SESSION_EXPIRED)
    return render_template("error.html", status=400, message=error.description), 400
