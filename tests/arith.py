"""Tests answer the CAPTCHA the way a reader does: read the question, compute."""

from bench.http_reader import solve

__all__ = ["solve"]
