"""Cheap traps for bots that fill every field and post at machine speed.

A honeypot field hidden from people and assistive technology, and a minimum
time between the question being issued and the answer arriving. A comment
caught by either is dropped silently: the bot gets the same answer as a
person would, and learns nothing. Each catch is counted per site.
"""

import redis

from moderation.keys import SiteKeys

HONEYPOT = "homepage"  # a name form-filling bots like; the real field is "url"


def caught(honeypot: object, issued_at: float, now: float, min_fill_seconds: float) -> list[str]:
    """The traps this submission fell into (empty for a person). The JSON API
    applies the same two rules inside its one-step submission script
    (``store._SUBMIT``), so a trapped comment costs no extra round trip."""
    traps = []
    if honeypot not in (None, ""):
        traps.append("honeypot")
    if min_fill_seconds > 0 and now - issued_at < min_fill_seconds:
        traps.append("too_fast")
    return traps


def count(client: redis.Redis, site: str, traps: list[str]) -> None:
    with client.pipeline(transaction=False) as pipe:
        for trap in traps:
            pipe.hincrby(SiteKeys(site).traps, trap, 1)
        pipe.execute()


def counts(client: redis.Redis, site: str) -> dict[str, int]:
    return {trap: int(value) for trap, value in client.hgetall(SiteKeys(site).traps).items()}


def wrong_key(who: str) -> str:
    """Where wrong CAPTCHA answers from ``who`` (a client key) are counted."""
    return f"wrong:{{traps}}:{who}"


def wrong_answer(client: redis.Redis, who: str, window: int) -> int:
    """Count one wrong CAPTCHA answer from ``who`` (a client key) in the window."""
    key = wrong_key(who)
    with client.pipeline(transaction=False) as pipe:
        pipe.set(key, 0, ex=window, nx=True)  # the window starts at the first miss
        pipe.incr(key)
        return int(pipe.execute()[1])


def too_many_wrong(client: redis.Redis, who: str, limit: int) -> int:
    """Seconds ``who`` must wait before new questions, 0 when they may have one."""
    key = wrong_key(who)
    with client.pipeline(transaction=False) as pipe:
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = pipe.execute()
    if count is None or int(count) < limit:
        return 0
    return max(int(ttl), 1)
