"""What an import did, counted: imported, already there, skipped by reason,
hidden (imported but not public) by reason, and the lines that explain each."""

from collections import Counter
from dataclasses import dataclass, field

from moderation.imports.records import HIDDEN, SKIPPED, Skip


@dataclass
class Summary:
    created: int = 0
    existing: int = 0
    changed: int = 0  # imported with characters XML 1.0 forbids dropped
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> records
    hidden: Counter[str] = field(default_factory=Counter)  # reason -> records
    problems: list[str] = field(default_factory=list)  # why each skipped record was
    warnings: list[str] = field(default_factory=list)  # imported, but something was dropped
    repairs: list[str] = field(default_factory=list)  # fixed where the fix is certain

    def skip(self, skip: Skip) -> None:
        self.skipped[skip.reason] += 1
        self.problems.append(str(skip))

    def add(self, other: "Summary") -> None:
        self.created += other.created
        self.existing += other.existing
        self.changed += other.changed
        self.skipped.update(other.skipped)
        self.hidden.update(other.hidden)
        self.problems += other.problems
        self.warnings += other.warnings
        self.repairs += other.repairs

    @property
    def succeeded(self) -> bool:
        """Whether anything from the file is in the store now (or would be)."""
        return self.created + self.existing > 0

    def __str__(self) -> str:
        return (f"{self.created} comments imported, {self.existing} already there, "
                f"{sum(self.skipped.values())} skipped, {self.changed} changed (characters "
                "XML does not allow removed)")  # fmt: skip

    def details(self) -> list[str]:
        """The counts by reason, one line each kind."""
        lines = []
        if self.skipped:
            lines.append("  skipped: " + _by_reason(self.skipped, SKIPPED))
        if self.hidden:
            lines.append("  hidden (not public): " + _by_reason(self.hidden, HIDDEN))
        if self.repairs:
            lines.append(f"  repaired: {len(self.repairs)}")
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)}")
        return lines


def _by_reason(counts: Counter[str], names: dict[str, str]) -> str:
    return ", ".join(f"{n} {names.get(reason, reason)}" for reason, n in sorted(counts.items()))
