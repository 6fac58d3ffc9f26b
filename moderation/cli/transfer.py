"""``moderation export`` and ``moderation import``: comments in and out as
JSON Lines, and from WordPress and Disqus exports (see :mod:`moderation.transfer`)."""

import sys

import click

from moderation.cli.common import redis_client


@click.command("export")
@click.option("--site", default=None, help="One site only (default: every site).")
def export_command(site: str | None) -> None:
    """Every comment as JSON Lines on standard output (re-import with `import jsonl`)."""
    from moderation.sites import SiteRegistry
    from moderation.store import CommentStore
    from moderation.transfer import export_jsonl

    client = redis_client()
    names = [site] if site else SiteRegistry(client).names()
    total = sum(export_jsonl(CommentStore(client, name), sys.stdout) for name in names)
    click.echo(f"{total} comments exported", err=True)


@click.command("import")
@click.argument("kind", type=click.Choice(["wordpress", "disqus", "jsonl"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--site", default=None,
              help="Site to import into [default: the default site; for jsonl, each row's].")
def import_command(kind: str, path: str, site: str | None) -> None:
    """Comments from a WordPress (WXR) or Disqus export, or from `moderation export`.
    Running it twice creates nothing new."""
    from moderation import import_formats, transfer

    if site is not None and (problem := transfer.site_problem(site)):
        raise click.BadParameter(problem, param_hint="--site")
    client = redis_client()
    try:
        records = import_formats.read_export(kind, path)
    except import_formats.UnreadableExport as error:
        raise click.ClickException(str(error)) from error
    by_site, problems = transfer.by_site(records, site)
    try:
        for name, counts in transfer.import_by_site(client, kind, by_site):
            problems += counts.problems
            click.echo(f"{name}: {counts}")
    except transfer.UnknownSite as error:
        raise click.ClickException(str(error)) from error
    for problem in problems:  # why each record left out was
        click.echo(problem, err=True)
