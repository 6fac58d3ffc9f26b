"""``moderation webhook ...``: URLs told about new comments and decisions."""

from typing import Any

import click

from moderation.cli.common import redis_client


@click.group()
def webhook() -> None:
    """URLs told about new comments and decisions (signed, retried)."""


def _webhooks() -> Any:
    from moderation.webhooks import Webhooks

    return Webhooks(redis_client())


@webhook.command("add")
@click.argument("url")
@click.option("--event", "events", multiple=True, required=True,
              type=click.Choice(["comment.created", "comment.decided"]))
@click.option("--secret", default=None, help="Signing secret (default: a new random one).")
def webhook_add(url: str, events: tuple[str, ...], secret: str | None) -> None:
    """Register URL for the given events; prints its id and signing secret."""
    try:
        hook = _webhooks().add(url, list(events), secret)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{hook.id} {hook.url} {','.join(hook.events)}")
    click.echo(f"secret: {hook.secret}")


@webhook.command("list")
def webhook_list() -> None:
    for hook in _webhooks().all():
        click.echo(f"{hook.id} {hook.url} {','.join(hook.events)}")


@webhook.command("remove")
@click.argument("hook_id")
def webhook_remove(hook_id: str) -> None:
    if not _webhooks().remove(hook_id):
        raise click.ClickException(f"no webhook {hook_id}")
    click.echo(f"removed {hook_id}")
