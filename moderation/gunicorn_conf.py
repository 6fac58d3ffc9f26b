"""gunicorn settings for the container: ``gunicorn -c python:moderation.gunicorn_conf
'moderation:create_app()'``. ``moderation serve`` sets the same ones itself."""

import os

# PORT alone, or BIND as host:port; the image's HEALTHCHECK reads the same
# (moderation/healthcheck.py), so it follows a container started on another port.
bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "sync"
accesslog = "-"
control_socket_disable = True
graceful_timeout = 30
if os.environ.get("LOG_FORMAT") == "json":
    # Access lines written by a JSON encoder: a format string breaks on a quote
    # or a backslash in the path.
    logger_class = "moderation.logs.JsonAccessLogger"


def child_exit(_server: object, worker: object) -> None:
    """Let prometheus-client drop a dead web process's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
