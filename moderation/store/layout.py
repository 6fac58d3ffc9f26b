"""The keys every comment script receives, in one place.

A script that touches a comment also keeps its indexes in step, so each
receives the same run of keys for each comment it handles (``PER`` of them);
a batch script receives one run per comment. The run is described once, here:
``comment_keys`` builds it in Python, and ``lua_prelude`` gives the scripts
the offsets of its parts as named constants (``K_STATUS`` ...), so neither
side counts positions by hand.
"""

from moderation.keys import SiteKeys

STATUSES = ("pending", "review", "approved", "rejected", "spam")

# (name, how many keys) in the order a script receives them.
SEGMENTS = (
    ("comment", 1),  # the comment's hash
    ("approved", 1),  # the thread's index of published comments
    ("status", len(STATUSES)),  # the site's index of each status, in STATUSES order
    ("uncertain", 1),  # the review items by distance of their score to 0.5
    ("thread_status", len(STATUSES)),  # the thread's index of each status
    ("version", 1),  # bumped whenever the thread's published list changes
    ("changed", 1),  # ...and when that happened
)
PER = sum(size for _name, size in SEGMENTS)


def offsets() -> dict[str, int]:
    """Where each part of the run starts (1-based, as Lua counts)."""
    found, at = {}, 1
    for name, size in SEGMENTS:
        found[name] = at
        at += size
    return found


def comment_keys(keys: SiteKeys, comment_id: str, thread: str) -> list[str]:
    """The run of keys of one comment, in ``SEGMENTS`` order."""
    parts = {
        "comment": [keys.comment(comment_id)],
        "approved": [keys.approved(thread)],
        "status": [keys.status(status) for status in STATUSES],
        "uncertain": [keys.uncertain],
        "thread_status": [keys.thread_status(thread, status) for status in STATUSES],
        "version": [keys.approved_version(thread)],
        "changed": [keys.approved_changed(thread)],
    }
    run = [key for name, size in SEGMENTS for key in parts[name]]
    assert len(run) == PER
    return run


def lua_prelude() -> str:
    """The layout as Lua constants; a script's own keys start at ``EXTRA``."""
    lines = [f"local K_{name.upper()} = {at}" for name, at in offsets().items()]
    statuses = ", ".join(f"'{status}'" for status in STATUSES)
    lines += [f"local PER = {PER}", "local EXTRA = PER + 1", f"local STATUSES = {{{statuses}}}"]
    # Not every script needs every constant: luacheck is told so, for these lines only.
    return "\n".join(["-- luacheck: push ignore 211", *lines, "-- luacheck: pop"]) + "\n"
