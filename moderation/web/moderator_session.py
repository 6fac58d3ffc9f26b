"""Who is signed in on a moderator page, and which sites they may see.

The signed cookie only names a session (``moderation/sessions.py``): every
request checks it against Redis, so a session that ended is refused at once.
Pages ask ``chosen_site()`` for the site to show: a site outside the account's
grants answers 404, exactly as a site that does not exist, so nothing about it
leaks (not even that it exists).
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, session, url_for

from moderation import i18n
from moderation.accounts import Account
from moderation.services import services
from moderation.sessions import Sessions
from moderation.sites import DEFAULT as DEFAULT_SITE

# Pages a signed-in account that must still enrol a second factor may open.
ENROL_ENDPOINTS = {"two_factor.enrol", "admin.logout", "admin.language"}


def now() -> float:
    return (current_app.config.get("CLOCK") or time.time)()


def sessions() -> Sessions:
    config = current_app.config
    return Sessions(services().redis, services().accounts,
                    idle_seconds=config["MODERATOR_IDLE_MINUTES"] * 60,
                    lifetime_seconds=config["MODERATOR_SESSION_HOURS"] * 3600,
                    clock=current_app.config.get("CLOCK") or time.time)  # fmt: skip


def clear_session() -> None:
    """Forget everything but the language: the sign-in page that follows a
    sign-out or an expiry stays in the language the moderator reads."""
    lang = session.get("lang")
    session.clear()
    if lang in i18n.LANGUAGES:
        session["lang"] = lang


def start(account: Account) -> None:
    """A fresh session for ``account`` (no fixation: the old cookie's content goes)."""
    lang = session.get("lang")
    session.clear()
    sid = sessions().start(account, request.headers.get("User-Agent", ""))
    session.update(moderator=account.email, sid=sid, gen=account.generation)
    if lang in i18n.LANGUAGES:
        session["lang"] = lang
    session.permanent = True


def current_account() -> Account | None:
    email, sid, generation = session.get("moderator"), session.get("sid"), session.get("gen")
    if not isinstance(email, str) or not isinstance(sid, str) or not isinstance(generation, int):
        return None
    return sessions().check(email, sid, generation)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        account = current_account()
        if account is None:
            clear_session()
            return redirect(url_for("admin.login", next=request.full_path))
        g.moderator, g.account = account.email, account
        if (current_app.config["MODERATOR_REQUIRE_2FA"] and not account.two_factor
                and request.endpoint not in ENROL_ENDPOINTS):  # fmt: skip
            return redirect(url_for("two_factor.enrol"))
        return view(*args, **kwargs)

    return guarded


def owner_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Owners only; to anyone else the page does not exist."""

    @login_required
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not g.account.owner:
            abort(404)
        return view(*args, **kwargs)

    return guarded


def visible_sites() -> list[str]:
    """The sites the signed-in account may see, ours first."""
    return g.account.visible(services().sites.names())


def site_choices() -> list[tuple[str, int]]:
    """For the site picker: each visible site with its comments waiting for review."""
    return [(site, services().store_for(site).count("review")) for site in visible_sites()]


def chosen_site() -> str:
    """The site being moderated (``?site=`` or the form's ``site``), default
    the first the account may see; 404 for any other."""
    visible = visible_sites()
    site = request.values.get("site") or (DEFAULT_SITE if DEFAULT_SITE in visible else (
        visible[0] if visible else ""))  # fmt: skip
    if site not in visible:
        abort(404)
    return site
