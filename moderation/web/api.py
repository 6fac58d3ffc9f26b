"""The public JSON API (``/api/v1``)."""

import contextlib
import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from captcha import CaptchaError, raise_for
from captcha.errors import OUTCOMES
from moderation import bot_traps, i18n
from moderation.articles import is_slug
from moderation.limits import client_key, comment_limits, report_limits, spend_question
from moderation.services import services
from moderation.sites import DEFAULT, DEMO_THREAD, THREAD_NAME
from moderation.store import CommentNotFound, InvalidParent, is_comment_id, iso8601, new_comment_id
from moderation.store.edits import AuthorEdits, BadEditKey, EditWindowClosed
from moderation.store.reports import REASONS, AlreadyReported, NotPublished
from moderation.submission import Attempt
from moderation.thread_urls import URL_MAX, ThreadUrls
from moderation.validation import InvalidField, clean_body, clean_comment, clean_report
from moderation.web import cached, openapi
from moderation.web.body import json_object
from moderation.web.cors import Unregistered, add_cors_headers, request_site
from moderation.web.errors import MESSAGES, ApiError, api_error, page_args
from moderation.web.moderation_api import bearer_moderator

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PAGE_MAX = 500


# A registered site names its threads itself (typically its article slugs).


@bp.after_request
def cors(response: Response) -> Response:
    return add_cors_headers(request, response)


def _site() -> str:
    try:
        return request_site(request)
    except Unregistered as error:
        message = _("This site may not use the comments.")
        raise ApiError(403, "origin_not_allowed", message) from error


def _known_thread(thread: str | None, field: str = "thread") -> str:
    """A thread of the request's site: an article of ours, or any well-formed
    id for a registered site."""
    if not thread:
        raise ApiError(400, "required", _("The thread parameter is required."), field)
    if _site() != DEFAULT:
        if not THREAD_NAME.fullmatch(thread):
            raise ApiError(400, "invalid_thread", _("Invalid discussion identifier."), field)
        return thread
    if not is_slug(thread):
        raise ApiError(400, "invalid_thread", _("Invalid discussion identifier."), field)
    if thread not in services().articles and thread != DEMO_THREAD:
        raise ApiError(404, "thread_not_found", _("This discussion does not exist."), field)
    return thread


def _captcha(body: dict[str, Any]) -> tuple[str, object]:
    captcha = body.get("captcha")
    if not isinstance(captcha, dict):
        raise ApiError(
            400, "required", _("The captcha object {token, answer} is required."), "captcha"
        )
    token, answer = captcha.get("token"), captcha.get("answer")
    if not isinstance(token, str) or not token:
        raise ApiError(400, "required", _("captcha.token is required."), "captcha.token")
    if isinstance(answer, bool) or not isinstance(answer, str | int):
        raise ApiError(
            400, "invalid_type", _("captcha.answer must be a number or text."), "captcha.answer"
        )
    return token, answer


CLOSED = _l("Comments are closed.")


def _closed() -> ApiError:
    return ApiError(403, "thread_closed", str(CLOSED), "thread")


PARENT_MESSAGES = {
    "parent_not_found": _l("The comment you are replying to does not exist "
                           "or is not published in this discussion."),
    "invalid_parent": _l("Only a published comment can be answered, not a reply."),
}  # fmt: skip


def _parent(value: object) -> str:
    """The comment a reply answers ('' for none); checked for real by the store."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not is_comment_id(value):
        raise ApiError(400, "invalid_parent", _("parent must be a comment's identifier."),
                       "parent")  # fmt: skip
    return value


def _lang(value: object) -> str:
    """The language of the page the reader wrote on (the widget says it), for
    the e-mails they asked for; else the request's."""
    if value is not None and value not in i18n.LANGUAGES:
        raise ApiError(400, "invalid_lang", _("lang must be fr or en."), "lang")
    return value if isinstance(value, str) else i18n.current()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/origin")
def origin_check() -> Response:
    """Whether the calling page's origin may use the API. Readable by any page
    (it says nothing else), so the widget can explain a refusal clearly."""
    try:
        site = request_site(request)
    except Unregistered:
        site = None
    response = jsonify({"allowed": site is not None})
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """This API's description (``moderation/openapi.json``)."""
    return openapi.serve(request)


