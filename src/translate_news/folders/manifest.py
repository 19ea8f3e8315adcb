"""The manifest of a folder run: one JSON line per finished input, so a re-run can resume.

Append-only while a run is going (each line flushed and fsynced after the input's outputs are
in place), compacted atomically at the end. A line torn by a crash is ignored on the next run,
so its input is simply done again.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError
from .atomic import TEXT_ERRORS, write_atomic, write_error

MANIFEST_NAME = "manifest.jsonl"
LOCK_NAME = ".translate-news.lock"
_LOCK_ATTEMPTS = 20


@dataclass(frozen=True)
class Record:
    """What happened to one input: `done` (outputs written) or `failed` (with the error)."""

    input: str  # path relative to the output tree, POSIX separators
    status: str  # done | failed
    sha256: str | None
    settings: dict[str, Any]
    outputs: list[str] = field(default_factory=list)  # relative to the output folder
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    flagged: int = 0  # sentences a reader should check (checks.py)

    def __post_init__(self) -> None:
        # A line written by someone else may be valid JSON of the wrong shape: it is refused
        # here (TypeError: counted as damaged, its input done again), never used.
        strings = isinstance(self.input, str) and isinstance(self.status, str)
        lists = all(
            isinstance(items, list) and all(isinstance(item, str) for item in items)
            for items in (self.outputs, self.warnings)
        )
        optional = all(isinstance(value, str | None) for value in (self.sha256, self.error))
        counts = isinstance(self.flagged, int) and not isinstance(self.flagged, bool)
        if not (strings and lists and optional and counts and isinstance(self.settings, dict)):
            raise TypeError("a manifest record of the wrong shape")
        if self.status not in ("done", "failed"):
            raise TypeError(f"unknown manifest status {self.status!r}")

    def to_line(self) -> str:
        """One compact JSON line (without the newline)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class Manifest:
    """Latest record per input, read from and appended to `OUT/manifest.jsonl`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records, self.damaged = _read(path)  # damaged: lines that could not be read
        self._handle: IO[str] | None = None

    def is_up_to_date(
        self, relative: str, sha256: str, accepted: tuple[dict[str, Any], ...]
    ) -> bool:
        """Done before with the same content and one of the `accepted` settings (the run's
        key, and what earlier versions wrote for it), and every output still there."""
        record = self.records.get(relative)
        return (
            record is not None
            and record.status == "done"
            and record.sha256 == sha256
            and record.settings in accepted
            and all((self.path.parent / output).is_file() for output in record.outputs)
        )

    def append(self, record: Record) -> None:
        """Record an input durably (flushed and fsynced before returning)."""
        if self._handle is None:
            self._handle = self._open_for_append()
        try:
            self._handle.write(record.to_line() + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as error:  # a full disk: the next run ignores a torn line
            raise write_error(self.path, error, fatal=True) from error
        self.records[record.input] = record

    def _open_for_append(self) -> IO[str]:
        try:
            handle = open(self.path, "a+", encoding="utf-8", errors=TEXT_ERRORS)  # noqa: SIM115
            if handle.tell() > 0:  # a crash may have torn the last line: start a fresh one
                handle.seek(handle.tell() - 1)
                if handle.read(1) != "\n":
                    handle.write("\n")
            return handle
        except OSError as error:
            raise write_error(self.path, error, fatal=True) from error

    def compact(self) -> None:
        """Rewrite the manifest atomically with only the latest record per input."""
        self.close()
        lines = [self.records[key].to_line() + "\n" for key in sorted(self.records)]
        write_atomic(self.path, "".join(lines))

    def close(self) -> None:
        """Close the append handle (records stay in memory)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _read(path: Path) -> tuple[dict[str, Record], int]:
    records: dict[str, Record] = {}
    damaged = 0
    if not path.is_file():
        return records, damaged
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                record = Record(**json.loads(line))
            except (ValueError, TypeError):
                damaged += 1  # e.g. a line torn by a crash: that input is done again
                continue
            records[record.input] = record
    return records, damaged


class FolderLock:
    """An exclusive lock on an output folder, so two runs never write the same files."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def __enter__(self) -> FolderLock:
        # The lock file is removed when a run ends, so a run that opened it just before may
        # lock a file no longer there: it checks that the file it locked is the one at the
        # path, and tries again if not.
        for _ in range(_LOCK_ATTEMPTS):
            if self._lock_once():
                return self
        raise OutputError(  # pragma: no cover - only if runs keep starting and ending
            f"{self.path.parent}: the folder's lock keeps changing", "run the command again"
        )

    def _lock_once(self) -> bool:
        try:
            self._handle = open(self.path, "a", encoding="utf-8", errors=TEXT_ERRORS)  # noqa: SIM115
        except OSError as error:
            raise write_error(self.path.parent, error) from error
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks, run unguarded
            return True
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            self._handle.close()
            self._handle = None
            raise OutputError(
                f"{self.path.parent}: another translate-news run is writing to this folder",
                "wait for it to finish, or pass another -o folder",
            ) from error
        held = os.fstat(self._handle.fileno())
        try:
            named = os.stat(self.path)
        except FileNotFoundError:
            named = None
        if named is not None and (named.st_ino, named.st_dev) == (held.st_ino, held.st_dev):
            return True
        self._handle.close()
        self._handle = None
        return False

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):  # still held: no run can be using it now
                self.path.unlink()
            self._handle.close()  # closing releases the lock
