"""``moderation serve``: the site under gunicorn, with an embedded Redis when
no ``REDIS_URL`` is given (its address recorded in the instance folder for
the other commands) and a ``moderation worker`` process beside it."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask

from moderation import embedded_redis
from moderation.cli.common import instance_path
from moderation.migrations import DataFormatError
from moderation.redis_server import RedisServer


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--no-worker", is_flag=True, help="Do not start a classifier worker beside the site.")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """Run the site. Without REDIS_URL, start an embedded, persistent Redis."""
    instance = instance_path()
    embedded: RedisServer | None = None
    classifier: subprocess.Popen[bytes] | None = None
    config_: dict[str, Any] = {"INSTANCE_PATH": str(instance)}
    if not os.environ.get("REDIS_URL"):
        try:
            embedded = embedded_redis.start(instance, "serve")
        except embedded_redis.EmbeddedRedisBusy as error:
            raise click.ClickException(str(error)) from error
        config_["REDIS_URL"] = embedded.url
        click.echo(f"Embedded Redis {embedded.url} (data in {embedded.data_dir})")
    owner = os.getpid()
    metrics_dir = _metrics_dir(instance)
    try:
        from moderation.app import create_app  # after the metrics folder is set

        try:
            app = create_app(config_)
        except DataFormatError as error:
            raise click.ClickException(str(error)) from error
        if not no_worker:
            classifier = _start_worker(config_.get("REDIS_URL") or os.environ["REDIS_URL"], owner)
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - display only
        click.echo(f"Open http://{shown}:{port}/")
        _serve(app, host, port, workers)
    finally:
        if os.getpid() == owner:  # not in a forked web worker
            if classifier is not None:
                _stop_worker(classifier)
            if embedded is not None and embedded_redis.stop(instance, embedded):
                click.echo("Embedded Redis stopped.")
            if metrics_dir is not None:
                shutil.rmtree(metrics_dir, ignore_errors=True)


def _start_worker(redis_url: str, owner: int) -> subprocess.Popen[bytes]:
    """``moderation worker`` in a process of its own, on the site's Redis."""
    env = {**os.environ, "REDIS_URL": redis_url}
    name = f"serve-{socket.gethostname()}-{owner}"
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "moderation.cli", "worker", "--name", name], env=env
    )


def _stop_worker(classifier: subprocess.Popen[bytes]) -> None:
    classifier.terminate()  # finishes its batch, then exits
    try:
        classifier.wait(timeout=30)
    except subprocess.TimeoutExpired:
        classifier.kill()


def _serve(app: Flask, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            from moderation import gunicorn_conf  # the container's settings, shared

            shared = ("worker_class", "accesslog", "control_socket_disable",
                      "graceful_timeout", "access_log_format", "logger_class",
                      "child_exit")  # fmt: skip
            settings: dict[str, Any] = {
                name: getattr(gunicorn_conf, name) for name in shared
                if hasattr(gunicorn_conf, name)
            }  # fmt: skip
            settings.update(bind=f"{host}:{port}", workers=workers)
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Server().run()


def _metrics_dir(instance: Path) -> Path | None:
    """Give the web processes and the worker one metrics folder (a new one for
    each run: prometheus-client sums every file in it), unless the operator set
    ``PROMETHEUS_MULTIPROC_DIR``. Returns the folder made here, to remove."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    folder = instance / f"metrics-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder
