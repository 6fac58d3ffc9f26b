"""Labelled examples from the formats we train and evaluate on.

- YouTube Spam Collection CSVs (header ``COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS``):
  only ``CONTENT`` is used, its metadata leaks the label (see the dataset README).
- SMS Spam Collection: ``label<TAB>text`` lines, no header, quotes are text.
- Any CSV whose header has ``label`` (spam/ham or 1/0) and ``body``, with
  optional ``author``, ``email``, ``url``, and optional columns the slice
  report reads: ``lang``, ``kind``, ``site``, ``origin`` (``imported`` or ``live``).
"""

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from classifiers.sample import Sample

_LABELS = {"spam": 1, "1": 1, "ham": 0, "0": 0}


class DatasetError(ValueError):
    """A file we cannot read as labelled comments."""


@dataclass(frozen=True, slots=True)
class Example:
    sample: Sample
    label: int  # 1 spam, 0 ham
    source: str = ""
    # What the slice report groups by, when the data says it:
    lang: str = ""
    kind: str = ""
    site: str = ""
    origin: str = ""


def _label(value: str, where: str) -> int:
    try:
        return _LABELS[value.strip().lower()]
    except KeyError:
        raise DatasetError(f"{where}: label {value!r} is not spam/ham or 1/0") from None


def read_examples(path: str | os.PathLike[str]) -> list[Example]:
    """Read one file, recognising its format from its first line."""
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as handle:
        first = handle.readline()
    header = [column.strip().lower() for column in next(csv.reader([first]), [])]
    if "content" in header and "class" in header:
        return _read_csv(path, body="CONTENT", label="CLASS", extra=False)
    if "label" in header and "body" in header:
        return _read_csv(path, body="body", label="label", extra=True)
    if "\t" in first and first.split("\t", 1)[0].strip().lower() in _LABELS:
        return _read_tsv(path)
    raise DatasetError(
        f"{path}: unknown format (expected YouTube CSV, SMS TSV or a CSV with label,body)"
    )


def _read_csv(path: Path, body: str, label: str, extra: bool) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = {name.strip().lower(): name for name in reader.fieldnames or []}
        for number, row in enumerate(reader, start=2):
            where = f"{path.name}:{number}"

            def get(name: str, row: dict = row) -> str:
                key = fields.get(name.lower())
                return (row.get(key) or "") if key else ""

            sample = Sample(
                body=get(body),
                author=get("author") if extra else "",
                email=get("email") if extra else "",
                url=get("url") if extra else "",
            )
            examples.append(Example(
                sample, _label(get(label), where), path.name,
                lang=get("lang").strip().lower() if extra else "",
                kind=get("kind").strip() if extra else "",
                site=get("site").strip() if extra else "",
                origin=get("origin").strip().lower() if extra else "",
            ))  # fmt: skip
    return examples


def _read_tsv(path: Path) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            label, tab, text = line.partition("\t")
            if not tab:
                raise DatasetError(f"{path.name}:{number}: no tab")
            examples.append(
                Example(Sample(text), _label(label, f"{path.name}:{number}"), path.name)
            )
    return examples


def deduplicate(examples: list[Example]) -> list[Example]:
    """Keep the first of texts that are equal once lower-cased and spaces folded."""
    seen: set[str] = set()
    unique = []
    for example in examples:
        key = " ".join(example.sample.body.replace("\ufeff", "").lower().split())
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique
