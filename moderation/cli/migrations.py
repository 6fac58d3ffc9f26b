"""``moderation migrate [--check]``: the data-format version of the data in
Redis, and the migrations that bring it up to date."""

import click

from moderation.cli.common import redis_client


@click.command("migrate")
@click.option("--check", is_flag=True,
              help="Only say whether migrations are pending (exit status 1 if so).")  # fmt: skip
def migrate_command(check: bool) -> None:
    """Bring the data in Redis up to this version's format (back it up first)."""
    from moderation import migrations

    client = redis_client()
    found = migrations.status(client)
    if found.newer:
        raise click.ClickException(f"data format {found.stored} is newer than this version "
                                   f"reads ({found.current})")  # fmt: skip
    if check:
        if found.pending:
            click.echo(f"data format {found.stored}; {len(found.pending)} migration(s) pending "
                       f"to reach {found.current}: run `moderation migrate`")  # fmt: skip
            raise SystemExit(1)
        click.echo(f"data format {found.stored}: up to date")
        return
    try:
        done = migrations.migrate(client, report=click.echo)
    except migrations.DataFormatError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"data format {done.stored}: up to date")
