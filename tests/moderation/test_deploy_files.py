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
