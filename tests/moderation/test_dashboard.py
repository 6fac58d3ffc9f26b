import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import Markup

from moderation import dashboard as dashboard_module
from moderation.charts import bar_chart, meter
from moderation.dashboard import DAY, dashboard
from moderation.store import created_at_of, new_comment_id
from moderation.validation import CommentInput

THREAD = "ministre-nord-coreen-moscou"
HOUR = 3600.0
# Noon UTC: the decision at NOW - 12 h lands exactly on midnight.
NOW = datetime(2025, 4, 19, 12, tzinfo=UTC).timestamp()
TODAY = date(2025, 4, 19)
SVG = "{http://www.w3.org/2000/svg}"

# name -> (created at, score or None)
COMMENTS = {
    "old": (NOW - 41 * DAY, "0.95"),
    "a": (NOW - 21 * DAY, "0.95"),
    "b": (NOW - 21 * DAY, "0.95"),
    "h": (NOW - 21 * DAY, "0.97"),
    "m": (NOW - 7 * DAY, "0.05"),
    "c": (NOW - 4 * DAY, "0.20"),
    "d": (NOW - 3 * DAY, "0.20"),
    "e": (NOW - 2 * DAY, "0.50"),
    "f": (NOW - 2 * DAY, None),
    "g": (NOW - 1 * DAY, "0.90"),
    "k": (NOW - 26 * HOUR, "0.10"),
    "r1": (NOW - 30 * HOUR, None),  # left in review by the classifier
    "r2": (NOW - 2 * HOUR, None),
    "p1": (NOW - 50 * HOUR, None),  # still pending
    "p2": (NOW - 1 * HOUR, None),
}
# (when, comment, decision), in time order, as in production.
DECISIONS = [
    (NOW - 40 * DAY + 60, "old", "spam"),  # before the window
    (NOW - 20 * DAY, "a", "spam"),  # TP
    (NOW - 10 * DAY, "b", "spam"),
    (NOW - 10 * DAY + 60, "b", "review"),  # undo...
    (NOW - 10 * DAY + 120, "b", "approved"),  # ...then approved: FP
    (NOW - 8 * DAY, "h", "spam"),  # in 30 days, replaced below
    (NOW - 6 * DAY, "m", "approved"),  # TN
    (NOW - 3 * DAY, "c", "approved"),  # TN
    (NOW - 2 * DAY, "h", "review"),  # undo...
    (NOW - 2 * DAY + 60, "h", "approved"),  # ...then approved: FP
    (NOW - 2 * DAY + 120, "d", "spam"),  # FN
    (NOW - 1 * DAY, "e", "rejected"),  # not spam, not ham: left out
    (NOW - 1 * DAY + 60, "f", "spam"),  # no score: left out
    (NOW - 12 * HOUR, "g", "spam"),  # 0.90 >= threshold: TP
    (NOW - 1 * HOUR, "k", "approved"),
    (NOW - 0.5 * HOUR, "k", "review"),  # undone, nothing since: left out
]
ANCIENT_API_CALLS = 20


@pytest.fixture
def built(services, redis_client, clock):
    """The comments and decisions above, plus API calls the dashboard ignores."""
    store = services.comments
    clock.now = NOW - 60 * DAY
    for _ in range(ANCIENT_API_CALLS):
        services.audit.api_call("mod@example.org", "GET", "/api/v1/moderation/queue")
    ids = {}
    for name, (created, score) in COMMENTS.items():
        clock.now = created
        data = CommentInput(author=name, email="", url="", body=f"comment {name}")
        ids[name] = store.save(THREAD, data).id
        if score is not None:
            redis_client.hset(
                store.keys.comment(ids[name]), mapping={"score": score, "model_version": "v1"}
            )
    for name in ("r1", "r2"):
        store.set_status(ids[name], "review")
    for when, name, status in DECISIONS:
        if clock.now < NOW - 5 * DAY <= when:
            clock.now = NOW - 5 * DAY
            services.audit.api_call("mod@example.org", "GET", "/api/v1/moderation/queue")
        clock.now = when
        store.decide(ids[name], status, "mod@example.org")
    clock.now = NOW
    return ids


def test_created_at_of_reads_back_the_time_in_an_id():
    assert created_at_of(new_comment_id(1_700_000_000.123)) == 1_700_000_000.123
    assert created_at_of("0" * 26) == 0
    assert created_at_of("7" + "Z" * 25) == (2**48 - 1) / 1000
    with pytest.raises(ValueError, match="not a comment id"):
        created_at_of("not-an-id")


def test_queue_depths_and_oldest_waiting(services, built):
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.9)
    assert board.now == NOW
    assert board.queue == {"pending": 2, "review": 3, "approved": 4, "rejected": 1, "spam": 5}
    assert board.oldest_pending_age == 50 * HOUR
    assert board.oldest_review_age == 30 * HOUR


def test_empty_store(services):
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.9)
    assert board.queue == dict.fromkeys(("pending", "review", "approved", "rejected", "spam"), 0)
    assert board.oldest_pending_age is None and board.oldest_review_age is None
    assert board.decisions == 0 and board.spam_share is None
    assert [count for _, count in board.decisions_per_day] == [0] * 30
    for agreement in (board.agreement_7d, board.agreement_30d):
        assert agreement.n == 0
        assert agreement.precision is agreement.recall is agreement.accuracy is None