@bp.get("/challenge")
def challenge() -> Response:
    # The same budget as the pages that show the form (limits.spend_question).
    wait = spend_question()
    if wait:
        response = api_error(429, "rate_limited", str(MESSAGES[429]))
        response.headers["Retry-After"] = str(wait)
        return response
    thread = _known_thread(request.args.get("thread"))
    site = _site()
    svc = services()
    # Two reads, then a write that skips the disk (see ChallengeStore.issue).
    wait = svc.submitter.locked_out(site, client_key())
    if wait:
        message = _("Too many wrong answers: try again later.")
        response = api_error(429, "too_many_wrong_answers", message, "thread")
        response.headers["Retry-After"] = str(wait)
        return response
    page, title = request.args.get("page", ""), request.args.get("title", "")
    if site != DEFAULT and (page or title):  # where the widget runs, for the page without it
        with contextlib.suppress(ValueError):
            ThreadUrls(svc.redis, site).seen(thread, page, request.headers.get("Origin", ""),
                                             title)  # fmt: skip
    if svc.closed_threads.is_closed(site, thread):  # no question: nothing can be posted
        raise _closed()
    issued = svc.challenges.issue(thread, namespace=site)
    return _no_store(jsonify(
        {"token": issued.token, "question": issued.question, "expires_in": issued.expires_in}
    ))  # fmt: skip


@bp.post("/threads/<thread>/comments")
@comment_limits
def post_comment(thread: str) -> tuple[Response, int, dict[str, str]]:
    thread = _known_thread(thread)
    body = json_object(request)
    try:
        data = clean_comment(
            body.get("author"), body.get("email"), body.get("body"), body.get("url")
        )
    except InvalidField as error:
        raise ApiError(400, error.code, error.message, error.field) from error
    token, answer = _captcha(body)
    parent = _parent(body.get("parent"))
    notify = body.get("notify", False)
    if not isinstance(notify, bool):
        raise ApiError(400, "invalid_type", _("notify must be true or false."), "notify")
    site = _site()
    attempt = Attempt(
        site=site, thread=thread, data=data, token=token, answer=answer, client=client_key(),
        remote_addr=request.remote_addr, user_agent=request.user_agent.string,
        honeypot=body.get(bot_traps.HONEYPOT) not in (None, ""), parent=parent,
        notify=notify, lang=_lang(body.get("lang")),
    )  # fmt: skip
    # Inputs were checked first, so a typo does not burn the reader's answer;
    # then one script applies the lock-out, checks the answer, springs the
    # traps, saves and queues (moderation/submission.py).
    try:
        submission = services().submitter.submit(attempt)
    except InvalidParent as error:
        raise ApiError(400, error.code, PARENT_MESSAGES[error.code], "parent") from error
    if submission.outcome == "closed":
        raise _closed()
    if submission.outcome == "locked":
        message = _("Too many wrong answers: try again later.")
        response = api_error(429, "too_many_wrong_answers", message, "captcha")
        return response, 429, {"Retry-After": str(submission.retry_after)}
    try:
        if submission.outcome in OUTCOMES:
            raise_for(submission.outcome)
    except CaptchaError as error:
        raise ApiError(403, error.code, _(str(error)), "captcha.answer") from error
    if submission.comment is None:  # trapped: answered exactly like a success, stored nowhere
        comment_id = new_comment_id(submission.at)
    else:
        comment_id = submission.comment.id
    edits = services().edits_for(site)
    response = _no_store(jsonify({"id": comment_id, "status": "pending",
                                  "edit_key": submission.edit_key,
                                  "edit_until": iso8601(edits.until(comment_id))}))  # fmt: skip
    return response, 202, {"Location": url_for("api.comment_status", comment_id=comment_id)}


PAGE_FORMAT = 2  # bump when the page's JSON changes shape: old ETags must not match


@bp.get("/threads/<thread>/comments")
def list_comments(thread: str) -> Response:
    """Served from the process's page cache while the thread's approved list
    is unchanged (one Redis round trip), and answered 304 to a matching ETag
    (compared weakly) or, without one, to an unchanged Last-Modified."""
    thread = _known_thread(thread)
    after, limit = page_args("after", 200, PAGE_MAX)
    site = _site()
    store = services().store_for(site)
    closed = services().closed_threads.is_closed(site, thread)

    def page() -> bytes:
        comments, cursor = store.approved(thread, after=after, limit=limit)
        return json.dumps(
            {"thread": thread, "comments": [c.public() for c in comments], "next": cursor,
             "closed": closed},
            ensure_ascii=False, separators=(",", ":"),
        ).encode()  # fmt: skip

    # Shared caches keep it a few seconds; revalidation then costs a 304.
    # Closing the thread changes the key, hence the body and its ETag.
    return cached.published(store, thread, (PAGE_FORMAT, site, thread, after, limit, closed),
                            page, mimetype="application/json")


