"""The ``moderation`` command."""

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask

from moderation.app import create_app
from moderation.redis_server import RedisServer


def _instance_path() -> Path:
    """Where the secret key and embedded Redis live: $INSTANCE_PATH, else ./instance."""
    return Path(os.environ.get("INSTANCE_PATH") or "instance").resolve()


def _serve(app: Flask, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "sync",
                "accesslog": "-",
                "control_socket_disable": True,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Server().run()


@click.group()
def main() -> None:
    """Comment service: web site, review queue and tools."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
def serve(host: str, port: int, workers: int) -> None:
    """Run the site. Without REDIS_URL, start an embedded, persistent Redis."""
    instance = _instance_path()
    embedded: RedisServer | None = None
    config: dict[str, Any] = {"INSTANCE_PATH": str(instance)}
    if not os.environ.get("REDIS_URL"):
        embedded = RedisServer(instance / "redis", persistent=True).start()
        config["REDIS_URL"] = embedded.url
        click.echo(f"Embedded Redis {embedded.url} (data in {embedded.data_dir})")
    try:
        app = create_app(config)
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - display only
        click.echo(f"Open http://{shown}:{port}/")
        _serve(app, host, port, workers)
    finally:
        if embedded is not None and embedded.stop():
            click.echo("Embedded Redis stopped.")


if __name__ == "__main__":
    main()
