"""Names of every Redis key the application owns.

All keys of one site carry the hash tag ``{site}`` so that a comment, its
thread index and its queue entry share one Redis Cluster slot and one
MULTI/Lua step can cover them. What is not a site's has a tag of its own,
one per module that owns it, so each module's steps stay in one slot too.
"""

from dataclasses import dataclass

# Prefixes of the keys that belong to no site; their modules build the rest.
ACCOUNTS = "acct:{accounts}:"  # accounts, sessions, invitations, 2FA, the team's log
LOGIN_GUARD = ACCOUNTS + "login:"  # sign-in failure counters (login_guard.py)
TEAM_AUDIT = ACCOUNTS + "audit"
UNDO = ACCOUNTS + "undo:"  # a session's last decisions, newest first (undo.py)
SITES = "site:{sites}:"
WEBHOOKS = "hook:{hooks}:"  # hooks, their queue and retries in one slot
MODELS = "model:{models}:"
DIGEST_SENT = "digest:{digest}:sent"  # when the moderators' digest last went out
LIMITS = "limits"  # Flask-Limiter's own prefix for its moving windows
CAPTCHA = "captcha"  # the challenge store's prefix; its namespace is the site's tag
DATA_FORMAT = "meta:{meta}:format"  # the data-format version (migrations/)
MIGRATION_LOCK = "meta:{meta}:migrating"  # held while migrations run


@dataclass(frozen=True, slots=True)
class SiteKeys:
    site: str = "default"

    @property
    def tag(self) -> str:
        return f"{{{self.site}}}"

    def comment(self, comment_id: str) -> str:
        return f"comment:{self.tag}:{comment_id}"

    def approved(self, thread: str) -> str:
        return f"thread:{self.tag}:{thread}:approved"

    def approved_version(self, thread: str) -> str:
        """A counter bumped whenever the thread's approved list changes."""
        return f"thread:{self.tag}:{thread}:version"

    def approved_changed(self, thread: str) -> str:
        """When the approved list last changed, by the Redis server's clock
        (epoch seconds): the Last-Modified of the thread's lists and feeds."""
        return f"thread:{self.tag}:{thread}:changed"

    def status(self, status: str) -> str:
        """Ids of the site's comments in one status, scored by creation time."""
        return f"status:{self.tag}:{status}"

    def thread_status(self, thread: str, status: str) -> str:
        """The same, for one thread: lets moderators filter by article."""
        return f"thread:{self.tag}:{thread}:status:{status}"

    @property
    def uncertain(self) -> str:
        """Ids in review with a score, scored by its distance to 0.5."""
        return f"uncertain:{self.tag}"

    @property
    def queue(self) -> str:
        return f"queue:{self.tag}"

    @property
    def dead_letters(self) -> str:
        return f"dead:{self.tag}"

    @property
    def agents(self) -> str:
        """User agents by digest: comments hold the digest (agents repeat)."""
        return f"agents:{self.tag}"

    @property
    def privacy(self) -> str:
        """Where the retention purge has got to, and its daily lock."""
        return f"privacy:{self.tag}"

    @property
    def traps(self) -> str:
        """How many submissions each bot trap caught (see bot_traps.py)."""
        return f"traps:{self.tag}"

    @property
    def audit(self) -> str:
        """Every moderator decision, append-only."""
        return f"audit:{self.tag}"

    @property
    def feedback(self) -> str:
        """Decisions as labelled examples for the classifier."""
        return f"feedback:{self.tag}"

    def wrong_answers(self, client: str) -> str:
        """Wrong CAPTCHA answers of one client (a counter's key, see limits.py)
        on this site: in the site's slot, so the submission script counts it."""
        return f"wrong:{self.tag}:{client}"

    def burst_band(self, band: int, value: int) -> str:
        """Near-duplicate fingerprints sharing one band value (bursts.py)."""
        return f"dup:{self.tag}:{band}:{value:02x}"

    def reports(self, comment_id: str) -> str:
        """Readers' reports of one comment, by reporter (a client key, see
        limits.client_key): one each (store/reports.py)."""
        return f"reports:{self.tag}:{comment_id}"

    @property
    def closed(self) -> str:
        """Threads a moderator closed ("closed") or reopened after their
        automatic closing ("open"), by thread (closed_threads.py)."""
        return f"closed:{self.tag}"

    @property
    def domains(self) -> str:
        """Decayed counts of spam and approved decisions per link domain."""
        return f"domains:{self.tag}"

    @property
    def thread_urls(self) -> str:
        """Thread id -> the address of its page at the source (thread_urls.py)."""
        return f"threadurl:{self.tag}"

    # Reply notifications (reply_subscriptions.py); ``h`` is an address's digest.
    def reply_address(self, h: str) -> str:
        """An address asking for replies: e-mail, state, when it asked."""
        return f"notify:{self.tag}:addr:{h}"

    def reply_threads(self, h: str) -> str:
        """Threads an address follows -> the language of the page it asked on."""
        return f"notify:{self.tag}:threads:{h}"

    def reply_comments(self, h: str) -> str:
        """The comments an address asked to hear replies to."""
        return f"notify:{self.tag}:comments:{h}"

    @property
    def reply_watch(self) -> str:
        """Comment id -> the digest of the address that follows its replies."""
        return f"notify:{self.tag}:watch"

    def reply_batch(self, h: str, thread: str) -> str:
        """Approved replies not yet mailed to an address, for one thread."""
        return f"notify:{self.tag}:batch:{h}:{thread}"

    @property
    def reply_due(self) -> str:
        """E-mails to send ([kind, digest, thread] as JSON), scored by when."""
        return f"notify:{self.tag}:due"

    @property
    def reply_sent(self) -> str:
        """"digest thread" -> when its last reply e-mail went out."""
        return f"notify:{self.tag}:sent"

    @property
    def reply_tries(self) -> str:
        """A due e-mail's failed attempts so far (for the backoff)."""
        return f"notify:{self.tag}:tries"

    def reply_lock(self, member: str) -> str:
        """Held by the worker sending one due e-mail (a lease)."""
        return f"notify:{self.tag}:lock:{member}"

    @property
    def thread_titles(self) -> str:
        """Thread id -> the title its page gave the widget (``data-title``)."""
        return f"threadtitle:{self.tag}"

    @property
    def thread_pages(self) -> str:
        """A page's address, normalised -> its thread id (thread_urls.py)."""
        return f"threadpage:{self.tag}"

    def author(self, subject: str) -> str:
        """Ids of one author's comments (by e-mail or by IP hash, authors.py)."""
        return f"author:{self.tag}:{subject}"

    @property
    def author_marks(self) -> str:
        """Moderators' marks on authors: subject → trusted/blocked, until when."""
        return f"authors:{self.tag}"

    @property
    def spam_purge(self) -> str:
        """The daily lock of the spam retention purge (spam_folder.py)."""
        return f"spampurge:{self.tag}"
