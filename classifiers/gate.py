"""Whether a new model may replace the current one.

Both are measured on the same held-out examples (reports from
``classifiers.report.build``). The new one is refused when any slice of at
least 50 examples loses more than 2 points of F1, or when it flags more
legitimate comments than the current one, at 0.5 or in its spam band:
hiding a good reader is the mistake the service can least afford.
"""

from typing import Any

from classifiers.slices import regressions


def refusals(new: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The reasons to refuse ``new``, for a person; empty when it may go live."""
    found = [f"slice {item}" for item in regressions(new, current)]
    if new["ham_flagged"] > current["ham_flagged"]:
        found.append(f"legitimate comments flagged at 0.5 rose from {current['fp']} to "
                     f"{new['fp']} (of {new['fp'] + new['tn']})")  # fmt: skip
    old_band, new_band = current.get("bands"), new.get("bands")
    if old_band and new_band and new_band["ham_in_spam_band_share"] > old_band[
            "ham_in_spam_band_share"]:  # fmt: skip
        found.append(f"legitimate comments filed as spam rose from "
                     f"{old_band['ham_in_spam_band']} to {new_band['ham_in_spam_band']} "
                     f"(of {new_band['n_ham']})")  # fmt: skip
    return found
