"""The comment form under each article (Flask-WTF: CSRF on). Its answer to
the question is checked by the submission, like the API's."""

from collections.abc import Callable

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    Form,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from captcha import ChallengeStore
from captcha.fields import CaptchaField
from moderation import validation


class Cleaned:
    """Run one of :mod:`moderation.validation`'s rules and keep its cleaned value."""

    def __init__(self, rule: Callable[[object], str]) -> None:
        self.rule = rule

    def __call__(self, form: Form, field: Field) -> None:
        try:
            field.data = self.rule(field.data)
        except validation.InvalidField as error:
            raise StopValidation(error.message) from error


class CommentForm(FlaskForm):
    author = StringField(
        _l("Name"),
        [Cleaned(validation.clean_author)],
        render_kw={"autocomplete": "name", "maxlength": validation.AUTHOR_MAX},
    )
    email = StringField(
        _l("E-mail (never published)"),
        [Cleaned(validation.clean_email)],
        render_kw={"autocomplete": "email", "type": "email", "maxlength": validation.EMAIL_MAX},
    )
    url = StringField(
        _l("Website (optional)"),
        [Cleaned(validation.clean_url)],
        render_kw={"autocomplete": "url", "maxlength": validation.URL_MAX},
    )
    body = TextAreaField(
        _l("Comment"),
        [Cleaned(validation.clean_body)],
        render_kw={"rows": 6, "maxlength": validation.BODY_MAX},
    )
    notify = BooleanField(_l("Notify me of replies by e-mail"))
    # Opt-in: name, e-mail and website kept in this browser for the next comment.
    remember = BooleanField(_l("Remember me"))
    captcha_token = HiddenField()
    parent = HiddenField()  # the published comment a reply answers (see ?reply=)
    # The honeypot: hidden from people and assistive technology (see _comments.html).
    homepage = StringField(_l("Leave empty"), render_kw={"tabindex": "-1", "autocomplete": "off"})
    # The answer is checked by the submission itself (moderation/submission.py),
    # in the same atomic step that saves the comment; here it is only a field.
    captcha = CaptchaField(_l("Question"))

    def __init__(self, thread: str, site: str = "default", **kwargs: object) -> None:
        # The HTML form's fields only: Flask-WTF would read a JSON body as the
        # form too, and this form is also built in error handlers (CSRF), where
        # a refusal raised while parsing could no longer be answered as a 400.
        if "formdata" not in kwargs:
            kwargs["formdata"] = request.form if request.method == "POST" else None
        super().__init__(**kwargs)
        self.thread = thread
        self.site = site

    def validate(self, extra_validators: object = None) -> bool:
        """Every field but the answer, which only the submission checks: a typo
        in the e-mail address then never burns the reader's answer."""
        fields_ok = True
        for name, field in self._fields.items():
            if name != "captcha" and not field.validate(self):
                fields_ok = False
        return fields_ok

    def ask(self, challenges: ChallengeStore) -> None:
        """Put a fresh question on the form."""
        challenge = challenges.issue(self.thread, namespace=self.site)
        self.captcha.ask(self, challenge.token, challenge.question)


# What a reader may report a comment for (store/reports.py REASONS), in words.
REPORT_REASONS = (
    ("spam", _l("Spam or advertising")),
    ("abuse", _l("Insult or harassment")),
    ("off_topic", _l("Off-topic")),
    ("other", _l("Something else (say what below)")),
)


class ReportForm(FlaskForm):
    """A reader's report of a published comment (checked by
    ``validation.clean_report`` in the view, as the API does)."""

    reason = RadioField(_l("Why report this comment?"), validate_choice=False,
                        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS])
    text = TextAreaField(_l("Details (optional, required for something else)"),
                         render_kw={"rows": 3, "maxlength": validation.REPORT_TEXT_MAX})
