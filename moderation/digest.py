"""E-mail to moderators while comments wait in review: one digest at most
every ``DIGEST_MINUTES``, whichever worker gets there first, with a direct
link to each comment. Written in one language (``DEFAULT_LANG``) through a
plain gettext translations object, so it needs no Flask request."""

import gettext
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlencode

import redis

from moderation import keys
from moderation.accounts import Accounts
from moderation.store import CommentStore

LOCK = keys.DIGEST_SENT
SHOWN = 20  # comments listed in one message; the count says how many in all
_ENGLISH = gettext.NullTranslations()  # the ids themselves


@dataclass(frozen=True, slots=True)
class Mailer:
    """SMTP settings (``SMTP_*``); ``host`` empty means no e-mail at all."""

    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = "moderation@localhost"

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


class Digest:
    def __init__(
        self, client: redis.Redis, sites: Callable[[], list[str]], mailer: Mailer, *,
        every_minutes: int, public_url: str, recipients: list[str] | None = None,
        clock: Callable[[], float] = time.time, lang: str = "en",
        catalogs: Callable[[str], gettext.NullTranslations] = lambda lang: _ENGLISH,
    ) -> None:  # fmt: skip
        """``lang``: the language of ``recipients`` and of moderators who chose
        none (``DEFAULT_LANG``); ``catalogs``: a language's catalog
        (``i18n.catalog``). The default writes English, the ids themselves."""
        self.lang = lang
        self.client = client
        self.sites = sites
        self.mailer = mailer
        self.every = every_minutes * 60
        self.public_url = public_url.rstrip("/")
        self.recipients = recipients
        self.clock = clock
        self.catalogs = catalogs

    def send_if_due(self) -> bool:
        """Send a digest if comments wait and none went out in the last period."""
        if not self.mailer.host or self.every <= 0:
            return False
        waiting = {site: CommentStore(self.client, site).count("review") for site in self.sites()}
        if not any(waiting.values()):
            return False
        groups = self._recipients()
        if not groups:
            return False
        # The lock is taken before sending: a failed send waits for the next
        # period rather than risking a flood of repeats.
        if not self.client.set(LOCK, repr(self.clock()), nx=True, ex=self.every):
            return False
        for (lang, sites), to in groups.items():
            theirs = {site: count for site, count in waiting.items()
                      if sites is None or site in sites}  # fmt: skip
            if any(theirs.values()):
                self.mailer.send(self.message(theirs, to, lang))
        return True

    def _recipients(self) -> dict[tuple[str, frozenset[str] | None], list[str]]:
        """Recipients grouped by language and by the sites they may see (None:
        every site): ``DIGEST_TO`` in the default language, all sites; else
        every account, a moderator hearing only of the sites granted to them."""
        if self.recipients:
            return {(self.lang, None): self.recipients}
        groups: dict[tuple[str, frozenset[str] | None], list[str]] = {}
        for account in Accounts(self.client).accounts():
            sites = None if account.owner else account.sites
            groups.setdefault((account.lang or self.lang, sites), []).append(account.email)
        return groups

    def message(
        self, waiting: dict[str, int], to: list[str], lang: str | None = None,
    ) -> EmailMessage:  # fmt: skip
        t = self.catalogs(lang or self.lang)
        total = sum(waiting.values())
        lines = [t.ngettext("%(num)d comment awaits review.", "%(num)d comments await review.",
                            total) % {"num": total}, ""]  # fmt: skip
        for site, count in waiting.items():
            if not count:
                continue
            store = CommentStore(self.client, site)
            comments, _cursor = store.in_status("review", limit=SHOWN)
            url = self._queue_url(site)
            lines.append(t.gettext("%(site)s: %(count)d — %(url)s")
                         % {"site": site, "count": count, "url": url})  # fmt: skip
            for comment in comments:
                excerpt = " ".join(comment.body.split())[:140]
                item = t.gettext("%(author)s (%(thread)s): %(excerpt)s") % {
                    "author": comment.author, "thread": comment.thread, "excerpt": excerpt,
                }  # fmt: skip
                lines.append(f"  • {item}")
                lines.append(f"    {self._queue_url(site)}#item-{comment.id}")
            lines.append("")
        message = EmailMessage()
        message["Subject"] = t.ngettext(
            "%(num)d comment to review", "%(num)d comments to review", total
        ) % {"num": total}
        message["From"] = self.mailer.sender
        message["To"] = ", ".join(to)
        message.set_content("\n".join(lines))
        return message

    def _queue_url(self, site: str) -> str:
        return f"{self.public_url}/moderation/?{urlencode({'status': 'review', 'site': site})}"
