from pathlib import Path

import pytest

from classifiers.readers import read_examples

SEED = Path(__file__).parents[2] / "classifiers" / "data" / "seed.csv"


@pytest.fixture(scope="session")
def seed_examples():
    return read_examples(SEED)


@pytest.fixture(scope="session")
def fitted(seed_examples):
    from classifiers.model import SpamClassifier

    return SpamClassifier().fit(
        [example.sample for example in seed_examples], [example.label for example in seed_examples]
    )
