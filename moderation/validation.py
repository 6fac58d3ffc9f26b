"""Input rules for a comment, shared by the HTML form and the JSON API.

Each ``clean_*`` function returns the value to store or raises
:class:`InvalidField` naming the field, so both edges give the same answer.
"""

import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from moderation import xmlchars
from moderation.store.records import CommentInput

AUTHOR_MAX = 80
BODY_MAX = 5000
EMAIL_MAX = 254
URL_MAX = 2000


class InvalidField(ValueError):
    """One field breaks a rule; ``code`` is stable, ``message`` is for people (in
    the request's language; English outside a request)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


# What undecodable bytes become (a form's lone surrogate arrives as such bytes):
# refused so that the reader's text is never saved damaged.
REPLACEMENT = "\ufffd"


def _refuse_control(field: str, text: str, allowed: str = "") -> None:
    """Refuse control characters (but ``allowed``), lone surrogates, and
    whatever else XML 1.0 forbids (a feed carrying it would be unreadable)."""
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in allowed) or category == "Cs":
            raise InvalidField(
                field, "invalid_character",
                _("The field contains a forbidden control character (U+%(code)s).",
                  code=f"{ord(char):04X}"),
            )  # fmt: skip
        if char == REPLACEMENT or xmlchars.FORBIDDEN.match(char):
            raise InvalidField(
                field, "invalid_character",
                _("The field contains a character that is not allowed (U+%(code)s).",
                  code=f"{ord(char):04X}"),
            )  # fmt: skip


def _text(field: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidField(field, "invalid_type", _("This field must be text."))
    return value


def clean_author(value: object) -> str:
    author = _text("author", value).strip()
    if not author:
        raise InvalidField("author", "required", _("Please give your name."))
    _refuse_control("author", author)
    if len(author) > AUTHOR_MAX:
        raise InvalidField(
            "author", "too_long",
            _("The name must not be longer than %(max)d characters.", max=AUTHOR_MAX),
        )  # fmt: skip
    return author


def clean_email(value: object) -> str:
    email = _text("email", value).strip()
    if not email:
        raise InvalidField("email", "required", _("Please give your e-mail address."))
    _refuse_control("email", email)
    if len(email) > EMAIL_MAX:
        raise InvalidField("email", "too_long", _("The e-mail address is too long."))
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidField(
            "email", "invalid_email", _("The e-mail address is not valid.")
        ) from error
    return checked.normalized


def clean_url(value: object) -> str:
    url = _text("url", value).strip()
    if not url:
        return ""
    _refuse_control("url", url)
    if len(url) > URL_MAX:
        raise InvalidField("url", "too_long", _("The website address is too long."))
    if ":" not in url.split("/", 1)[0]:
        url = "https://" + url  # "example.org" is what most people type
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise InvalidField(
            "url", "invalid_url", _("The website address is not valid.")
        ) from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise InvalidField(
            "url", "invalid_url", _("The website must start with http:// or https://.")
        )
    if not parts.hostname or any(char.isspace() for char in url):
        raise InvalidField("url", "invalid_url", _("The website address is not valid."))
    return url


def clean_body(value: object) -> str:
    body = _text("body", value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise InvalidField("body", "required", _("Please write your comment."))
    _refuse_control("body", body, allowed="\n\t")
    if len(body) > BODY_MAX:
        raise InvalidField(
            "body", "too_long",
            _("The comment must not be longer than %(max)d characters (%(length)d received).",
              max=BODY_MAX, length=len(body)),
        )  # fmt: skip
    return body


def clean_comment(author: object, email: object, body: object, url: object) -> CommentInput:
    """All rules, in the order the form shows the fields."""
    return CommentInput(
        author=clean_author(author),
        email=clean_email(email),
        url=clean_url(url),
        body=clean_body(body),
    )


REPORT_TEXT_MAX = 500


def clean_report(reason: object, text: object, reasons: tuple[str, ...]) -> tuple[str, str]:
    """A reader's report: one of ``reasons``, and a text that "other" needs."""
    if reason not in reasons:
        raise InvalidField("reason", "invalid_reason",
                           _("reason must be one of %(values)s.", values=", ".join(reasons)))
    cleaned = _text("text", text).strip()
    _refuse_control("text", cleaned, allowed="\n\r\t")
    if len(cleaned) > REPORT_TEXT_MAX:
        raise InvalidField(
            "text", "too_long",
            _("The text must not be longer than %(max)d characters.", max=REPORT_TEXT_MAX),
        )  # fmt: skip
    if reason == "other" and not cleaned:
        raise InvalidField("text", "required", _("Say what is wrong with this comment."))
    return str(reason), cleaned
