"""The ``moderation`` command: the group here, its commands in the modules
beside it, each a thin call into the domain."""

import os

import click

from moderation.cli import (
    backups,
    migrations,
    models,
    moderators,
    privacy,
    serving,
    sites,
    transfer,
    webhooks,
    workers,
)


@click.group()
def main() -> None:
    """Comment service: web site, review queue and tools."""
    from moderation import logs

    logs.configure(os.environ.get("LOG_FORMAT") or "text")


for _command in (
    serving.serve, workers.worker, models.train, models.evaluate, models.model,
    moderators.moderator, sites.site, privacy.privacy, transfer.export_command,
    transfer.import_command, webhooks.webhook, backups.backup_command, backups.restore_command,
    migrations.migrate_command,
):  # fmt: skip
    main.add_command(_command)
