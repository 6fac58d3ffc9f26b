from moderation.backoff import Backoff


def highest(low: float, high: float) -> float:
    return high


def test_delays_double_up_to_the_maximum_then_reset():
    backoff = Backoff(initial=0.1, maximum=1.0, uniform=highest)
    assert [backoff.next_delay() for _ in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    backoff.reset()
    assert backoff.next_delay() == 0.1


def test_delays_are_jittered_within_the_upper_half():
    backoff = Backoff(initial=1.0, maximum=8.0, uniform=lambda low, high: low)
    assert [backoff.next_delay() for _ in range(3)] == [0.5, 1.0, 2.0]


def test_a_long_outage_does_not_overflow():
    backoff = Backoff(initial=0.1, maximum=10.0, uniform=highest)
    for _ in range(5000):
        delay = backoff.next_delay()
    assert delay == 10.0
