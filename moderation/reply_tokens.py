"""Signed links of reply notifications: confirming an address (good for
48 h from the request, checked against the caller's clock so tests can move
it) and unsubscribing (from one thread or from everything; no expiry, as
RFC 8058 wants the link in an old e-mail to keep working). Nothing is
stored for a token: the signature is the proof."""

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from moderation.reply_subscriptions import CONFIRM_SECONDS


class BadToken(ValueError):
    """Not one of our links (mistyped, forged, or of another kind)."""


class ExpiredToken(ValueError):
    """A confirmation link older than 48 h."""


@dataclass(frozen=True, slots=True)
class Confirmation:
    site: str
    h: str
    asked_at: float


@dataclass(frozen=True, slots=True)
class Unsubscription:
    site: str
    h: str
    thread: str  # "" for every thread


class ReplyTokens:
    def __init__(self, secret: str) -> None:
        self._confirm = URLSafeSerializer(secret, salt="reply-notifications.confirm")
        self._leave = URLSafeSerializer(secret, salt="reply-notifications.unsubscribe")

    def confirmation(self, site: str, h: str, asked_at: float) -> str:
        return self._confirm.dumps([site, h, asked_at])

    def unsubscription(self, site: str, h: str, thread: str = "") -> str:
        return self._leave.dumps([site, h, thread])

    def read_confirmation(self, token: str, now: float) -> Confirmation:
        try:
            site, h, asked_at = self._confirm.loads(token)
        except (BadSignature, ValueError, TypeError) as error:
            raise BadToken(token) from error
        if now - float(asked_at) > CONFIRM_SECONDS:
            raise ExpiredToken(token)
        return Confirmation(site, h, float(asked_at))

    def read_unsubscription(self, token: str) -> Unsubscription:
        try:
            site, h, thread = self._leave.loads(token)
        except (BadSignature, ValueError, TypeError) as error:
            raise BadToken(token) from error
        return Unsubscription(site, h, thread)
