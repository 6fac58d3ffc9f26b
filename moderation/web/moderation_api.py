"""The moderation API for integrations (``Authorization: Bearer <token>``)."""

from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from moderation.accounts import Accounts
from moderation.services import services
from moderation.sites import DEFAULT as DEFAULT_SITE
from moderation.store import STATUSES, CommentNotFound, StatusConflict, is_comment_id
from moderation.web.errors import ApiError, api_error

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/moderation")

DECISIONS = {"approve": "approved", "reject": "rejected", "spam": "spam", "review": "review"}
PAGE_MAX = 200


def _accounts() -> Accounts:
    return services().accounts


def token_required(view: Any) -> Any:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        email = _accounts().authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if email is None:
            response = api_error(401, "unauthorized", "Jeton d’API absent ou invalide.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="moderation"'
            return response
        g.moderator = email
        services().audit.api_call(email, request.method, request.path)
        return view(*args, **kwargs)

    return guarded


def _site() -> str:
    site = request.args.get("site") or DEFAULT_SITE
    if site not in services().sites.names():
        raise ApiError(404, "site_not_found", "Ce site n’existe pas.", "site")
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
        raise ApiError(400, "invalid_status", f"status doit être l’un de {', '.join(STATUSES)}.",
                       "status")  # fmt: skip
    cursor = request.args.get("cursor") or None
    if cursor is not None and not is_comment_id(cursor):
        raise ApiError(400, "invalid_cursor", "Curseur invalide.", "cursor")
    limit = request.args.get("limit", "50")
    if not limit.isdecimal() or not 1 <= int(limit) <= PAGE_MAX:
        raise ApiError(400, "invalid_limit", f"limit doit être entre 1 et {PAGE_MAX}.", "limit")
    store = services().store_for(_site())
    comments, after = store.in_status(status, after=cursor, limit=int(limit))
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
        raise ApiError(400, "invalid_json", "Le corps doit être un objet JSON.")
    decision = body.get("decision")
    if decision not in DECISIONS:
        raise ApiError(
            400,
            "invalid_decision",
            f"decision doit être l’un de {', '.join(DECISIONS)}.",
            "decision",
        )
    expected = body.get("expected")
    if expected is not None and expected not in STATUSES:
        raise ApiError(400, "invalid_status", "expected n’est pas un statut.", "expected")
    try:
        previous = (
            services()
            .store_for(_site())
            .decide(comment_id, DECISIONS[decision], g.moderator, expected=expected, via="api")
        )
    except CommentNotFound as error:
        raise ApiError(404, "comment_not_found", "Ce commentaire n’existe pas.") from error
    except StatusConflict as error:
        message = f"Un autre modérateur a déjà décidé : le commentaire est « {error.current} »."
        return api_error(409, "conflict", message)
    return jsonify({"id": comment_id, "status": DECISIONS[decision], "previous": previous})
