"""Size of the embeddable widget (JS with its CSS inlined), raw and gzipped,
against the 6 KB budget. `python -m bench.widget_size [--json]`."""

import gzip
import json
import sys

from moderation.web.widget import bundle

BUDGET = 6144


def measure() -> dict[str, int | float]:
    body = bundle().body
    gzipped = len(gzip.compress(body, 9))
    return {"widget_bytes": len(body), "widget_gzip_bytes": gzipped, "budget": BUDGET,
            "budget_ratio": round(gzipped / BUDGET, 3)}  # fmt: skip


def main() -> None:
    figures = measure()
    if "--json" in sys.argv:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>18}  {value}")


if __name__ == "__main__":
    main()