def test_decisions_per_day_and_spam_share(services, built):
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.9)
    days = [day for day, _ in board.decisions_per_day]
    assert days == [TODAY - timedelta(days=back) for back in range(29, -1, -1)]
    nonzero = {day: count for day, count in board.decisions_per_day if count}
    assert nonzero == {
        date(2025, 3, 30): 1,  # a
        date(2025, 4, 9): 3,  # b spam, undo, approved
        date(2025, 4, 11): 1,  # h
        date(2025, 4, 13): 1,  # m
        date(2025, 4, 16): 1,  # c
        date(2025, 4, 17): 3,  # h undo, h approved, d
        date(2025, 4, 18): 2,  # e, f
        date(2025, 4, 19): 3,  # g at midnight, k approved, k undo
    }
    assert board.decisions == 15
    assert board.spam_share == 6 / 15  # a, b, h, d, f, g


def test_classifier_agreement_counts_each_comments_last_decision(services, built):
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.9)
    month = board.agreement_30d
    assert (month.days, month.n) == (30, 7)
    assert (month.true_positives, month.false_positives) == (2, 2)  # a, g / b, h
    assert (month.true_negatives, month.false_negatives) == (2, 1)  # m, c / d
    assert month.precision == 2 / 4
    assert month.recall == 2 / 3
    assert month.accuracy == 4 / 7
    week = board.agreement_7d
    assert (week.days, week.n) == (7, 5)  # h, m, c, d, g
    assert (week.true_positives, week.false_positives) == (1, 1)
    assert (week.true_negatives, week.false_negatives) == (2, 1)
    assert (week.precision, week.recall, week.accuracy) == (0.5, 0.5, 3 / 5)


def test_the_threshold_decides_the_classifiers_calls(services, built):
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.96)
    month = board.agreement_30d  # only h (0.97) is called spam now
    assert (month.true_positives, month.false_positives) == (0, 1)
    assert (month.true_negatives, month.false_negatives) == (3, 3)
    assert month.precision == 0 and month.recall == 0 and month.accuracy == 3 / 7


def test_the_audit_scan_stops_at_the_window(services, built, redis_client, monkeypatch):
    """Entries are appended in time order, so reading newest first can stop at
    the first one older than the window: the ancient ones are never read."""
    monkeypatch.setattr(dashboard_module, "_BATCH", 2)
    read = []
    xrevrange = redis_client.xrevrange

    def spy(*args, **kwargs):
        batch = xrevrange(*args, **kwargs)
        read.extend(batch)
        return batch

    monkeypatch.setattr(redis_client, "xrevrange", spy)
    board = dashboard(services.comments, services.audit, now=NOW, spam_threshold=0.9)
    assert board.decisions == 15
    total = redis_client.xlen(services.audit.key)
    assert total == len(DECISIONS) + 1 + ANCIENT_API_CALLS
    # 15 decisions and 1 API call in the window, the old decision, and at most
    # one ancient entry sharing its batch.
    assert len(read) <= len(DECISIONS) + 2


def test_a_later_now_moves_the_windows(services, built):
    later = NOW + 25 * DAY
    board = dashboard(services.comments, services.audit, now=later, spam_threshold=0.9)
    assert board.decisions == 9  # a, b's three, h's first and m have left the 30 days
    assert board.agreement_30d.n == 4  # h (its undo and approval), c, d, g
    assert board.agreement_7d.n == 0 and board.agreement_7d.accuracy is None
    assert board.oldest_pending_age == 50 * HOUR + 25 * DAY
    assert board.decisions_per_day[-1] == (TODAY + timedelta(days=25), 0)


# Charts


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_bar_chart_is_well_formed_svg_with_one_rect_per_bar():
    points = [(f"04-{day:02d}", float(day % 4)) for day in range(1, 31)]
    svg = parse(bar_chart(points, title="Décisions par jour"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img" and svg.get("aria-label") == "Décisions par jour"
    assert svg.find(f"{SVG}title").text == "Décisions par jour"
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 30
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[2] == max(heights) and heights[3] == 0  # days 3 and 4
    labels = [text.text for text in svg.findall(f"{SVG}text")]
    assert labels[0] == "3"  # the y maximum
    assert 2 <= len(labels) - 1 < 30 and labels[1] == "04-01"


def test_bar_chart_escapes_every_text():
    hostile = '<script>alert("x")</script>'
    markup = bar_chart([(hostile, 1.0), ("b&c", 2.0)], title=f'a "title" {hostile}')
    assert "<script>" not in markup
    svg = parse(markup)
    assert svg.get("aria-label") == f'a "title" {hostile}'
    assert svg.find(f"{SVG}title").text == f'a "title" {hostile}'
    assert [text.text for text in svg.findall(f"{SVG}text")][1:] == [hostile, "b&c"]
    assert svg.find(f"{SVG}rect/{SVG}title").text == f"{hostile}: 1"


def test_bar_chart_without_data_or_with_zeros():
    empty = parse(bar_chart([], title="rien"))
    assert empty.findall(f"{SVG}rect") == []
    zeros = parse(bar_chart([("a", 0.0), ("b", 0.0)], title="zéro"))
    assert [float(bar.get("height")) for bar in zeros.findall(f"{SVG}rect")] == [0, 0]


def test_meter():
    markup = meter(0.25, label="<spam>")
    assert "<spam>" not in markup
    root = parse(markup)
    svg = root.find(f"{SVG}svg")
    assert svg.get("aria-label") == "<spam>: 25%"
    track, fill = svg.findall(f"{SVG}rect")
    assert float(fill.get("width")) == float(track.get("width")) / 4
    assert root.find("span").text == "25%"
    assert parse(meter(3.0, label="x")).find("span").text == "100%"
    blank = parse(meter(None, label="<spam>"))
    assert blank.text == "—" and blank.get("aria-label") == "<spam>: —"
