"""Upgrades of the data kept in Redis: a format version, checked at start-up,
and one module per migration (``m<number>_<what>.py``)."""

from moderation.migrations.runner import (
    CURRENT,
    MIGRATIONS,
    DataFormatError,
    Status,
    ensure_current,
    migrate,
    status,
)

__all__ = ["CURRENT", "MIGRATIONS", "DataFormatError", "Status", "ensure_current", "migrate",
           "status"]  # fmt: skip
