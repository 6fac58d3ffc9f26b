"""Form fields that are not UTF-8 reach the views as U+FFFD, in every encoding.

A lone surrogate cannot be written in UTF-8: a client sending one sends bytes
that do not decode. werkzeug turns them into U+FFFD in a multipart body, but
keeps them percent-escaped (``%ED%A0%80``) as if they were text in a
URL-encoded one, and drops the whole form when a URL-encoded body holds raw
undecodable bytes. Here both encodings give U+FFFD in the field itself, which
:mod:`moderation.validation` refuses naming that field.
"""

from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser

URLENCODED = "application/x-www-form-urlencoded"


def _field(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")


class TextFormDataParser(FormDataParser):
    """werkzeug's parser, with URL-encoded fields decoded as UTF-8 with U+FFFD
    for what does not decode."""

    def parse(
        self, stream: Any, mimetype: str, content_length: int | None,
        options: dict[str, str] | None = None,
    ) -> tuple[Any, MultiDict, MultiDict]:  # fmt: skip
        if mimetype != URLENCODED:
            return super().parse(stream, mimetype, content_length, options)
        pairs = []
        for pair in stream.read().split(b"&"):  # the stream is limited to MAX_CONTENT_LENGTH
            if pair:
                name, _, value = pair.partition(b"=")
                pairs.append((_field(name), _field(value)))
        return stream, self.cls(pairs), self.cls()


def register(app: Flask) -> None:
    """Give the app's request class (whichever it is by now) this parser."""
    base = app.request_class
    app.request_class = type(base.__name__, (base,), {"form_data_parser_class": TextFormDataParser})
