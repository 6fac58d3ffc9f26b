"""Benchmarks of the comment service (run from the repository root)."""
