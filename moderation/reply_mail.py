"""The e-mails of reply notifications, sent by the workers through the
``SMTP_*`` settings: confirmation requests, and one e-mail per address and
thread with the replies approved since the last one (at most one every
``REPLY_DIGEST_MINUTES``). Each reply e-mail carries a one-click unsubscribe
(RFC 8058: ``List-Unsubscribe`` and ``List-Unsubscribe-Post``) and visible
links to stop one thread or everything.

A temporary failure is tried again after growing waits (``backoff.py``);
a permanent one (a 5xx answer about the recipient) disables the address.
Each e-mail speaks the language of the page the reader asked on.
"""

import gettext
import logging
import smtplib
import time
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import urlencode

import redis

from moderation.backoff import Backoff
from moderation.digest import Mailer
from moderation.reply_subscriptions import Due, ReplySubscriptions
from moderation.reply_tokens import ReplyTokens
from moderation.sites import DEFAULT
from moderation.store import Comment, CommentStore
from moderation.thread_urls import ThreadUrls

log = logging.getLogger(__name__)

MAX_TRIES = 8
FIRST_RETRY = 60.0  # seconds; then about twice as long each time...
LAST_RETRY = 6 * 3600.0  # ...up to this
_ENGLISH = gettext.NullTranslations()


class ReplyMail:
    def __init__(
        self, client: redis.Redis, sites: Callable[[], list[str]], mailer: Mailer,
        tokens: ReplyTokens, *, every_minutes: int, public_url: str,
        clock: Callable[[], float] = time.time,
        catalogs: Callable[[str], gettext.NullTranslations] = lambda lang: _ENGLISH,
    ) -> None:  # fmt: skip
        self.client = client
        self.sites = sites
        self.mailer = mailer
        self.tokens = tokens
        self.every = max(0, every_minutes) * 60
        self.public_url = public_url.rstrip("/")
        self.clock = clock
        self.catalogs = catalogs

    def send_due(self) -> int:
        """Send every e-mail now due on every site; returns how many went out.
        Several workers may run it: each e-mail is claimed by one."""
        if not self.mailer.host:
            return 0
        sent = 0
        for site in self.sites():
            subscriptions = ReplySubscriptions(self.client, site, self.clock)
            for due in subscriptions.due():
                if not subscriptions.claim(due):
                    continue
                try:
                    sent += self._one(subscriptions, due)
                finally:
                    subscriptions.release(due)
        return sent

    def _one(self, subscriptions: ReplySubscriptions, due: Due) -> int:
        address = subscriptions.address(due.h)
        if not address.get("email") or address.get("state") == "disabled":
            subscriptions.drop(due)
            return 0
        if due.kind == "confirm":
            if address.get("state") != "pending":
                subscriptions.drop(due)
                return 0
            message = self.confirmation(subscriptions.site, due.h, address)
            return self._send(subscriptions, due, message, [])
        lang = subscriptions.threads(due.h).get(due.thread)
        if address.get("state") != "confirmed" or lang is None:
            subscriptions.drop(due)
            return 0
        ready_at = subscriptions.last_sent(due) + self.every
        if self.clock() < ready_at:  # one e-mail a window: the rest waits, batched
            subscriptions.postpone(due, ready_at)
            return 0
        ids = subscriptions.batch(due)
        store = CommentStore(self.client, subscriptions.site)
        replies = [c for c in store.comments(ids) if c.status == "approved"]
        if not replies:
            subscriptions.done(due, ids)
            return 0
        message = self.replies(subscriptions.site, due, address["email"], lang, replies)
        return self._send(subscriptions, due, message, ids)

    def _send(self, subscriptions: ReplySubscriptions, due: Due, message: EmailMessage,
              ids: list[str]) -> int:  # fmt: skip
        try:
            self.mailer.send(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            return self._failed(subscriptions, due, min(codes, default=0), str(error))
        except smtplib.SMTPResponseException as error:
            # A refused sender is our fault, not the reader's address's.
            code = 0 if isinstance(error, smtplib.SMTPSenderRefused) else error.smtp_code
            return self._failed(subscriptions, due, code, str(error))
        except (smtplib.SMTPException, OSError) as error:
            return self._failed(subscriptions, due, 0, str(error))
        subscriptions.done(due, ids)
        return 1

    def _failed(self, subscriptions: ReplySubscriptions, due: Due, code: int, why: str) -> int:
        if 500 <= code < 600:
            log.warning("reply e-mail refused for good (%d); address %s disabled", code, due.h)
            subscriptions.disable(due.h)
            return 0
        tries = subscriptions.tries(due)
        if tries + 1 >= MAX_TRIES:
            log.error("reply e-mail to %s given up after %d tries: %s", due.h, tries + 1, why)
            subscriptions.drop(due)
            return 0
        backoff = Backoff(FIRST_RETRY, LAST_RETRY)
        backoff.failures = tries
        wait = backoff.next_delay()
        log.warning("reply e-mail to %s failed (%s); trying again in %.0f s", due.h, why, wait)
        subscriptions.postpone(due, self.clock() + wait, failed=True)
        return 0

    # -- the messages -------------------------------------------------------

    def link(self, path: str, token: str, lang: str) -> str:
        """A page of ours in the reader's language (``?lang=``)."""
        query = urlencode({"token": token, "lang": lang})
        return f"{self.public_url}/notifications/{path}?{query}"

    def comment_url(self, site: str, comment: Comment) -> str:
        if site == DEFAULT:
            page = f"{self.public_url}/articles/{comment.thread}"
        else:
            page = (ThreadUrls(self.client, site).url(comment.thread)
                    or f"{self.public_url}/sites/{site}/threads/{comment.thread}")  # fmt: skip
        return f"{page.split('#')[0]}#c-{comment.id}"

    def confirmation(self, site: str, h: str, address: dict[str, str]) -> EmailMessage:
        lang = address.get("lang") or "fr"
        t = self.catalogs(lang)
        token = self.tokens.confirmation(site, h, float(address["asked_at"]))
        lines = [
            t.gettext("You asked to be told by e-mail when someone replies to your "
                      "comments."),  # fmt: skip
            "",
            t.gettext("Confirm with this link (valid for 48 hours):"),
            self.link("confirm", token, lang),
            "",
            t.gettext("Until you confirm, nothing else is sent to this address. "
                      "If you did not ask, ignore this message."),  # fmt: skip
        ]
        message = EmailMessage()
        message["Subject"] = t.gettext("Confirm reply notifications")
        message["From"] = self.mailer.sender
        message["To"] = address["email"]
        message.set_content("\n".join(lines))
        return message

    def replies(self, site: str, due: Due, email: str, lang: str,
                replies: list[Comment]) -> EmailMessage:  # fmt: skip
        t = self.catalogs(lang)
        leave_thread = self.link("unsubscribe", self.tokens.unsubscription(site, due.h, due.thread),
                                 lang)  # fmt: skip
        leave_all = self.link("unsubscribe", self.tokens.unsubscription(site, due.h), lang)
        lines = []
        for reply in replies:
            lines.append(t.gettext("%(author)s replied:") % {"author": reply.author})
            lines += [f"  {line}" for line in reply.body.splitlines()]
            lines += [self.comment_url(site, reply), ""]
        lines += ["--",
                  t.gettext("Stop e-mails about this discussion: %(url)s") % {"url": leave_thread},
                  t.gettext("Stop all reply e-mails: %(url)s") % {"url": leave_all}]  # fmt: skip
        message = EmailMessage()
        message["Subject"] = t.ngettext(
            "%(num)d reply to your comment", "%(num)d replies to your comments", len(replies)
        ) % {"num": len(replies)}
        message["From"] = self.mailer.sender
        message["To"] = email
        message["List-Unsubscribe"] = f"<{leave_thread}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content("\n".join(lines))
        return message
