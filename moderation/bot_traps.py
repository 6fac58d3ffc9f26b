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


# An answer is counted as wrong before it is checked, and given back once it
# proves right (or is not checked at all): so a locked-out client is refused
# whatever question it answers, even one fetched before the lock, and answers
# sent all at once cannot all slip in before the first of them is counted.
# KEYS[1] the counter; ARGV limit, window. Returns seconds to wait, 0 when taken.
_RESERVE = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return math.max(redis.call('TTL', KEYS[1]), 1) end
redis.call('SET', KEYS[1], 0, 'EX', ARGV[2], 'NX')
redis.call('INCR', KEYS[1])
return 0
"""
# A reserved answer that was not wrong; a count back at zero goes, so the next
# window starts at the next miss.
_RELEASE = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 1 then redis.call('DEL', KEYS[1]) else redis.call('DECR', KEYS[1]) end
"""


def reserve_answer(client: redis.Redis, who: str, limit: int, window: int) -> int:
    """Before an answer of ``who`` (a client key) is checked: seconds it must
    wait when it is locked out (nothing reserved), else 0, and the answer
    counts as wrong until :func:`settle_answer` says otherwise."""
    return int(client.eval(_RESERVE, 1, wrong_key(who), limit, window))


def settle_answer(client: redis.Redis, who: str, wrong: bool) -> None:
    """After the check: a wrong answer stays counted, any other is given back."""
    if not wrong:
        client.eval(_RELEASE, 1, wrong_key(who))


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
