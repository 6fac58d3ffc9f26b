"""Waits between retries that grow while a dependency stays down."""

import random
from collections.abc import Callable


class Backoff:
    """Exponential delays with jitter, so workers that lost Redis at the same
    moment do not all reconnect at the same moment."""

    def __init__(
        self,
        initial: float = 0.1,
        maximum: float = 10.0,
        *,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.uniform = uniform
        self.failures = 0

    def next_delay(self) -> float:
        """The wait before the next try; each call counts one more failure."""
        ceiling = min(self.maximum, self.initial * 2 ** min(self.failures, 32))
        self.failures += 1
        return self.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0
