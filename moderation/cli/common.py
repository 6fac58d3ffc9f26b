"""What the commands share: the settings, the Redis connection, the instance
folder and the password prompt. Settings errors become usage errors."""

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


def redis_client(min_timeout: float = 0.0, name: str | None = None) -> Any:
    """A client of ``REDIS_URL``, its socket timeout at least ``min_timeout``."""
    from moderation.services import connect

    current = settings()
    if not current["REDIS_URL"]:
        raise click.UsageError("REDIS_URL is not set")
    return connect(
        current["REDIS_URL"], max(current["REDIS_SOCKET_TIMEOUT"], min_timeout), name=name
    )


def read_password(from_stdin: bool, prompt: str) -> str:
    """One line of standard input (for scripts), else a hidden, confirmed prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
