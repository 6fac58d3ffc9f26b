"""The moderation API for integrations (``Authorization: Bearer <token>``).

A token sees the sites its account is granted at the moment of the request,
or fewer if it was made for some sites only; any other site answers 403
``forbidden_site``, whether it exists or not. Error messages follow
``Accept-Language`` (else ``DEFAULT_LANG``); the ``code`` and ``field`` of an
error are the stable part for programs."""

from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _

from moderation.accounts import Accounts
from moderation.services import services
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.sites import THREAD_NAME
from moderation.store import STATUSES, CommentNotFound, StatusConflict
from moderation.web.body import json_object
from moderation.web.errors import ApiError, api_error, page_args

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation")

DECISIONS = {"approve": "approved", "reject": "rejected", "spam": "spam", "review": "review"}
PAGE_MAX = 200


def _accounts() -> Accounts:
    return services().accounts


def _bearer() -> tuple[Any, Any]:
    """The request's API token and its account, or (None, None)."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    bearer = _accounts().authenticate(token.strip()) if scheme.lower() == "bearer" else None
    account = _accounts().get(bearer.email) if bearer else None
    return (bearer, account) if account is not None else (None, None)


def bearer_moderator(site: str) -> str | None:
    """The moderator whose token the request carries, if it may see ``site``
    (a reader's report from them counts as trusted)."""
    bearer, account = _bearer()
    if account is None or not account.may_see(site):
        return None
    return account.email if bearer.sites is None or site in bearer.sites else None


def token_required(view: Any) -> Any:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        bearer, account = _bearer()
        if bearer is None or account is None:
            response = api_error(401, "unauthorized", _("Missing or invalid API token."))
            response.headers["WWW-Authenticate"] = 'Bearer realm="moderation"'
            return response
        g.moderator = account.email
        visible = account.visible(services().sites.names())
        g.api_sites = [site for site in visible if bearer.sites is None or site in bearer.sites]
        g.api_every_site = account.owner and bearer.sites is None
        return view(*args, **kwargs)

    return guarded


def _site() -> str:
    """The site asked for (``?site=``, default ours) if the token may see it;
    every call is written to that site's audit log."""
    site = request.args.get("site") or DEFAULT_SITE
    if site not in g.api_sites:
        if g.api_every_site and site not in services().sites.names():
            raise ApiError(404, "site_not_found", _("This site does not exist."), "site")
        raise ApiError(403, "forbidden_site",
                       _("This token may not see the site %(site)s.", site=site[:64]),
                       "site")  # fmt: skip
    services().audit_for(site).api_call(g.moderator, request.method, request.path)
    return site


def moderator_view(comment: Any, features: list | None = None) -> dict[str, Any]:
    """Everything a moderator needs to decide; the e-mail included, never the IP hash.
    ``features``: why the classifier scored it so (moderation/explanations.py)."""
    return {
        **comment.public(),
        "email": comment.email,
        "status": comment.status,
        "score": float(comment.score) if comment.score else None,
        "model_version": comment.model_version or None,
        "features": [list(item) for item in features or []],
        "rules": comment.rules_list,
        "site": comment.site,
    }


@bp.get("/queue")
@token_required
def queue() -> Response:
    status = request.args.get("status", "review")
    if status not in STATUSES:
        raise ApiError(400, "invalid_status",
                       _("status must be one of %(values)s.", values=", ".join(STATUSES)),
                       "status")  # fmt: skip
    cursor, limit = page_args("cursor", 50, PAGE_MAX)
    store = services().store_for(_site())
    comments, after = store.in_status(status, after=cursor, limit=limit)
    explained = services().explainer().explain(comments)
    return jsonify({
        "status": status, "count": store.count(status),
        "items": [moderator_view(comment, explained.get(comment.id)) for comment in comments],
        "next": after,
    })  # fmt: skip


@bp.post("/comments/<comment_id>/decision")
@token_required
def decide(comment_id: str) -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", _("The body must be a JSON object."))
    decision = body.get("decision")
    if decision not in DECISIONS:
        raise ApiError(
            400,
            "invalid_decision",
            _("decision must be one of %(values)s.", values=", ".join(DECISIONS)),
            "decision",
        )
    expected = body.get("expected")
    if expected is not None and expected not in STATUSES:
        raise ApiError(400, "invalid_status", _("expected is not a status."), "expected")
    try:
        previous = (
            services()
            .store_for(_site())
            .decide(comment_id, DECISIONS[decision], g.moderator, expected=expected, via="api")
        )
    except CommentNotFound as error:
        raise ApiError(404, "comment_not_found", _("This comment does not exist.")) from error
    except StatusConflict as error:
        message = _(
            "Another moderator already decided: the comment is “%(status)s”.", status=error.current
        )
        return api_error(409, "conflict", message)
    return jsonify({"id": comment_id, "status": DECISIONS[decision], "previous": previous})


def _thread(site: str, thread: str) -> str:
    """A thread of ``site``: one of our articles, or a well-formed id elsewhere."""
    known = thread in services().articles if site == DEFAULT_SITE else THREAD_NAME.fullmatch(thread)
    if not known:
        raise ApiError(404, "thread_not_found", _("This discussion does not exist."))
    return thread


def _no_body_or_an_object() -> None:
    """These actions need no body; one that is sent must still be a JSON object."""
    if request.content_length or request.mimetype == "application/json":
        json_object(request)


def _state(site: str, thread: str) -> Response:
    closed = services().closed_threads.is_closed(site, thread)
    return jsonify({"site": site, "thread": thread, "closed": closed})


def _closing(thread: str, closed: bool) -> Response:
    _no_body_or_an_object()
    site = _site()
    thread = _thread(site, thread)
    services().closed_threads.set_closed(site, thread, closed, g.moderator, via="api")
    return _state(site, thread)


@bp.get("/threads/<thread>")
@token_required
def thread_state(thread: str) -> Response:
    """Whether a thread takes comments (closed by a moderator or by age)."""
    site = _site()
    return _state(site, _thread(site, thread))


@bp.post("/threads/<thread>/close")
@token_required
def close_thread(thread: str) -> Response:
    return _closing(thread, True)


@bp.post("/threads/<thread>/reopen")
@token_required
def reopen_thread(thread: str) -> Response:
    return _closing(thread, False)


@bp.post("/comments/<comment_id>/reports/dismiss")
@token_required
def dismiss_reports(comment_id: str) -> Response:
    """Readers' reports found unfounded: the comment stays (or is again)
    published, and further reports need twice as many."""
    _no_body_or_an_object()
    site = _site()
    try:
        dismissed = services().reports_for(site).dismiss(comment_id, g.moderator, via="api")
    except CommentNotFound as error:
        raise ApiError(404, "comment_not_found", _("This comment does not exist.")) from error
    return jsonify({"id": comment_id, "dismissed": dismissed})
