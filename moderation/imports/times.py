"""Dates as the exports write them, to seconds since the epoch (UTC)."""

from datetime import UTC, datetime


def iso(value: str) -> float:
    """An ISO 8601 date; one without a zone is UTC. Raises ValueError."""
    value = value.strip()
    if not value:
        raise ValueError("no date")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def wordpress(value: str) -> float:
    """``2024-11-04 09:30:00`` (WordPress's GMT columns). ``0000-00-00 …``,
    what WordPress writes for a date it never had, counts as no date."""
    if not value.strip() or value.startswith("0000-00-00"):
        raise ValueError("no date")
    return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
