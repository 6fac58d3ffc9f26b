"""Liveness and readiness for load balancers and orchestrators."""

import redis
from flask import Blueprint, Response, jsonify

from moderation.services import services
from moderation.web.errors import api_error

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers; says nothing of Redis, so it is never restarted for it."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Response:
    """Ready only while Redis answers: take the instance out of rotation otherwise."""
    try:
        services().redis.ping()
    except redis.RedisError:
        return api_error(503, "store_unavailable", "Redis does not answer.")
    return jsonify({"status": "ready"})
