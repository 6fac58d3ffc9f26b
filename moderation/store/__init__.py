"""Comments in Redis: the only package that writes comment keys.

- ``ids``: comment ids, which carry their creation time;
- ``records``: a comment as typed, as stored, a verdict, a submission, errors;
- ``layout``: the run of keys every comment script receives;
- ``scripts`` and ``lua/``: the Lua scripts, one file each;
- ``comments``: ``CommentStore``, which runs them.
"""

from moderation.store.comments import CommentStore
from moderation.store.ids import (
    created_at_of,
    first_id_at,
    is_comment_id,
    iso8601,
    new_comment_id,
    stable_id,
)
from moderation.store.records import (
    ANONYMOUS,
    STATUSES,
    Comment,
    CommentInput,
    CommentNotFound,
    InvalidParent,
    StatusConflict,
    Submission,
    Verdict,
)

__all__ = [
    "ANONYMOUS",
    "STATUSES",
    "Comment",
    "CommentInput",
    "CommentNotFound",
    "CommentStore",
    "InvalidParent",
    "StatusConflict",
    "Submission",
    "Verdict",
    "created_at_of",
    "first_id_at",
    "is_comment_id",
    "iso8601",
    "new_comment_id",
    "stable_id",
]
