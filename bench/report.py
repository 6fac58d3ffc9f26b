"""How the small benchmarks print their figures: one JSON object on the last
line with --json, else one aligned line per figure."""

import json
from collections.abc import Mapping


def emit(figures: Mapping[str, object], as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures))
        return
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:>{width}}  {value}")
