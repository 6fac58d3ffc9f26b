"""Why a CAPTCHA check failed; turned into HTTP errors only at the web edge.

Messages are English gettext ids, marked with ``N_`` for extraction; the
application translates them where it shows them (this package knows no
request and no language).
"""


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, do not translate"
    return message


class CaptchaError(Exception):
    """Base class: the answer does not allow a comment."""

    code = "captcha_error"
    message = N_("The check failed. Please answer the new question.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class Wrong(CaptchaError):
    """The answer is not the right number (or not a number); the token is burnt."""

    code = "captcha_wrong"
    message = N_("The answer to the sum is wrong. Please answer the new question.")


class Used(CaptchaError):
    """The token was already consumed by an earlier check."""

    code = "captcha_used"
    message = N_("This question was already used. Please answer the new question.")


class Expired(CaptchaError):
    """The token is unknown or its time ran out."""

    code = "captcha_expired"
    message = N_("The question has expired. Please answer the new question.")


class WrongThread(CaptchaError):
    """The token was issued for another thread; it is burnt all the same."""

    code = "captcha_thread"
    message = N_(
        "This question was asked for another discussion. Please answer the new question."
    )


OUTCOMES: dict[str, type[CaptchaError]] = {
    "expired": Expired, "used": Used, "thread": WrongThread, "wrong": Wrong,
}  # fmt: skip


def raise_for(outcome: str) -> None:
    """Turn an outcome of ``captcha_check`` (CHECK_LUA) into its exception."""
    if outcome != "ok":
        raise OUTCOMES.get(outcome, Expired)()
