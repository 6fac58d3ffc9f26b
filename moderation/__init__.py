"""The comment service: web app, store, review queue and CLI."""

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so `moderation serve` can set the metrics
    # environment before anything loads prometheus-client.
    if name == "create_app":
        from moderation.app import create_app

        return create_app
    raise AttributeError(name)
