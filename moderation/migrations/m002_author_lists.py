"""Format 2: every comment that has left ``pending`` is in its author's lists.

The author panel, the « nouvel auteur » chip and the routing by author read
``author:{site}:<subject>``, which the worker fills as it classifies. Comments
classified before it did so, and imported ones, are in no list: their authors
would look new. This adds them. A pending comment is left to the worker, which
adds it when it classifies it; adding a comment already listed changes nothing,
so a second run is a no-op.
"""

import redis

from moderation.authors import Authors, email_subject, ip_subject
from moderation.keys import SiteKeys
from moderation.sites import SiteRegistry
from moderation.store import CommentStore

DESCRIPTION = "comments classified or imported before author lists join their author's history"
BATCH = 500


def _missing(client: redis.Redis, site: str) -> list[tuple[str, str, str]]:
    """(id, e-mail, IP hash) of the site's settled comments absent from a list of theirs."""
    store, keys = CommentStore(client, site), SiteKeys(site)
    pending = set(client.zrange(keys.status("pending"), 0, -1))
    ids = [i for i in store.all_ids() if i not in pending]
    missing = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with client.pipeline(transaction=False) as pipe:
            for comment_id in chunk:
                pipe.hmget(keys.comment(comment_id), "email", "ip_hash")
            authors = pipe.execute()
        with client.pipeline(transaction=False) as pipe:
            for comment_id, (email, ip_hash) in zip(chunk, authors, strict=True):
                for subject in (email_subject(email or ""), ip_subject(ip_hash or "")):
                    pipe.zscore(keys.author(subject or "-"), comment_id)
            listed = iter(pipe.execute())
        for comment_id, (email, ip_hash) in zip(chunk, authors, strict=True):
            found = [next(listed), next(listed)]
            subjects = [email_subject(email or ""), ip_subject(ip_hash or "")]
            if any(subject and score is None for subject, score in zip(subjects, found,
                                                                       strict=True)):
                missing.append((comment_id, email or "", ip_hash or ""))
    return missing


def needed(client: redis.Redis) -> int:
    """How many comments are missing from their authors' lists."""
    return sum(len(_missing(client, site)) for site in SiteRegistry(client).names())


def apply(client: redis.Redis) -> int:
    """Add them; returns how many comments were added."""
    added = 0
    for site in SiteRegistry(client).names():
        missing = _missing(client, site)
        for start in range(0, len(missing), BATCH):
            Authors(client, site).record(missing[start:start + BATCH])
        added += len(missing)
    return added
