"""Cheap traps for bots that fill every field and post at machine speed.

A honeypot field hidden from people and assistive technology, and a minimum
time between the question being issued and the answer arriving. A comment
caught by either is dropped silently: the bot gets the same answer as a
person would, and learns nothing. The traps are sprung inside the one
submission script (``store/lua/submit.lua``), which counts each catch per
site; this module names the field and reads the counts.
"""

import redis

from moderation.keys import SiteKeys

HONEYPOT = "homepage"  # a name form-filling bots like; the real field is "url"


def counts(client: redis.Redis, site: str) -> dict[str, int]:
    return {trap: int(value) for trap, value in client.hgetall(SiteKeys(site).traps).items()}
