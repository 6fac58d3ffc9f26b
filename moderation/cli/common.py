"""What the commands share: the settings, the Redis connection, the instance
folder and the password prompt. Settings errors become usage errors.

Without ``REDIS_URL`` a command uses the embedded Redis of the ``moderation
serve`` running from the same instance folder, or starts that Redis itself
for as long as the command runs (see :mod:`moderation.embedded_redis`)."""

import os
import sys
from pathlib import Path
from typing import Any

import click

from moderation import config


def instance_path() -> Path:
    """Where the secret key and embedded Redis live: $INSTANCE_PATH, else ./instance."""
    return Path(os.environ.get("INSTANCE_PATH") or "instance").resolve()


def settings() -> dict[str, Any]:
    try:
        return config.from_environ()
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def redis_url() -> str:
    """``REDIS_URL``, else the embedded Redis of the instance folder."""
    url = settings()["REDIS_URL"]
    return url or _embedded_url()


def redis_client(min_timeout: float = 0.0, name: str | None = None) -> Any:
    """A client of :func:`redis_url`, its socket timeout at least ``min_timeout``."""
    from moderation.services import connect

    timeout = settings()["REDIS_SOCKET_TIMEOUT"]
    return connect(redis_url(), max(timeout, min_timeout), name=name)


def _embedded_url() -> str:
    from moderation import embedded_redis

    # One command may connect several times: it starts Redis at most once,
    # and stops it when the command ends (the root context closes).
    context = click.get_current_context().find_root()
    url = context.meta.get("moderation.redis_url")
    if url:
        return url
    instance = instance_path()
    found = embedded_redis.running(instance)
    if found is None:
        try:
            server = embedded_redis.start(instance, context.invoked_subcommand or "command")
        except embedded_redis.EmbeddedRedisBusy:  # started meanwhile by another command
            found = embedded_redis.running(instance)
        else:
            context.call_on_close(lambda: embedded_redis.stop(instance, server))
            click.echo(f"Embedded Redis {server.url} started for this command "
                       f"(data in {server.data_dir}).", err=True)  # fmt: skip
            url = server.url
    if found is not None:
        url = found.url
    if not url:
        raise click.ClickException("the embedded Redis stopped as this command started")
    context.meta["moderation.redis_url"] = url
    return url


def read_password(from_stdin: bool, prompt: str) -> str:
    """One line of standard input (for scripts), else a hidden, confirmed prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
