"""``moderation export`` and ``moderation import``: comments in and out as
JSON Lines, and from other systems' exports (see :mod:`moderation.imports`)."""

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
@click.argument("kind", type=click.Choice(
    ["wordpress", "disqus", "isso", "remark42", "commento", "jsonl"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--site", default=None,
              help="Site to import into [default: the default site; for jsonl, each row's].")
@click.option("--dry-run", is_flag=True, help="Print the summary, write nothing.")
@click.option("--thread-map", type=click.Path(exists=True, dir_okay=False), default=None,
              help="CSV file of source,thread rows: these pages go to these threads.")
def import_command(kind: str, path: str, site: str | None, dry_run: bool,
                   thread_map: str | None) -> None:  # fmt: skip
    """Comments from WordPress (WXR), Disqus, Isso (its SQLite file), Remark42
    (a backup), Commento, or `moderation export` (jsonl). A record that cannot
    be read is reported and skipped; running it twice creates nothing new.
    Exit code 0 when something was imported, 1 when nothing could be, 2 on
    usage errors."""
    from moderation import transfer
    from moderation.imports import importer, threads
    from moderation.imports.xml_tree import UnreadableExport

    if site is not None and (problem := transfer.site_problem(site)):
        raise click.BadParameter(problem, param_hint="--site")
    if thread_map and kind == "jsonl":  # its rows name our own threads already
        message = "not for jsonl, whose rows name our threads"
        raise click.BadParameter(message, param_hint="--thread-map")
    try:
        mapped = threads.read_map(thread_map) if thread_map else {}
    except (threads.BadThreadMap, UnicodeDecodeError) as error:
        raise click.BadParameter(str(error), param_hint="--thread-map") from error
    client = redis_client()
    try:
        outcome = importer.run(client, kind, path, site, mapped, dry_run, _articles())
    except transfer.UnknownSite as error:
        raise click.UsageError(str(error)) from error
    except threads.BadThreadMap as error:
        raise click.BadParameter(str(error), param_hint="--thread-map") from error
    except (UnreadableExport, threads.ThreadCollision) as error:
        raise click.ClickException(f"{path}: {error}; nothing imported") from error
    total = outcome.total
    for line in total.problems + total.warnings + total.repairs:  # why, record by record
        click.echo(line, err=True)
    prefix = "dry run, nothing written: " if dry_run else ""
    for name, summary in outcome.sites:
        click.echo(f"{prefix}{name}: {summary}")
    click.echo(f"{prefix}total: {total}")
    for line in total.details():
        click.echo(line)
    if not total.succeeded:
        raise SystemExit(1)


def _articles() -> set[str] | None:
    """Our own site's article slugs (None if they cannot be read)."""
    from pathlib import Path

    from moderation.articles import ArticleError, ArticleLibrary
    from moderation.cli.common import instance_path, settings
    from moderation.services import CONTENT

    folder = settings().get("ARTICLES_DIR") or instance_path() / "articles"
    try:
        return {article.slug for article in ArticleLibrary([CONTENT, Path(folder)]).all()}
    except (ArticleError, OSError):
        return None
