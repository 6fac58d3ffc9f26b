"""The container files name commands and settings that exist."""

import importlib
import re
from pathlib import Path

from moderation.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_compose_worker_command_exists():
    compose = (ROOT / "docker-compose.yml").read_text()
    command = re.search(r'command: \["moderation", "worker", (.*)\]', compose)[1]
    options = {option for param in main.commands["worker"].params for option in param.opts}
    assert set(re.findall(r'"(--[a-z-]+)"', command)) <= options
    assert "appendfsync\", \"always" in compose


def test_the_image_runs_gunicorn_with_our_settings(monkeypatch):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn -c python:moderation.gunicorn_conf 'moderation:create_app()'" in dockerfile
    assert re.search(r"^USER moderation$", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("WEB_WORKERS", "3")
    from moderation import gunicorn_conf

    settings = importlib.reload(gunicorn_conf)
    assert settings.workers == 3
    assert settings.logger_class == "moderation.logs.JsonAccessLogger"


def test_the_healthcheck_follows_the_port_gunicorn_binds(monkeypatch):
    from moderation import gunicorn_conf
    from moderation.healthcheck import health_url

    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "moderation.healthcheck"]' in dockerfile
    monkeypatch.delenv("BIND", raising=False)
    monkeypatch.setenv("PORT", "9000")
    assert health_url(importlib.reload(gunicorn_conf).bind) == "http://127.0.0.1:9000/healthz"
    monkeypatch.setenv("BIND", "[::]:8123")
    assert health_url(importlib.reload(gunicorn_conf).bind) == "http://[::1]:8123/healthz"
    monkeypatch.setenv("BIND", "10.1.2.3:8080")
    assert health_url(importlib.reload(gunicorn_conf).bind) == "http://10.1.2.3:8080/healthz"
    monkeypatch.delenv("BIND")
    monkeypatch.delenv("PORT")
    assert importlib.reload(gunicorn_conf).bind == "0.0.0.0:8000"


def test_the_healthcheck_answers_for_a_server_on_its_port(monkeypatch, app):
    """A real server on a port of its own: healthy; nothing there: unhealthy."""
    import threading

    from werkzeug.serving import make_server

    from moderation import healthcheck
    from moderation.redis_server import free_port

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("BIND", f"127.0.0.1:{server.server_port}")
        importlib.reload(importlib.import_module("moderation.gunicorn_conf"))
        assert healthcheck.main() == 0
        monkeypatch.setenv("BIND", f"127.0.0.1:{free_port()}")
        importlib.reload(importlib.import_module("moderation.gunicorn_conf"))
        assert healthcheck.main() == 1
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.delenv("BIND")
        importlib.reload(importlib.import_module("moderation.gunicorn_conf"))
