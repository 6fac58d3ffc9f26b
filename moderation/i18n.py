"""Languages: French and English through Flask-Babel.

Which one a request gets: a view that knows better says so with
:func:`use` (an article's own language, a moderator's choice); otherwise
``Accept-Language`` decides, else ``DEFAULT_LANG``. Catalogs live in
``translations/`` and are compiled at install time (``make translations``).
"""

import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import support
from babel.dates import format_datetime, format_timedelta
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, refresh

LANGUAGES = ("fr", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=_select,
        default_locale=app.config["DEFAULT_LANG"],
        default_timezone=app.config["DISPLAY_TIMEZONE"],
        default_translation_directories=str(TRANSLATIONS),
    )
    # {% trans %} blocks are extracted trimmed (babel.cfg), so render them trimmed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["current_language"] = current
    check_compiled()


def check_compiled() -> None:
    """Refuse to start on catalogs that were never compiled or are stale: the
    site would silently speak only English."""
    for po in TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            raise RuntimeError(
                f"the {po.parent.parent.name} catalog is not compiled or older than its "
                "source: run `make translations` (pybabel compile -d moderation/translations)"
            )


def _select() -> str:
    chosen = g.get("lang")
    if chosen:
        return chosen
    return asked() or current_app.config["DEFAULT_LANG"]


def asked() -> str | None:
    """The language the request asks for: ``?lang=``, else ``Accept-Language``."""
    if not has_request_context():
        return None
    return chosen() or request.accept_languages.best_match(LANGUAGES)


def chosen() -> str | None:
    """``?lang=`` when it names one of our languages."""
    wanted = request.args.get("lang", "")
    return wanted if wanted in LANGUAGES else None


def use(lang: str | None) -> str:
    """Serve the rest of this request in ``lang`` (ignored when not one of ours)."""
    if lang in LANGUAGES:
        g.lang = lang
        refresh()
    return current()


def current() -> str:
    return str(get_locale() or current_app.config["DEFAULT_LANG"])


def long_datetime(moment: object) -> str:
    """« 4 novembre 2024 à 9 h 30 » / « 4 November 2024 at 9:30 », in the display zone."""
    lang = current()
    pattern = "d MMMM y 'à' H 'h' mm" if lang == "fr" else "d MMMM y 'at' H:mm"
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]),
                           locale=lang)  # fmt: skip


def short_datetime(moment: object) -> str:
    """« 4 nov. 2024, 09:30 »: fits one line of a card or of the decision log."""
    return format_datetime(moment, "d MMM y, HH:mm", locale=current(),
                           tzinfo=ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))  # fmt: skip


def relative_datetime(moment: datetime) -> str:
    """« il y a 3 h » / « 3 hr. ago »: the unit is the largest that fits
    (a year of 365 days, a month of 30, weeks...), as the widget does
    (widget.js ``ago``), so both say the same."""
    now = (current_app.config.get("CLOCK") or time.time)()
    seconds = min(moment.timestamp() - now, -1.0)  # never "in 0 s"
    said = format_timedelta(timedelta(seconds=seconds), threshold=1, add_direction=True,
                            format="short", locale=current())
    # The number holds to its unit, as browsers' Intl.RelativeTimeFormat writes it.
    return re.sub(r"(\d) ", "\\1\u00a0", said) if current() == "fr" else said


def catalog(lang: str) -> support.Translations | support.NullTranslations:
    """A language's compiled catalog for work outside a request (the worker's
    e-mails): ``.gettext``/``.ngettext`` as usual."""
    return support.Translations.load(str(TRANSLATIONS), [lang], DOMAIN)
