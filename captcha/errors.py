"""Why a CAPTCHA check failed; turned into HTTP errors only at the web edge."""


class CaptchaError(Exception):
    """Base class: the answer does not allow a comment."""

    code = "captcha_error"
    message = "La vérification a échoué. Répondez à la nouvelle question."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class Wrong(CaptchaError):
    """The answer is not the right number (or not a number); the token is burnt."""

    code = "captcha_wrong"
    message = "La réponse au calcul est incorrecte. Répondez à la nouvelle question."


class Used(CaptchaError):
    """The token was already consumed by an earlier check."""

    code = "captcha_used"
    message = "Cette question a déjà servi. Répondez à la nouvelle question."


class Expired(CaptchaError):
    """The token is unknown or its time ran out."""

    code = "captcha_expired"
    message = "La question a expiré. Répondez à la nouvelle question."


class WrongThread(CaptchaError):
    """The token was issued for another thread; it is burnt all the same."""

    code = "captcha_thread"
    message = (
        "Cette question a été posée pour une autre discussion. Répondez à la nouvelle question."
    )


OUTCOMES: dict[str, type[CaptchaError]] = {
    "expired": Expired, "used": Used, "thread": WrongThread, "wrong": Wrong,
}  # fmt: skip


def raise_for(outcome: str) -> None:
    """Turn an outcome of ``captcha_check`` (CHECK_LUA) into its exception."""
    if outcome != "ok":
        raise OUTCOMES.get(outcome, Expired)()
