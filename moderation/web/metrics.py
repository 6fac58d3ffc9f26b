"""``/metrics`` for Prometheus, and the counters every response feeds."""

import hmac

from flask import Blueprint, Flask, Response, abort, current_app, request

from moderation import metrics
from moderation.services import services

bp = Blueprint("metrics", __name__)

SUBMIT_ENDPOINTS = {"api.post_comment": "api", "pages.article": "form",
                    "pages.site_thread": "form"}  # fmt: skip


@bp.get("/metrics")
def exposition() -> Response:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(401)
    svc = services()
    collector = metrics.RedisCollector(svc.redis, svc.sites.names, svc.clock)
    # content_type, not mimetype: Flask would add a second charset to this one.
    return Response(metrics.exposition(collector), content_type=metrics.CONTENT_TYPE)


def register(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.after_request
    def count(response: Response) -> Response:
        via = SUBMIT_ENDPOINTS.get(request.endpoint or "")
        if via is not None and request.method == "POST":
            metrics.submission(via, response.status_code)
        if response.status_code == 429:
            metrics.RATE_LIMITED.labels(request.endpoint or "unknown").inc()
        return response
