"""A reply's form opens under the comment it answers, not at the foot of the
thread (the page without JavaScript; the widget's side is in tests/browser)."""

from tests.moderation.reader import form_data
from tests.moderation.test_replies import PAGE, published


def form_is_inside(html: str, comment_id: str) -> bool:
    item = html.split(f'<li class="comment" id="c-{comment_id}">', 1)[1].split("</li>", 1)[0]
    return 'id="formulaire"' in item


def test_the_reply_form_opens_under_its_comment(client, services, clock):
    first, second = published(services, clock, "Premier."), published(services, clock, "Second.")
    plain = client.get(PAGE).get_data(as_text=True)
    assert not form_is_inside(plain, first) and not form_is_inside(plain, second)
    assert plain.count('id="formulaire"') == 1
    replying = client.get(f"{PAGE}?reply={second}").get_data(as_text=True)
    assert form_is_inside(replying, second) and not form_is_inside(replying, first)
    assert replying.count('id="formulaire"') == 1


def test_a_refused_reply_keeps_its_place(client, services, clock):
    parent = published(services, clock)
    page = client.get(f"{PAGE}?reply={parent}").get_data(as_text=True)
    response = client.post(PAGE, data=form_data(page, parent=parent, email="pas-une-adresse"))
    assert response.status_code == 400
    assert form_is_inside(response.get_data(as_text=True), parent)
