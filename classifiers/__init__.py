"""Spam classifier: features, model, training and evaluation (no Flask, no Redis)."""
