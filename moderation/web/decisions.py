"""A moderator's decisions on the queue, and undoing the last twenty.

Plain forms work (a redirect back to the tab); the queue's script asks for
JSON instead (``Accept: application/json``) so that a decision is one
request and the page keeps its place.
"""

from typing import Any

from flask import abort, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from moderation.services import services
from moderation.store import STATUSES, CommentNotFound, StatusConflict
from moderation.undo import Step, UndoStack
from moderation.web.admin import DECISIONS, LABELS, bp
from moderation.web.moderator_session import chosen_site, login_required


def decided_message(decision: str, count: int) -> str:
    """The confirmation after a decision, a real plural in each language."""
    if decision == "approve":
        return ngettext("%(num)d comment published.", "%(num)d comments published.", count)
    if decision == "reject":
        return ngettext("%(num)d comment rejected.", "%(num)d comments rejected.", count)
    if decision == "spam":
        return ngettext("%(num)d comment filed as spam.", "%(num)d comments filed as spam.",
                        count)  # fmt: skip
    return ngettext("%(num)d comment sent back to review.",
                    "%(num)d comments sent back to review.", count)  # fmt: skip


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def undo_stack() -> UndoStack:
    return UndoStack(services().redis, session.get("sid", ""))


def _conflict_message(comment_id: str, current: str | None) -> str:
    shown = str(LABELS[current]) if current in LABELS else current or _("deleted")
    return _("Conflict: another moderator already handled %(id)s (“%(status)s”). "
             "Nothing was overwritten.", id=comment_id, status=shown)  # fmt: skip


def _position() -> int:
    raw = request.form.get("position", "")
    return int(raw) if raw.isdecimal() and len(raw) < 6 else 0


@bp.post("/decide")
@login_required
def decide() -> Any:
    status = request.form.get("status", "review")
    tab = status if status in STATUSES else "review"
    site = chosen_site()
    query = {k: v for k in ("sort", "thread") if (v := request.form.get(k, ""))}
    back = url_for(".queue", status=tab, site=site, **query)
    single = request.form.get("action", "")
    if single:
        comment_id, _colon, decision = single.partition(":")
        targets = [comment_id]
    else:
        decision = request.form.get("bulk", "")
        targets = request.form.getlist("ids")
    if decision not in DECISIONS or not targets:
        message = _("Choose an action and at least one comment.")
        if _wants_json():
            return jsonify(error={"code": "no_action", "message": message,
                                  "field": "bulk" if not single else "action"}), 400  # fmt: skip
        flash(message, "error")
        return redirect(back, 303)
    previous: dict[str, str] = {}
    conflicts: list[tuple[str, str | None]] = []
    store = services().store_for(site)
    for comment_id in targets:
        expected = request.form.get(f"expected-{comment_id}") or None
        try:
            previous[comment_id] = store.decide(
                comment_id, DECISIONS[decision], g.moderator, expected=expected,
                via="bulk" if not single else "page")  # fmt: skip
        except StatusConflict as error:
            conflicts.append((comment_id, error.current))
        except CommentNotFound:
            conflicts.append((comment_id, None))
    message = decided_message(decision, len(previous)) if previous else ""
    if previous:
        undo_stack().push(Step(site=site, status=DECISIONS[decision], previous=previous,
                               tab=tab, position=_position(), query=query))  # fmt: skip
    errors = [_conflict_message(i, current) for i, current in conflicts]
    if _wants_json():
        return jsonify(done=list(previous), message=message, errors=errors,
                       conflicts=[i for i, _current in conflicts],
                       undo=undo_stack().depth())  # fmt: skip
    if message:
        flash(message, "done")
    for error in errors:
        flash(error, "error")
    return redirect(back, 303)


@bp.post("/undo")
@login_required
def undo() -> Any:
    step = undo_stack().pop()
    if step is None:
        if _wants_json():
            return jsonify(error={"code": "nothing_to_undo", "message": _("Nothing to undo.")}), 409
        flash(_("Nothing to undo."), "error")
        return redirect(url_for(".queue"), 303)
    if not g.account.may_see(step.site):  # the grant was taken away since
        abort(404)
    store = services().store_for(step.site)
    restored, errors = [], []
    for comment_id, before in step.previous.items():
        try:
            store.decide(comment_id, before, g.moderator, expected=step.status, via="undo")
            restored.append(comment_id)
        except (StatusConflict, CommentNotFound, ValueError):
            errors.append(_("%(id)s has changed since: not undone.", id=comment_id))
    message = _("Decision undone.") if restored else ""
    first = restored[0] if restored else None
    target = url_for(".queue", status=step.tab, site=step.site, focus=first,
                     **step.query) + (f"#item-{first}" if first else "")  # fmt: skip
    if _wants_json():
        return jsonify(restored=restored, message=message, errors=errors, tab=step.tab,
                       site=step.site, position=step.position, url=target,
                       undo=undo_stack().depth())  # fmt: skip
    if message:
        flash(message, "done")
    for error in errors:
        flash(error, "error")
    return redirect(target, 303)


@bp.app_template_global()
def undo_depth() -> int:
    """How many decisions this session may undo (the queue shows the button)."""
    return undo_stack().depth() if session.get("sid") else 0


