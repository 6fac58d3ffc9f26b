"""``moderation site ...``: the sites allowed to embed the widget."""

from typing import Any

import click

from moderation.cli.common import redis_client


@click.group()
def site() -> None:
    """Sites allowed to embed the widget (changes apply to running processes)."""


def _sites() -> Any:
    from moderation.sites import SiteRegistry

    return SiteRegistry(redis_client())


@site.command("add")
@click.argument("name")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    required=True,
    help="An origin the site is served from, such as https://news.example.org.",
)
def site_add(name: str, origins: tuple[str, ...]) -> None:
    """Register NAME (or replace its origins)."""
    from moderation.sites import SiteError

    try:
        added = _sites().add(name, list(origins))
    except SiteError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"site {added.name}: {' '.join(added.origins)}")


@site.command("list")
def site_list() -> None:
    for entry in _sites().all():
        click.echo(f"{entry.name}  {' '.join(entry.origins)}")


@site.command("remove")
@click.argument("name")
def site_remove(name: str) -> None:
    """Unregister NAME: its origins lose access at once; its comments stay in Redis."""
    from moderation.sites import SiteError

    try:
        _sites().remove(name)
    except SiteError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"site {name} removed")
