import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField

from captcha import ChallengeStore
from captcha.fields import ArithmeticCaptcha, CaptchaField
from tests.arith import solve

pytestmark = pytest.mark.cluster


@pytest.fixture
def store(redis_client, clock):
    return ChallengeStore(redis_client, clock=clock)


def make_form_class(store):
    class AnswerForm(Form):
        captcha_token = HiddenField()
        captcha = CaptchaField("Question", [ArithmeticCaptcha(lambda: store, lambda form: "t")])

    return AnswerForm


def test_the_validator_checks_inside_validate(store):
    challenge = store.issue("t")
    form = make_form_class(store)(
        MultiDict({"captcha_token": challenge.token, "captcha": str(solve(challenge.question))})
    )
    assert form.validate()
    assert form.captcha.passed is not None


def test_a_wrong_answer_is_a_field_error_naming_why(store):
    challenge = store.issue("t")
    form = make_form_class(store)(
        MultiDict({"captcha_token": challenge.token, "captcha": str(solve(challenge.question) + 1)})
    )
    assert not form.validate()
    assert form.captcha.captcha_error.code == "captcha_wrong"
    assert "wrong" in form.captcha.errors[0]  # an English id: the application translates it


def test_ask_shows_the_question_as_the_label_and_clears_the_answer(store):
    form = make_form_class(store)(MultiDict({"captcha": "12"}))
    challenge = store.issue("t")
    form.captcha.ask(form, challenge.token, challenge.question)
    assert form.captcha.label.text == challenge.question
    assert form.captcha_token.data == challenge.token
    assert form.captcha.data == ""
    html = form.captcha()
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert 'value=""' in html
