"""The backup file: gzip-compressed JSON lines, independent of Redis's own
file format (any Redis of version 7 or later can take it back).

Files are written compressed; plain JSON lines are read as well (the test
data keeps one that way, readable in a review). The first line is a header
(format name and version, when, from what); then one line per key (its
name, type, absolute expiry and content, see :mod:`moderation.backup.reading`);
the last line counts the keys, so a truncated file is recognised before
anything is restored. Names and values that are not UTF-8 are written as
``{"b64": ...}``.
"""

import base64
import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

FORMAT = "moderation-backup"
VERSION = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


def encode(value: bytes) -> str | dict[str, str]:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(value).decode("ascii")}


def decode(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, dict) and isinstance(value.get("b64"), str):
        return base64.b64decode(value["b64"], validate=True)
    raise BackupError(f"not a name or value: {value!r}")


class Writer:
    """Writes aside and renames on success: a failed backup leaves no file
    that looks like a good one."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.partial = path.with_name(f".{path.name}.partial")
        self.count = 0
        self._file = gzip.open(self.partial, "wt", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        self._line({"format": FORMAT, "version": VERSION, **header})

    def _line(self, value: dict[str, Any]) -> None:
        self._file.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")

    def add(self, record: dict[str, Any]) -> None:
        self._line(record)
        self.count += 1

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:  # fmt: skip
        if kind is None:
            self._line({"end": True, "keys": self.count})
        self._file.close()
        if kind is None:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink(missing_ok=True)


def _open(path: Path) -> IO[str]:
    """Compressed as ``backup`` writes it, or plain (a file written or read by hand)."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with _open(path) as file:
            for number, line in enumerate(file, 1):
                try:
                    value = json.loads(line)
                except ValueError as error:
                    raise BackupError(f"{path}: line {number} is not JSON") from error
                if not isinstance(value, dict):
                    raise BackupError(f"{path}: line {number} is not an object")
                yield value
    except (OSError, EOFError, UnicodeDecodeError) as error:  # gzip.BadGzipFile is an OSError
        raise BackupError(f"{path}: {error}") from error


def header(path: Path) -> dict[str, Any]:
    """The header, after checking the whole file: format, version, end line
    and key count. Nothing is restored from a file that fails here."""
    lines = _lines(path)
    first = next(lines, None)
    if not first or first.get("format") != FORMAT:
        raise BackupError(f"{path}: not a {FORMAT} file")
    if first.get("version") != VERSION:
        raise BackupError(f"{path}: version {first.get('version')!r} of the backup format; "
                          f"this program reads version {VERSION}")  # fmt: skip
    count, end = 0, None
    for line in lines:
        if end is not None:
            raise BackupError(f"{path}: lines after the end line")
        if line.get("end") is True:
            end = line
        elif isinstance(line.get("key"), str | dict) and isinstance(line.get("type"), str):
            count += 1
        else:
            raise BackupError(f"{path}: key line {count + 1} lacks its key or type")
    if end is None:
        raise BackupError(f"{path}: the file is truncated (no end line)")
    if end.get("keys") != count:
        raise BackupError(f"{path}: {count} keys where the end line says {end.get('keys')}")
    return first


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The key lines, in order (check the file with :func:`header` first)."""
    for line in _lines(path):
        if "key" in line and "type" in line:
            yield line