@bp.get("/threads")
def find_thread() -> Response:
    """The thread of a page whose comments were imported, by the page's
    address (the widget's ``data-url``)."""
    url = request.args.get("url", "")
    if not url:
        raise ApiError(400, "required", _("The url parameter is required."), "url")
    urls = ThreadUrls(services().redis, _site())
    try:
        if len(url) > URL_MAX:
            raise ValueError(url)
        thread = urls.find(url)
    except ValueError as error:
        raise ApiError(400, "invalid_url", _("The page address is not valid."), "url") from error
    if thread is None:
        message = _("No discussion is known for this page.")
        raise ApiError(404, "thread_not_found", message, "url")
    response = jsonify({"thread": thread, "url": urls.url(thread)})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/threads/<thread>/count")
def count_comments(thread: str) -> Response:
    """How many comments a thread has published: for listing pages (count.js)."""
    thread = _known_thread(thread)
    count = services().store_for(_site()).approved_count(thread)
    response = jsonify({"thread": thread, "count": count})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/comments/<comment_id>")
def comment_status(comment_id: str) -> Response:
    store = services().store_for(_site())
    comment = store.get(comment_id)  # None for an unknown or malformed id
    if comment is None:
        raise ApiError(404, "comment_not_found", _("This comment does not exist."))
    payload = {"id": comment.id, "status": comment.status, "thread": comment.thread}
    if comment.status == "approved":
        payload.update(comment.public())
    return _no_store(jsonify(payload))


@bp.post("/comments/<comment_id>/reports")
@report_limits
def report_comment(comment_id: str) -> tuple[Response, int]:
    """A reader reports a published comment: once per client (``client_key``);
    enough reports, or one with a moderator's token, send it back to review.
    The answer is the same whatever the report led to."""
    site = _site()
    body = json_object(request)
    try:
        reason, text = clean_report(body.get("reason"), body.get("text"), REASONS)
    except InvalidField as error:
        raise ApiError(400, error.code, error.message, error.field) from error
    moderator = bearer_moderator(site)
    try:
        if not is_comment_id(comment_id):
            raise NotPublished(comment_id)
        services().reports_for(site).report(comment_id, client_key(), reason, text,
                                            trusted=moderator is not None,
                                            who=moderator or "reader")  # fmt: skip
    except NotPublished as error:
        raise ApiError(404, "comment_not_found", _("This comment is not published.")) from error
    except AlreadyReported as error:
        raise ApiError(409, "already_reported",
                       _("You have already reported this comment.")) from error  # fmt: skip
    return _no_store(jsonify({"id": comment_id, "received": True})), 202


def _author_edit(comment_id: str, change: Callable[[AuthorEdits, str], str]) -> Response:
    """Run an author's edit with the request's ``X-Edit-Key``; the errors the
    issue names: 403 ``bad_edit_key`` or ``edit_window_closed``."""
    key = request.headers.get("X-Edit-Key", "")
    try:
        status = change(services().edits_for(_site()), key)
    except CommentNotFound as error:
        raise ApiError(404, "comment_not_found", _("This comment does not exist.")) from error
    except BadEditKey as error:
        raise ApiError(403, "bad_edit_key", _("This browser may not change this comment."),
                       "X-Edit-Key") from error  # fmt: skip
    except EditWindowClosed as error:
        raise ApiError(403, "edit_window_closed",
                       _("The time to change this comment is over.")) from error  # fmt: skip
    return _no_store(jsonify({"id": comment_id, "status": status}))


@bp.patch("/comments/<comment_id>")
def edit_comment(comment_id: str) -> Response:
    """The author's new text: a comment still waiting is classified again, a
    published one goes back to review until a moderator approves it again."""
    body = json_object(request)
    try:
        text = clean_body(body.get("body"))
    except InvalidField as error:
        raise ApiError(400, error.code, error.message, error.field) from error
    return _author_edit(comment_id, lambda edits, key: edits.edit(comment_id, key, text))


@bp.delete("/comments/<comment_id>")
def delete_comment(comment_id: str) -> Response:
    """The author deletes their comment: hidden at once, kept for the audit."""
    return _author_edit(comment_id, lambda edits, key: edits.delete(comment_id, key))
