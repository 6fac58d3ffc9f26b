"""Input rules for a comment, shared by the HTML form and the JSON API.

Each ``clean_*`` function returns the value to store or raises
:class:`InvalidField` naming the field, so both edges give the same answer.
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

AUTHOR_MAX = 80
BODY_MAX = 5000
EMAIL_MAX = 254
URL_MAX = 2000


class InvalidField(ValueError):
    """One field breaks a rule; ``code`` is stable, ``message`` is for people."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class CommentInput:
    author: str
    email: str
    body: str
    url: str


def _refuse_control(field: str, text: str, allowed: str = "") -> None:
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in allowed) or category == "Cs":
            raise InvalidField(
                field, "invalid_character",
                f"Le champ contient un caractère de contrôle interdit (U+{ord(char):04X}).",
            )  # fmt: skip


def _text(field: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidField(field, "invalid_type", "Ce champ doit être du texte.")
    return value


def clean_author(value: object) -> str:
    author = _text("author", value).strip()
    if not author:
        raise InvalidField("author", "required", "Indiquez votre nom.")
    _refuse_control("author", author)
    if len(author) > AUTHOR_MAX:
        raise InvalidField(
            "author", "too_long", f"Le nom ne doit pas dépasser {AUTHOR_MAX} caractères."
        )
    return author


def clean_email(value: object) -> str:
    email = _text("email", value).strip()
    if not email:
        raise InvalidField("email", "required", "Indiquez votre adresse e-mail.")
    _refuse_control("email", email)
    if len(email) > EMAIL_MAX:
        raise InvalidField("email", "too_long", "L’adresse e-mail est trop longue.")
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidField(
            "email", "invalid_email", "L’adresse e-mail n’est pas valide."
        ) from error
    return checked.normalized


def clean_url(value: object) -> str:
    url = _text("url", value).strip()
    if not url:
        return ""
    _refuse_control("url", url)
    if len(url) > URL_MAX:
        raise InvalidField("url", "too_long", "L’adresse du site web est trop longue.")
    if ":" not in url.split("/", 1)[0]:
        url = "https://" + url  # "example.org" is what most people type
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise InvalidField(
            "url", "invalid_url", "L’adresse du site web n’est pas valide."
        ) from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise InvalidField(
            "url", "invalid_url", "Le site web doit commencer par http:// ou https://."
        )
    if not parts.hostname or any(char.isspace() for char in url):
        raise InvalidField("url", "invalid_url", "L’adresse du site web n’est pas valide.")
    return url


def clean_body(value: object) -> str:
    body = _text("body", value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise InvalidField("body", "required", "Écrivez votre commentaire.")
    _refuse_control("body", body, allowed="\n\t")
    if len(body) > BODY_MAX:
        raise InvalidField(
            "body", "too_long",
            f"Le commentaire ne doit pas dépasser {BODY_MAX} caractères ({len(body)} reçus).",
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
