"""Several web processes and several classifier workers on one Redis: every
comment submitted over HTTP is classified exactly once."""

import re

import pytest

from bench import faults
from bench.processes import Stack

pytestmark = pytest.mark.slow


def test_two_web_workers_and_three_classifiers_classify_each_comment_once(tmp_path):
    with Stack(tmp_path, workers=3, web_workers=2) as stack:
        submitter = faults.Submitter(stack.web.reader(), 2000, concurrency=6).start()
        submitter.join()
        row = faults.tally(stack, "2 web + 3 workers", submitter.outcomes)
        held = sum(stack.pending_by_consumer().values())
        exits = [worker.terminate() for worker in stack.workers]
        counts = [int(re.search(r"(\d+) classified", worker.output())[1])
                  for worker in stack.workers]  # fmt: skip
    assert row.acknowledged == 2000, row.refused
    assert row.classified == 2000 and row.classified_twice == 0 and row.lost == 0
    assert held == 0 and exits == [0, 0, 0]
    assert sum(counts) == 2000, counts  # the workers' own counts agree: none twice
    assert sum(count > 0 for count in counts) >= 2, counts
