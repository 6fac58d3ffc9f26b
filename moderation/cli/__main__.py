"""``python -m moderation.cli``: how ``moderation serve`` and the benchmarks
start a worker."""

from moderation.cli import main

main()
