"""What an author changed in a published comment, for its queue card
(templates/moderation/_card_extras.html): the previous text, as a diff."""

from flask import Blueprint
from markupsafe import Markup

from moderation.keys import SiteKeys
from moderation.services import services
from moderation.text_diff import diff_html

bp = Blueprint("admin_edits", __name__)


@bp.app_template_global()
def author_change(site: str, comment_id: str) -> Markup | None:
    """The diff from the published text to the author's edit; None when the
    comment was not edited after publication."""
    before, after = services().redis.hmget(SiteKeys(site).comment(comment_id),
                                           "previous_body", "body")  # fmt: skip
    if before is None or after is None:
        return None
    return diff_html(before, after)
