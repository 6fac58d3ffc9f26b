"""What the service keeps about a person: erased after the retention period,
given back on request, erased on request. The data inventory is in the README.

A comment's e-mail address, user agent and IP hash are personal data; its
text and the name its author chose are what was published. Decisions fed
back to the classifier (``feedback:{site}``) copy the e-mail too, so they are
trimmed at the same age and searched by the same requests.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import redis

from moderation.audit import AuditLog
from moderation.authors import email_subject
from moderation.keys import SiteKeys
from moderation.reply_subscriptions import ReplySubscriptions, digest_of
from moderation.store import (
    ANONYMOUS,
    STATUSES,
    Comment,
    CommentStore,
    created_at_of,
    first_id_at,
    iso8601,
)
from moderation.store.reports import Reports

DAY = 86400.0
_BATCH = 500


class Privacy:
    def __init__(
        self, client: redis.Redis, sites: Callable[[], list[str]],
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.client = client
        self.sites = sites
        self.clock = clock

    # -- retention ------------------------------------------------------

    def purge(self, retention_days: int) -> int:
        """Erase e-mail, user agent and IP hash of every comment older than
        ``retention_days``; returns how many comments were touched. Each site
        remembers how far it got, so a run only reads the new day's comments."""
        if retention_days <= 0:
            return 0
        cutoff = first_id_at(self.clock() - retention_days * DAY)
        touched = 0
        for site in self.sites():
            keys, store = SiteKeys(site), CommentStore(self.client, site)
            after = self.client.hget(keys.privacy, "purged_until") or ""
            if after >= cutoff:
                continue
            for status in STATUSES:
                ids = store.ids_before(status, cutoff, after)
                for start in range(0, len(ids), _BATCH):
                    touched += store.forget_personal(ids[start : start + _BATCH])
            # Decisions older than the cutoff carry e-mails too: drop them.
            minid = str(int(created_at_of(cutoff) * 1000))
            self.client.xtrim(keys.feedback, minid=minid, approximate=False)
            self.client.hset(keys.privacy, "purged_until", cutoff)
        return touched

    def purge_daily(self, retention_days: int) -> bool:
        """Purge once a day across all workers (a Redis lock decides who)."""
        if not self.client.set(SiteKeys("default").privacy + ":lock", "1", nx=True, ex=int(DAY)):
            return False
        self.purge(retention_days)
        return True

    # -- requests from a person ------------------------------------------

    def find(self, email: str) -> list[Comment]:
        """Every comment of every site posted with ``email`` (any case)."""
        wanted = email.strip().lower()
        found: list[Comment] = []
        for site in self.sites():
            store = CommentStore(self.client, site)
            ids = store.all_ids()
            for start in range(0, len(ids), _BATCH):
                batch = ids[start : start + _BATCH]
                with self.client.pipeline(transaction=False) as pipe:
                    for comment_id in batch:
                        pipe.hget(store.keys.comment(comment_id), "email")
                    emails = pipe.execute()
                found += store.comments([comment_id for comment_id, found_email
                                         in zip(batch, emails, strict=True)
                                         if (found_email or "").lower() == wanted])  # fmt: skip
        return found

    def decisions(self, email: str) -> list[tuple[str, str, dict[str, str]]]:
        """(site, entry id, fields) of classifier feedback carrying ``email``."""
        wanted = email.strip().lower()
        found = []
        for site in self.sites():
            for entry_id, fields in self.client.xrange(SiteKeys(site).feedback):
                if fields.get("email", "").lower() == wanted:
                    found.append((site, entry_id, fields))
        return found

    def export(self, email: str) -> dict:
        comments = []
        agents: dict[str, dict[str, str]] = {}  # per site, read once
        for comment in self.find(email):
            if comment.site not in agents:
                agents[comment.site] = CommentStore(self.client, comment.site).user_agents()
            item = asdict(comment)
            item["created_at"] = iso8601(comment.created_at)
            item["user_agent"] = agents[comment.site].get(comment.agent, "")
            del item["agent"]
            # What readers reported of it (never who: their keys stay out).
            item["reports"] = [{**asdict(report), "at": iso8601(report.at)} for report
                               in Reports(self.client, comment.site).all_of(comment.id)]
            comments.append(item)
        return {
            "email": email,
            "exported_at": iso8601(self.clock()),
            "comments": comments,
            "classifier_training_examples": [
                {"site": site, "id": entry_id, **fields}
                for site, entry_id, fields in self.decisions(email)
            ],
            "reply_notifications": [found for site in self.sites() if (
                found := ReplySubscriptions(self.client, site, self.clock).export(email))],
        }

    def delete(self, email: str, *, with_comments: bool = False, who: str = "cli") -> "Deletion":
        """Erase what is kept about ``email``. A published comment keeps its
        text under « Anonyme » unless ``with_comments``; any other comment is
        erased. Each site touched gets an audit entry (with a hash of the
        address, not the address)."""
        done = Deletion()
        touched: set[str] = set()
        for comment in self.find(email):
            store = CommentStore(self.client, comment.site)
            if comment.status == "approved" and not with_comments:
                done.anonymised += store.anonymise(comment, ANONYMOUS)
            else:
                done.erased += store.erase(comment)
            touched.add(comment.site)
        for site, entry_id, _fields in self.decisions(email):
            done.training_examples += self.client.xdel(SiteKeys(site).feedback, entry_id)
            touched.add(site)
        author = email_subject(email)
        for site in self.sites():  # the author's list of comments and any mark on them
            with self.client.pipeline(transaction=False) as pipe:
                pipe.delete(SiteKeys(site).author(author))
                pipe.hdel(SiteKeys(site).author_marks, author)
                pipe.execute()
        for site in self.sites():  # reply subscriptions
            subscriptions = ReplySubscriptions(self.client, site, self.clock)
            if subscriptions.address(digest_of(email)):
                subscriptions.forget(digest_of(email))
                done.reply_subscriptions += 1
                touched.add(site)
        subject = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
        for site in sorted(touched):
            AuditLog(self.client, site, clock=self.clock).event(
                who, "privacy_delete", subject=subject, erased=str(done.erased),
                anonymised=str(done.anonymised), with_comments=str(with_comments).lower(),
            )  # fmt: skip
        return done


@dataclass
class Deletion:
    erased: int = 0
    anonymised: int = 0
    training_examples: int = 0
    reply_subscriptions: int = 0  # sites where the address followed replies
