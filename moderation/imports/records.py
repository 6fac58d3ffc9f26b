"""What a reader of an export file gives back: comments as :class:`Record`,
the threads they belong to as :class:`ThreadSource`, and a :class:`Skip` for
each record it could not read (the others are still imported)."""

from dataclasses import dataclass, field


@dataclass
class Record:
    """One comment as read from a file, before it gets our id."""

    source_id: str  # its id where it comes from ("": it has none, it answers nobody's reply)
    thread: str  # ours once mapped (threads.py); JSON Lines rows carry ours already
    author: str
    email: str
    url: str
    body: str
    status: str
    created_at: float
    parent: str = ""  # the source id of the comment it answers
    user_agent: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # kept as is (JSON Lines)
    line: int = 0  # where it is in a JSON Lines file (0: not from one)
    source_thread: str = ""  # the key of its ThreadSource (other systems' files)
    hidden: str = ""  # why it is not public, a reason of HIDDEN ("" : nothing hides it)
    thread_url: str = ""  # the page it was shown on (JSON Lines)
    place: str = ""  # where it is in the file, for one without an id ("post 5")

    @property
    def where(self) -> str:
        """How a report names it: its line, else its id in the export, else its place."""
        if self.line:
            return f"line {self.line}"
        return f"comment {self.source_id!r}" if self.source_id else self.place or "a comment"


@dataclass
class ThreadSource:
    """A page of the source system that comments belong to."""

    key: str  # unique within the file
    names: tuple[str, ...]  # what --thread-map may call it (ids, slug, address)
    candidates: tuple[str, ...]  # what the thread id is made from, best first
    url: str = ""  # the page's address, kept so the widget can find it by URL
    hidden: str = ""  # why none of its comments may be public (HIDDEN)

    @property
    def label(self) -> str:
        """How messages name it: its address, else its first name."""
        return self.url or next((name for name in self.names if name), self.key)


@dataclass(frozen=True)
class Skip:
    """A record left out: where it is in the file and why."""

    where: str
    reason: str  # a key of SKIPPED
    detail: str = ""

    def __str__(self) -> str:
        label = SKIPPED.get(self.reason, self.reason)
        if self.detail.startswith(label):  # the detail says it all
            return f"{self.where}: skipped, {self.detail}"
        return f"{self.where}: skipped, {label}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Reading:
    """Everything read from one file."""

    records: list[Record] = field(default_factory=list)
    threads: dict[str, ThreadSource] = field(default_factory=dict)
    skips: list[Skip] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # records fixed where the fix is certain


# Why a record is left out (summary lines and reports).
SKIPPED = {
    "unreadable": "unreadable record",
    "bad_date": "unreadable date",
    "no_text": "no text",
    "no_thread": "no usable thread",
    "invalid_thread": "invalid thread name",
    "invalid_site": "invalid site name",
    "not_a_comment": "not a comment (pingback or trackback)",
}

# Why an imported record is not public (the README's table says which source
# states give which status).
HIDDEN = {
    "pending": "awaiting moderation at the source",
    "spam": "spam at the source",
    "trash": "in the bin at the source",
    "deleted": "deleted at the source",
    "password": "its post has a password",
    "unpublished": "its post is not published",
    "thread_deleted": "its thread was deleted",
    "thread_spam": "its thread is marked as spam",
}

# What a reason that hides a whole thread does to a comment the source had approved.
HIDDEN_STATUS = {"password": "rejected", "unpublished": "rejected",
                 "thread_deleted": "rejected", "thread_spam": "spam"}  # fmt: skip


def hide(record: Record, reason: str) -> None:
    """Keep ``record`` from being public for ``reason`` (a thread's state): an
    approved comment takes the reason's status, one already hidden stays so."""
    if not reason:
        return
    if record.status == "approved":
        record.status = HIDDEN_STATUS.get(reason, "rejected")
    record.hidden = record.hidden or reason
