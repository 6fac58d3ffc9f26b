"""Backups that do not depend on Redis's own file format: ``backup`` writes
one consistent snapshot of every key as versioned, gzip-compressed JSON
lines; ``restore`` writes it back into an empty Redis, single or Cluster."""

from moderation.backup.archive import FORMAT, VERSION, BackupError
from moderation.backup.restoring import restore
from moderation.backup.snapshot import backup

__all__ = ["FORMAT", "VERSION", "BackupError", "backup", "restore"]
