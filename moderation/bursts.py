"""Near-duplicate bursts: the same or almost the same text posted again and
again (across threads or authors) within a day.

Each fingerprint (classifiers.simhash) is split into eight 8-bit bands; two
fingerprints at most seven bits apart share at least one band exactly, so
one sorted set per band value finds the candidates (unrelated texts are
about 32 bits apart). Keys carry the site's
hash tag and expire after the window.
"""

import time
from collections.abc import Callable

import redis

from classifiers.normalise import normalise
from classifiers.simhash import distance, simhash
from moderation.keys import SiteKeys

BANDS = 8
BAND_BITS = 8
MIN_LENGTH = 40  # "Merci !" a hundred times is not a burst


class BurstDetector:
    def __init__(
        self, client: redis.Redis, site: str = "default", *, window: int = 86400,
        max_distance: int = 6, threshold: int = 3, clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.client = client
        self.keys = SiteKeys(site)
        self.window = window
        self.max_distance = max_distance
        self.threshold = threshold
        self.clock = clock

    def _band_keys(self, fingerprint: int) -> list[str]:
        mask = (1 << BAND_BITS) - 1
        return [
            self.keys.burst_band(band, fingerprint >> (band * BAND_BITS) & mask)
            for band in range(BANDS)
        ]

    def observe(self, items: list[tuple[str, str]]) -> dict[str, int]:
        """Record each (comment id, text) and return, for each id, how many
        earlier comments of the window are near-duplicates of it. Short texts
        are neither recorded nor counted."""
        now = self.clock()
        prints = {
            comment_id: simhash(text)
            for comment_id, text in items
            if len(normalise(text)) >= MIN_LENGTH
        }
        counts = dict.fromkeys((comment_id for comment_id, _ in items), 0)
        if not prints:
            return counts
        with self.client.pipeline(transaction=False) as pipe:
            for fingerprint in prints.values():
                for key in self._band_keys(fingerprint):
                    pipe.zrangebyscore(key, now - self.window, "+inf")
            candidates = pipe.execute()
        batch = list(prints.items())
        with self.client.pipeline(transaction=False) as pipe:
            for index, (comment_id, fingerprint) in enumerate(batch):
                # Earlier comments of this same batch count too.
                similar = {
                    other_id
                    for other_id, other_print in batch[:index]
                    if distance(fingerprint, other_print) <= self.max_distance
                }
                for members in candidates[index * BANDS : (index + 1) * BANDS]:
                    for member in members:
                        other_print, _, other_id = member.partition(":")
                        if (
                            other_id != comment_id
                            and distance(fingerprint, int(other_print, 16)) <= self.max_distance
                        ):
                            similar.add(other_id)
                counts[comment_id] = len(similar)
                for key in self._band_keys(fingerprint):
                    pipe.zadd(key, {f"{fingerprint:016x}:{comment_id}": now})
                    pipe.zremrangebyscore(key, "-inf", now - self.window)
                    pipe.expire(key, self.window)
            pipe.execute()
        return counts

    def is_burst(self, earlier: int) -> bool:
        """The threshold counts this comment too: 3 means the third copy."""
        return earlier + 1 >= self.threshold
