"""The CAPTCHA as a WTForms field and validator, checked inside ``validate()``."""

from collections.abc import Callable

from wtforms import Form, StringField
from wtforms.validators import ValidationError

from captcha.errors import CaptchaError
from captcha.store import ChallengeStore, Passed


class CaptchaField(StringField):
    """The reader's answer; its label is the question itself.

    The token travels in a sibling hidden field named ``token_field``.
    """

    def __init__(self, *args: object, token_field: str = "captcha_token", **kwargs: object) -> None:
        render_kw = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        render_kw.update(kwargs.pop("render_kw", None) or {})  # type: ignore[arg-type]
        super().__init__(*args, render_kw=render_kw, **kwargs)  # type: ignore[arg-type]
        self.token_field = token_field
        self.passed: Passed | None = None
        self.captcha_error: CaptchaError | None = None

    def ask(self, form: Form, token: str, question: str) -> None:
        """Show a new question: set its token and label, and clear the old answer."""
        form[self.token_field].data = token
        self.label.text = question
        self.data = ""
        self.raw_data = []


class ArithmeticCaptcha:
    """Validator consuming the challenge; a failed check raises ``ValidationError``.

    ``store`` and ``thread`` are callables so the form can be declared before
    an application or a request exists.
    """

    def __init__(
        self,
        store: Callable[[], ChallengeStore],
        thread: Callable[[Form], str],
        namespace: Callable[[Form], str] = lambda form: "default",
        translate: Callable[[str], str] = str,
    ) -> None:
        self.store = store
        self.thread = thread
        self.namespace = namespace
        self.translate = translate  # the application's gettext: messages are English ids

    def __call__(self, form: Form, field: CaptchaField) -> None:
        token = form[field.token_field].data
        try:
            field.passed = self.store().check(
                token, self.thread(form), field.data, self.namespace(form)
            )
        except CaptchaError as error:
            field.captcha_error = error
            raise ValidationError(self.translate(str(error))) from error
