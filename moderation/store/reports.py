"""Readers' reports of published comments, one per reporter and comment.

A report and what follows from it (the comment sent back to review once
enough readers, or one trusted reporter, report it) are one Lua step
(``lua/report.lua``); so is a moderator's dismissal (``lua/dismiss_reports.lua``),
which keeps the comment published and doubles the reports it then takes.
Both write the site's audit log in the same step. A reporter is a client
key (``limits.client_key``: a keyed hash of the network, never an address).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from moderation.keys import SiteKeys
from moderation.store import layout
from moderation.store.ids import is_comment_id
from moderation.store.records import CommentNotFound
from moderation.store.scripts import Scripts

REASONS = ("spam", "abuse", "off_topic", "other")


@dataclass(frozen=True, slots=True)
class Report:
    reason: str
    text: str
    at: float
    trusted: bool


@dataclass(frozen=True, slots=True)
class ReportState:
    """What a moderator sees of a comment's reports: those since the last
    dismissal, and whether they sent it back to review."""

    reported: bool  # sent back to review by reports
    open: list[Report]
    threshold: int  # reports it takes now


class AlreadyReported(RuntimeError):
    pass


class NotPublished(LookupError):
    """The comment is unknown or not published: there is nothing to report."""


class Reports:
    def __init__(
        self, client: redis.Redis, site: str = "default", threshold: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.client = client
        self.site = site
        self.keys = SiteKeys(site)
        self.threshold = max(threshold, 1)  # REPORTS_TO_REVIEW
        self.clock = clock
        self.scripts = Scripts(client)

    def _keys(self, comment_id: str, *extra: str) -> list[str]:
        if not is_comment_id(comment_id):
            raise NotPublished(comment_id)
        thread = self.client.hget(self.keys.comment(comment_id), "thread")
        if thread is None:
            raise NotPublished(comment_id)
        return [*layout.comment_keys(self.keys, comment_id, thread), *extra]

    def report(
        self, comment_id: str, reporter: str, reason: str, text: str = "", *,
        trusted: bool = False, who: str = "reader",
    ) -> bool:  # fmt: skip
        """Record one report; True when it sent the comment back to review.
        Raises :class:`NotPublished` or :class:`AlreadyReported`."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        keys = self._keys(comment_id, self.keys.reports(comment_id), self.keys.audit)
        reply = self.scripts.report(keys=keys, args=[
            comment_id, reporter, reason, text, repr(self.clock()), self.threshold,
            "1" if trusted else "", who])  # fmt: skip
        if reply[0] in {"missing", "not_published"}:
            raise NotPublished(comment_id)
        if reply[0] == "already":
            raise AlreadyReported(comment_id)
        return reply[0] == "review"

    def dismiss(self, comment_id: str, moderator: str, via: str = "page") -> bool:
        """Close the open reports (the comment published again if they had
        unpublished it); False when it had none. Raises :class:`CommentNotFound`."""
        try:
            keys = self._keys(comment_id, self.keys.audit)
        except NotPublished as error:
            raise CommentNotFound(comment_id) from error
        outcome, _status = self.scripts.dismiss_reports(
            keys=keys, args=[comment_id, moderator, repr(self.clock()), self.threshold, via])
        if outcome == 0:
            raise CommentNotFound(comment_id)
        return outcome == 1

    def state(self, comment_id: str) -> ReportState:
        """The open reports of a comment, newest last."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hmget(self.keys.comment(comment_id), "reported", "report_threshold",
                       "report_round")  # fmt: skip
            pipe.hvals(self.keys.reports(comment_id))
            (reported, threshold, round_), values = pipe.execute()
        current = int(round_ or 0)
        reports = [_report(value) for value in values]
        return ReportState(
            reported=bool(reported),
            open=sorted((r for r, at_round in reports if at_round == current), key=_at),
            threshold=int(threshold or self.threshold),
        )

    def all_of(self, comment_id: str) -> list[Report]:
        """Every report ever made of a comment, without who made it (privacy export)."""
        values = self.client.hvals(self.keys.reports(comment_id))
        return sorted((report for report, _round in map(_report, values)), key=_at)


def _at(report: Report) -> float:
    return report.at


def _report(value: str) -> tuple[Report, int]:
    """A stored report, "reason|round|trusted|at|text" (see report.lua)."""
    reason, round_, trusted, at, text = value.split("|", 4)
    return Report(reason=reason, text=text, at=float(at), trusted=trusted == "1"), int(round_)
