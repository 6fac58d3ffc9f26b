"""The application factory."""

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from moderation import config, i18n, limits, logs, migrations
from moderation.rendering import author_link, render_comment
from moderation.services import build, load_or_create_secret
from moderation.web.head import HeadAsGet

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then environment variables, then ``test_config``.

    ``test_config`` may also carry ``CLOCK`` (a callable returning epoch
    seconds) so tests control time without sleeping.
    """
    settings = config.from_environ()
    settings.update(test_config or {})
    instance_path = settings.get("INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
    )
    app.config.update(settings)
    if not app.config.get("REDIS_URL") and not app.config.get("REDIS_CLIENT"):
        raise RuntimeError(
            "REDIS_URL is not set: point it at a Redis server, or run `moderation serve`, "
            "which starts an embedded one"
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret(Path(app.instance_path))
    app.config.update(
        MAX_CONTENT_LENGTH=app.config["MAX_BODY_BYTES"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=app.config["MODERATOR_IDLE_MINUTES"] * 60,
        JSON_SORT_KEYS=False,
    )

    clock = app.config.get("CLOCK") or time.time
    services = build(app, clock=clock)
    app.extensions["moderation"] = services
    try:
        migrations.ensure_current(services.redis, app.config["AUTO_MIGRATE"])
    except redis.RedisError as error:  # Redis down: checked by the workers, and next start
        log.warning("could not check the data format in Redis: %s", error)
    try:
        services.queue.ensure_group()
    except redis.RedisError as error:  # the worker creates it too; do not refuse to start
        log.warning("could not create the review consumer group yet: %s", error)

    app.wsgi_app = HeadAsGet(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    if app.config["LOG_FORMAT"] == "json" and not app.config.get("TESTING"):
        logs.configure("json")  # gunicorn started directly (the container) reads no CLI
    logs.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    csrf = CSRFProtect(app)
    _register_filters(app)

    from moderation.web import (
        admin,
        admin_edits,
        admin_reports,
        admin_threads,
        api,
        author_pages,  # noqa: F401 - adds the author panel to admin's blueprint
        conditional,
        decision_log,  # noqa: F401 - adds the decision log to admin's blueprint
        decisions,  # noqa: F401 - adds the queue's decisions and undo to admin's blueprint
        edit_pages,
        embed_page,
        errors,
        feeds,
        form_text,
        health,
        moderation_api,
        pages,
        queue_live,  # noqa: F401 - adds the queue's live state to admin's blueprint
        reply_pages,
        report_pages,
        security,
        spam_pages,  # noqa: F401 - adds « Vider le spam » to admin's blueprint
        team,
        two_factor_pages,
        widget,
    )
    from moderation.web import metrics as web_metrics

    csrf.exempt(api.bp)  # JSON only, same-origin; the CAPTCHA token allows one comment
    csrf.exempt(moderation_api.bp)  # bearer tokens, no cookies: nothing for CSRF to ride on
    csrf.exempt(reply_pages.bp)  # a signed token in the link is the proof (RFC 8058 one-click)
    app.register_blueprint(pages.bp)
    app.register_blueprint(report_pages.bp)
    app.register_blueprint(edit_pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(moderation_api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(admin_threads.bp)
    app.register_blueprint(admin_reports.bp)
    app.register_blueprint(admin_edits.bp)
    app.register_blueprint(two_factor_pages.bp)
    app.register_blueprint(team.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(embed_page.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(reply_pages.bp)
    errors.register(app)
    conditional.register(app)
    form_text.register(app)  # after errors: it extends the request class set there
    security.register(app)
    web_metrics.register(app)
    return app


def _register_filters(app: Flask) -> None:
    app.add_template_filter(i18n.long_datetime, "long_date")
    app.add_template_filter(i18n.relative_datetime, "ago")
    app.add_template_filter(
        lambda stamp: i18n.long_datetime(datetime.fromtimestamp(stamp, UTC)), "timestamp_date"
    )
    app.add_template_filter(i18n.short_datetime, "short_date")
    app.add_template_filter(
        lambda stamp: i18n.short_datetime(datetime.fromtimestamp(stamp, UTC)), "timestamp_short"
    )
    app.add_template_filter(render_comment, "comment_html")
    app.add_template_filter(author_link, "author_link")
