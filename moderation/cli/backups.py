"""``moderation backup FILE`` and ``moderation restore FILE``: thin calls
into :mod:`moderation.backup`."""

from datetime import UTC, datetime
from pathlib import Path

import click

from moderation.cli.common import redis_url


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pause-seconds", type=float, default=30.0, show_default=True,
              help="Longest time writes may wait while the snapshot is read.")  # fmt: skip
def backup_command(path: Path, pause_seconds: float) -> None:
    """Write one consistent snapshot of everything the service keeps in Redis."""
    from moderation.backup import BackupError, backup

    try:
        done = backup(redis_url(), path, pause_seconds=pause_seconds)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(done.types.items()))
    click.echo(f"{done.keys} keys written to {path} ({kinds or 'none'}); "
               f"writes paused {done.seconds * 1000:.0f} ms")  # fmt: skip


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Restore into a Redis holding keys (the backup's replace theirs).")  # fmt: skip
def restore_command(path: Path, force: bool) -> None:
    """Write a backup into an empty Redis (stop the site and its workers first)."""
    from moderation.backup import BackupError, restore

    try:
        done = restore(redis_url(), path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    taken = datetime.fromtimestamp(float(done.source.get("created_at") or 0), UTC)
    click.echo(f"{done.keys} keys restored from {path} (snapshot of {taken:%Y-%m-%d %H:%M:%S} "
               f"UTC, data format {done.source.get('data_format')}); {done.expired} expired "
               "since, not restored")  # fmt: skip
