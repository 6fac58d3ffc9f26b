"""Figures for the moderators' dashboard: how full the queues are, how long
the oldest comments have waited, what moderators decided and how often the
classifier agreed with them.

Pure computation over what Redis already holds: no key of its own, nothing
written. The caller passes the store, the audit log and the time, so a test
fixes every input.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from moderation.audit import AuditLog
from moderation.store import STATUSES, CommentStore, created_at_of

DAY = 86400.0
WINDOW_DAYS = 30
# Audit entries are appended in the order Redis applied them, each stamped
# ("at") by the clock of the process that wrote it. The window is judged on
# "at", not on the stream id (which comes from the Redis server's clock, and
# in tests from a different clock altogether). Reading newest first, the scan
# stops at the first entry older than the window by more than this margin,
# so that slightly disagreeing clocks of several web processes lose nothing.
CLOCK_SKEW = 3600.0
_BATCH = 500


@dataclass(frozen=True, slots=True)
class Agreement:
    """The classifier's spam calls (score >= threshold) against the moderators'.

    ``n`` counts comments whose last decision in the window was ``spam`` or
    ``approved`` and which had a score; the ratios are ``None`` when their
    denominator is zero (precision: no spam call; recall: no human spam).
    """

    days: int
    n: int
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int
    precision: float | None
    recall: float | None
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """Readers' reports in the last 30 × 24 hours, from the audit log."""

    received: int
    sent_to_review: int  # comments unpublished by their reports
    dismissed: int  # dismissals by moderators


@dataclass(frozen=True, slots=True)
class Dashboard:
    now: float
    queue: dict[str, int]  # status -> comments in it, in STATUSES order
    oldest_pending_age: float | None  # seconds; None when the queue is empty
    oldest_review_age: float | None
    # The last 30 UTC dates, today included, oldest first, zero days kept.
    decisions_per_day: list[tuple[date, int]]
    decisions: int  # decision entries in the last 30 × 24 hours
    spam_share: float | None  # of those, the share filed as spam
    agreement_7d: Agreement
    agreement_30d: Agreement
    reports: ReportFigures
    # The same days, each with its decisions by the status they moved to.
    outcomes_per_day: list[tuple[date, dict[str, int]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Decision:
    at: float
    comment: str
    to: str
    score: float | None


def dashboard(
    store: CommentStore, audit: AuditLog, *, now: float, spam_threshold: float
) -> Dashboard:
    """Every figure of the dashboard as of ``now`` (epoch seconds)."""
    since = now - WINDOW_DAYS * DAY
    decisions = list(_decisions(audit, since=since, now=now))  # newest first
    spam = sum(1 for decision in decisions if decision.to == "spam")
    return Dashboard(
        now=now,
        queue={status: store.count(status) for status in STATUSES},
        oldest_pending_age=_oldest_age(store, "pending", now),
        oldest_review_age=_oldest_age(store, "review", now),
        decisions_per_day=_per_day(decisions, now),
        decisions=len(decisions),
        spam_share=spam / len(decisions) if decisions else None,
        agreement_7d=_agreement(decisions, 7, now, spam_threshold),
        agreement_30d=_agreement(decisions, WINDOW_DAYS, now, spam_threshold),
        outcomes_per_day=_outcomes_per_day(decisions, now),
        reports=_reports(audit, since=since, now=now),
    )


def _oldest_age(store: CommentStore, status: str, now: float) -> float | None:
    """Seconds the oldest comment in ``status`` has waited: ids sort by
    creation time, so it is the index's first member."""
    first = store.client.zrange(store.keys.status(status), 0, 0)
    if not first:
        return None
    return max(0.0, now - created_at_of(first[0]))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _entries(audit: AuditLog, *, since: float, now: float) -> Iterator[dict[str, str]]:
    """Audit entries stamped in [since, now], newest first, read in batches
    until the entries are older than the window."""
    cursor = "+"
    while True:
        batch = audit.client.xrevrange(audit.key, max=cursor, min="-", count=_BATCH)
        for _entry_id, fields in batch:
            at = _float(fields.get("at"))
            if at is None:
                continue
            if at < since - CLOCK_SKEW:
                return
            if since <= at <= now:
                yield fields
        if len(batch) < _BATCH:
            return
        cursor = f"({batch[-1][0]}"


def _decisions(audit: AuditLog, *, since: float, now: float) -> Iterator[_Decision]:
    """Decision entries (those with a ``to`` field), newest first."""
    for fields in _entries(audit, since=since, now=now):
        if "to" in fields:
            yield _Decision(float(fields["at"]), fields.get("comment", ""), fields["to"],
                            _float(fields.get("score")))  # fmt: skip


def _reports(audit: AuditLog, *, since: float, now: float) -> ReportFigures:
    events = [fields.get("event") for fields in _entries(audit, since=since, now=now)]
    return ReportFigures(received=events.count("report"),
                         sent_to_review=events.count("reported_to_review"),
                         dismissed=events.count("reports_dismissed"))  # fmt: skip


def _utc_date(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


def _per_day(decisions: list[_Decision], now: float) -> list[tuple[date, int]]:
    today = _utc_date(now)
    counts = {today - timedelta(days=back): 0 for back in range(WINDOW_DAYS - 1, -1, -1)}
    for decision in decisions:
        day = _utc_date(decision.at)
        if day in counts:
            counts[day] += 1
    return list(counts.items())


def _outcomes_per_day(decisions: list[_Decision], now: float
                      ) -> list[tuple[date, dict[str, int]]]:  # fmt: skip
    today = _utc_date(now)
    days: dict[date, dict[str, int]] = {
        today - timedelta(days=back): {} for back in range(WINDOW_DAYS - 1, -1, -1)}
    for decision in decisions:
        day = days.get(_utc_date(decision.at))
        if day is not None:
            day[decision.to] = day.get(decision.to, 0) + 1
    return list(days.items())


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _agreement(
    decisions: list[_Decision], days: int, now: float, spam_threshold: float
) -> Agreement:
    """Agreement over the last ``days`` × 24 hours. ``decisions`` is newest
    first (stream order, the order Redis applied them), so the first one seen
    for a comment is its last: a later decision, or an undo back to review,
    replaces an earlier one."""
    since = now - days * DAY
    last: dict[str, _Decision] = {}
    for decision in decisions:
        if decision.at >= since:
            last.setdefault(decision.comment, decision)
    tp = fp = tn = fn = 0
    for decision in last.values():
        if decision.score is None or decision.to not in {"spam", "approved"}:
            continue
        said_spam = decision.score >= spam_threshold
        human_spam = decision.to == "spam"
        if said_spam and human_spam:
            tp += 1
        elif said_spam:
            fp += 1
        elif human_spam:
            fn += 1
        else:
            tn += 1
    n = tp + fp + tn + fn
    return Agreement(
        days=days,
        n=n,
        true_positives=tp,
        false_positives=fp,
        true_negatives=tn,
        false_negatives=fn,
        precision=_ratio(tp, tp + fp),
        recall=_ratio(tp, tp + fn),
        accuracy=_ratio(tp + tn, n),
    )
