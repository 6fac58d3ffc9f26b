"""Settings: defaults, then environment variables, then a test mapping.

Each setting is listed once in ``SETTINGS`` so the README table and the
parser cannot drift apart.
"""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _lang(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in {"fr", "en"}:
        raise ValueError(f"not fr or en: {value!r}")
    return lowered


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("REDIS_URL", None, str,
            "Redis to use. Unset: `moderation serve` starts an embedded, persistent Redis."),
    Setting("SECRET_KEY", None, str,
            "Signs sessions and CSRF tokens, keys the IP hashes. Unset: generated once and "
            "kept in the instance folder."),
    Setting("INSTANCE_PATH", None, str,
            "Folder for the secret key, the embedded Redis data and extra articles."),
    Setting("ARTICLES_DIR", None, str,
            "Extra folder of Markdown articles (default: `<instance>/articles`)."),
    Setting("CAPTCHA_TTL", 600, int, "Seconds a CAPTCHA question stays valid."),
    Setting("CAPTCHA_MULTIPLY", False, _bool, "Also ask multiplications (`12 × 3 =`)."),
    Setting("RATELIMIT_ENABLED", True, _bool,
            "Rate limits on; `false` for load tests only."),
    Setting("RATELIMIT_CHALLENGE", "30/minute;300/hour", str,
            "CAPTCHA questions per client IP (IPv6 per /64), by the API and by pages that "
            "show the form alike."),
    Setting("RATELIMIT_POST", "5/minute;30/hour", str,
            "Comments per client IP, and separately per e-mail address, one budget for the "
            "API and every form."),
    Setting("RATELIMIT_REPORT", "10/minute;50/hour", str,
            "Reports of published comments per client IP, the API and the pages alike."),
    Setting("RATELIMIT_LOGIN", "10/minute;50/hour", str, "Moderator sign-in attempts per IP."),
    Setting("WRONG_ANSWERS_LIMIT", 10, int,
            "Wrong CAPTCHA answers from one IP after which it gets no new question and no "
            "answer is taken, even to a question fetched before..."),
    Setting("WRONG_ANSWERS_WINDOW", 900, int, "...for this many seconds (counted from the first)."),
    Setting("RETENTION_DAYS", 90, int,
            "After this many days a comment's e-mail, user agent and IP hash are erased "
            "(its text and name stay); 0 keeps them."),
    Setting("PUBLIC_URL", "http://127.0.0.1:8000", str,
            "The site's address as readers see it: links in e-mails, feeds and invitations "
            "are built on it."),
    Setting("SMTP_HOST", None, str,
            "Mail server for moderators' digests and readers' reply e-mails (none: no e-mail)."),
    Setting("SMTP_PORT", 587, int, "Its port."),
    Setting("SMTP_USER", None, str, "Login, if the server wants one."),
    Setting("SMTP_PASSWORD", None, str, "Password for SMTP_USER."),
    Setting("SMTP_STARTTLS", True, _bool, "Upgrade the connection with STARTTLS."),
    Setting("MAIL_FROM", "moderation@localhost", str, "Sender of the digests and reply e-mails."),
    Setting("DIGEST_MINUTES", 30, int,
            "At most one digest this often while comments wait in review (0: never)."),
    Setting("REPLY_DIGEST_MINUTES", 15, int,
            "A reader who asked for reply e-mails gets at most one per thread this often, "
            "listing the replies approved since the last (0: each as it comes)."),
    Setting("DIGEST_TO", None, str,
            "Comma-separated recipients (default: every moderator account)."),
    Setting("LOG_FORMAT", "text", str,
            "`text` or `json` (one object a line); every line carries the request id."),
    Setting("METRICS_TOKEN", None, str,
            "If set, `/metrics` wants `Authorization: Bearer <this>` (else it is open: "
            "keep it off the public network)."),
    Setting("PROXY_COUNT", 0, int,
            "Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (ProxyFix)."),
    Setting("MIN_FILL_SECONDS", 3.0, float,
            "A comment answered sooner after its question is dropped silently (bots)."),
    Setting("REDIS_SOCKET_TIMEOUT", 2.0, float,
            "Seconds before a Redis call is given up (the request then gets 503)."),
    Setting("AUTO_MIGRATE", False, _bool,
            "Bring data of an older format up to date at start-up (`moderation migrate`); "
            "unset, the site and workers refuse to start on it."),
    Setting("MODERATOR_IDLE_MINUTES", 30, int,
            "Minutes without a request after which a moderator must sign in again."),
    Setting("MODERATOR_SESSION_HOURS", 12, int,
            "Hours after which a moderator's session ends, however active."),
    Setting("MODERATOR_REQUIRE_2FA", False, _bool,
            "Every moderator must use a second factor (one-time codes) to sign in."),
    Setting("SESSION_COOKIE_SECURE", False, _bool,
            "Send cookies only over HTTPS (set it behind TLS)."),
    Setting("DISPLAY_TIMEZONE", "Europe/Paris", str, "Time zone of dates shown on pages."),
    Setting("DEFAULT_LANG", "fr", _lang,
            "Language (fr or en) when a request states none, and of e-mails to "
            "`DIGEST_TO` and to moderators who chose none."),
    Setting("SPAM_THRESHOLD", None, float,
            "Spam probability from which a comment is filed as spam (hidden, kept). "
            "Unset: the active model's own threshold, chosen when it was trained."),
    Setting("APPROVE_THRESHOLD", None, float,
            "Spam probability up to which a comment counts as likely good. "
            "Unset: the active model's own threshold."),
    Setting("LINK_HISTORY_HALF_LIFE_DAYS", 90.0, float,
            "Moderators' decisions on comments linking to a domain count for or against "
            "the next link to it, halving every this many days (0: not used)."),
    Setting("AUTO_APPROVE", False, _bool,
            "Publish likely-good comments without a moderator (default: pre-moderation)."),
    Setting("AUTO_APPROVE_KNOWN_AUTHORS", 0, int,
            "An author with this many comments published and none refused or spam in the "
            "last 90 days is trusted: their likely-good comments skip review (0: never)."),
    Setting("SPAM_RETENTION_DAYS", 0, int,
            "Spam older than this many days is deleted once a day, with an entry in the "
            "decision log (0: kept until a moderator empties the spam folder)."),
    Setting("QUEUE_POLL_SECONDS", 10, int,
            "How often an open moderation queue asks whether new comments arrived "
            "(an unchanged queue answers 304 with no body; 0: never)."),
    Setting("MAX_LINKS", 2, int, "More links than this always sends a comment to review."),
    Setting("BLOCKLIST_FILE", None, str,
            "File of words or phrases (one a line, `#` comments) that send a comment to review."),
    Setting("BURST_THRESHOLD", 3, int,
            "The n-th near-identical comment within the window (any thread or author) "
            "goes to review, flagged as a burst."),
    Setting("BURST_WINDOW", 86400, int, "Seconds near-duplicates are remembered."),
    Setting("WORKER_BATCH", 100, int, "Comments a worker reads and scores at once."),
    Setting("RECLAIM_AFTER", 60.0, float,
            "Seconds after which a dead worker's entries are taken over."),
    Setting("MAX_DELIVERIES", 5, int,
            "Failed deliveries before an entry is dead-lettered (its comment goes to review)."),
    Setting("CACHE_MAX_AGE", 10, int,
            "Seconds any cache (browser, proxy, CDN) may serve a thread's public comment "
            "list or feed without asking again (`Cache-Control: public, max-age`)."),
    Setting("CACHE_STALE_WHILE_REVALIDATE", 60, int,
            "Seconds after that a cache may still serve it while it revalidates in the "
            "background (`stale-while-revalidate`); a change shows within the sum."),
    Setting("CLOSE_AFTER_DAYS", 0, int,
            "An article's discussion closes this many days after the article's date "
            "(0: never); a moderator may reopen it, or close any thread earlier."),
    Setting("REPORTS_TO_REVIEW", 3, int,
            "Readers' reports (one per client) that send a published comment back to "
            "review; a moderator's dismissal doubles it for that comment. One report "
            "from a moderator is enough."),
    Setting("EDIT_WINDOW_MINUTES", 15, int,
            "Minutes during which a reader may edit or delete their comment from the "
            "browser that posted it (0: never)."),
    Setting("MAX_BODY_BYTES", 64 * 1024, int, "Largest request body accepted (413 above)."),
)  # fmt: skip


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parsed settings; unset ones keep their defaults."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None or raw == "":
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as error:
            raise ValueError(f"environment variable {setting.name}: {error}") from error
    return values


def markdown_table() -> str:
    """The configuration table for the README."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = "—" if setting.default is None else f"`{setting.default}`"
        rows.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return "\n".join(rows)
