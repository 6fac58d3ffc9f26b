"""The container files name commands and settings that exist."""

import importlib
import re
import threading
from pathlib import Path

from werkzeug.serving import make_server

from moderation import healthcheck
from moderation.cli import main
from moderation.redis_server import free_port

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
    assert 'HEALTHCHECK' in dockerfile and '"moderation.healthcheck"' in dockerfile
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("PORT", "8123")
    from moderation import gunicorn_conf

    settings = importlib.reload(gunicorn_conf)
    assert settings.workers == 3
    assert settings.logger_class == "moderation.logs.JsonAccessLogger"
    assert settings.bind == "0.0.0.0:8123"


def test_the_health_check_asks_the_port_gunicorn_listens_on(monkeypatch, app):
    """The image's HEALTHCHECK follows PORT or BIND: a container started on
    another port than 8000 reports its real health."""
    assert healthcheck.bind_address({}) == "0.0.0.0:8000"
    assert healthcheck.bind_address({"PORT": "9000"}) == "0.0.0.0:9000"
    assert healthcheck.bind_address({"BIND": "10.1.2.3:81", "PORT": "9000"}) == "10.1.2.3:81"
    assert healthcheck.probe_url("[::]:8000") == "http://127.0.0.1:8000/healthz"
    monkeypatch.delenv("BIND", raising=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("PORT", str(server.server_port))
        assert healthcheck.main() == 0
    finally:
        server.shutdown()
        server.server_close()
    monkeypatch.setenv("PORT", str(free_port()))
    assert healthcheck.main() == 1
