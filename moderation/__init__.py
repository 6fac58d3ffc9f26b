"""The comment service: web app, store, review queue and CLI."""

from moderation.app import create_app

__all__ = ["create_app"]
