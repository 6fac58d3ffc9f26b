"""The queue's live state, polled by the page: the counts of each tab and of
each site, and how many comments arrived after the newest one shown.

Answered with an ETag made from that state, so a poll of an idle queue is
a few counts read in one round trip and a ``304 Not Modified`` with no body.
"""

import hashlib
import json

from flask import Response, request

from moderation.services import services
from moderation.store import STATUSES, is_comment_id
from moderation.web.admin import bp
from moderation.web.moderator_session import chosen_site, login_required, visible_sites


@bp.get("/queue/state")
@login_required
def queue_state() -> Response:
    site = chosen_site()
    status = request.args.get("status", "review")
    after = request.args.get("after", "")
    if status not in STATUSES:
        status = "review"
    redis = services().redis
    store = services().store_for(site)
    sites = visible_sites()
    with redis.pipeline(transaction=False) as pipe:
        for tab in STATUSES:
            pipe.zcard(store.keys.status(tab))
        for name in sites:
            pipe.zcard(services().store_for(name).keys.status("review"))
        # New: after the newest comment the page shows (all of them when it shows none).
        pipe.zlexcount(store.keys.status(status), f"({after}" if is_comment_id(after) else "-",
                       "+")  # fmt: skip
        replies = pipe.execute()
    state = {
        "counts": dict(zip(STATUSES, replies[: len(STATUSES)], strict=True)),
        "sites": dict(zip(sites, replies[len(STATUSES) : len(STATUSES) + len(sites)],
                          strict=True)),  # fmt: skip
        "new": replies[-1],
    }
    body = json.dumps(state, sort_keys=True)
    tag = hashlib.blake2b(body.encode(), digest_size=12).hexdigest()
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = Response(body, mimetype="application/json")
    response.set_etag(tag)
    return response
