"""Size of the embeddable widget (JS with its CSS inlined), raw and gzipped,
against the 7 KiB budget. `python -m bench.widget_size [--json]`."""

import gzip
import sys

from bench.report import emit
from moderation.web.widget import bundle

BUDGET = 7168  # 7 KiB gzipped, JS and CSS together


def measure() -> dict[str, int | float]:
    body = bundle().body
    gzipped = len(gzip.compress(body, 9))
    return {"widget_bytes": len(body), "widget_gzip_bytes": gzipped, "budget": BUDGET,
            "budget_ratio": round(gzipped / BUDGET, 3)}  # fmt: skip


def main() -> None:
    emit(measure(), "--json" in sys.argv)


if __name__ == "__main__":
    main()
