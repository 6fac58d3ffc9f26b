"""``moderation privacy ...``: retention, a person's export and erasure."""

import json
from typing import Any

import click

from moderation.cli.common import redis_client, settings


@click.group()
def privacy() -> None:
    """Personal data: retention, a person's export and erasure."""


def _privacy() -> Any:
    from moderation.privacy import Privacy
    from moderation.sites import SiteRegistry

    client = redis_client()
    return Privacy(client, SiteRegistry(client).names)


@privacy.command("purge")
@click.option("--days", type=int, default=None, help="Retention in days [RETENTION_DAYS].")
def privacy_purge(days: int | None) -> None:
    """Erase e-mails, user agents and IP hashes of comments older than the retention."""
    retention = settings()["RETENTION_DAYS"] if days is None else days
    touched = _privacy().purge(retention)
    click.echo(f"{touched} comments older than {retention} days purged of personal data")


@privacy.command("export")
@click.argument("email")
def privacy_export(email: str) -> None:
    """Print, as JSON, everything stored about EMAIL."""
    click.echo(json.dumps(_privacy().export(email), ensure_ascii=False, indent=2))


@privacy.command("delete")
@click.argument("email")
@click.option("--with-comments", is_flag=True,
              help="Erase published comments too, instead of keeping their text as « Anonyme ».")
def privacy_delete(email: str, with_comments: bool) -> None:
    """Erase or anonymise everything stored about EMAIL (audited)."""
    done = _privacy().delete(email, with_comments=with_comments)
    click.echo(f"{done.erased} comments erased, {done.anonymised} anonymised, "
               f"{done.training_examples} training examples removed, "
               f"reply e-mails stopped on {done.reply_subscriptions} sites")  # fmt: skip
