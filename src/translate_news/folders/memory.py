"""SQLite translation memory: a sentence translated once is never translated again.

Keyed by the settings that decide a translation (model id, revision, backend, precision,
beams, ...) and the model-ready sentence. WAL journal and a busy timeout make it safe for
several runs (processes) sharing one file.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..backends.base import capabilities_of, translate_scored
from ..errors import OutputError
from ..models import cache_root
from ..options import FolderOptions
from ..provenance import Made

if TYPE_CHECKING:
    from ..backends import Translator

log = logging.getLogger("translate_news")

MEMORY_FILE = "memory.sqlite"
# How long opening the memory may wait for a lock held by another program, in all: past it
# the run goes on without the memory rather than hang.
SET_UP_BUDGET_S = 5.0
_SET_UP_WAIT_S = 0.25  # one attempt's busy wait
# How long a write waits for another run's transaction before the memory is dropped.
BUSY_TIMEOUT_S = 15.0
_SQLITE_VARIABLES = 500  # well under SQLite's smallest compiled-in limit (999)


class MemoryBusyError(OutputError):
    """Another program holds the memory's lock for longer than we wait."""


def default_memory_path() -> Path:
    """Where the translation memory lives unless --memory says otherwise."""
    return cache_root() / MEMORY_FILE


class TranslationMemory:
    """Sentence translations stored per settings key, shared across runs and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unusable_rows = 0  # rows of the wrong type read back (written by someone else)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread off: folder runs translate (so use the memory) in a worker thread
            self._db = sqlite3.connect(
                path, timeout=_SET_UP_WAIT_S, isolation_level=None, check_same_thread=False
            )
            self._set_up()
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        except (OSError, sqlite3.Error) as error:
            raise OutputError(
                f"{path}: translation memory cannot be opened ({error})",
                "pass --memory PATH in a writable folder, or --no-memory",
            ) from error

    def _set_up(self) -> None:
        # Switching to WAL takes an exclusive lock for which SQLite does not wait (no busy
        # handler): runs that open the memory at the same moment retry briefly instead, and a
        # lock held longer by another program ends the wait within SET_UP_BUDGET_S.
        deadline = time.monotonic() + SET_UP_BUDGET_S
        attempt = 0
        while True:
            attempt += 1
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS memory ("
                    " settings TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,"
                    " confidence REAL, PRIMARY KEY (settings, source)) WITHOUT ROWID"
                )
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(memory)")}
                if "confidence" not in columns:  # a memory from before confidences: rows null
                    self._db.execute("ALTER TABLE memory ADD COLUMN confidence REAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    self._db.close()
                    raise MemoryBusyError(
                        f"{self.path}: translation memory is locked by another program "
                        f"(waited {SET_UP_BUDGET_S:g} s)",
                        "let that program finish, or pass --no-memory",
                    ) from error
                time.sleep(min(0.05 * attempt, 0.5))

    def lookup(self, settings: str, sources: Iterable[str]) -> dict[str, tuple[str, float | None]]:
        """Stored (translation, confidence) of `sources` under `settings` (missing: absent)."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, tuple[str, float | None]] = {}
        for start in range(0, len(wanted), _SQLITE_VARIABLES):
            part = wanted[start : start + _SQLITE_VARIABLES]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                "SELECT source, target, confidence FROM memory"
                f" WHERE settings = ? AND source IN ({marks})",
                [settings, *part],
            )
            for source, target, confidence in rows:
                if _usable(target, confidence):
                    found[source] = (target, confidence)
                else:
                    self.unusable_rows += 1
        return found

    def store(self, settings: str, rows: Iterable[tuple[str, str, float | None]]) -> None:
        """Remember (source, translation, confidence) rows (one transaction; an existing entry
        is kept, unless it is of the wrong type: see `_usable`)."""
        values = [(settings, source, target, confidence) for source, target, confidence in rows]
        if not values:
            return
        with self._db:  # a transaction: all rows or none
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO memory (settings, source, target, confidence) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (settings, source) DO UPDATE"
                " SET target = excluded.target, confidence = excluded.confidence"
                f" WHERE {_UNUSABLE_ROW}",
                values,
            )

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM memory").fetchone()[0])

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()


# The SQL of `not _usable(...)`, for the row already stored.
_UNUSABLE_ROW = (
    "typeof(memory.target) != 'text' OR (memory.confidence IS NOT NULL AND"
    " (typeof(memory.confidence) NOT IN ('real', 'integer')"
    " OR NOT memory.confidence BETWEEN 0 AND 1))"
)


def _usable(target: object, confidence: object) -> bool:
    """A stored row is used only if it is what this program writes: text, and a confidence
    that is absent or a share (a blob, or `inf`, would crash the run or break its JSON)."""
    if not isinstance(target, str):
        return False
    if confidence is None:
        return True
    return (
        isinstance(confidence, int | float) and math.isfinite(confidence) and 0 <= confidence <= 1
    )


def checked_memory_options(
    folder_options: FolderOptions, warn: Callable[[str], None]
) -> FolderOptions:
    """Open the memory once before any work: a --memory PATH that cannot be used fails the run
    with one line; the default memory, which nobody asked for by name, is dropped with one
    warning and the run goes on without it."""
    if not folder_options.use_memory:
        return folder_options
    path = folder_options.memory_path
    try:
        TranslationMemory(Path(path) if path else default_memory_path()).close()
    except OutputError as error:
        if path and not isinstance(error, MemoryBusyError):
            raise
        warn(f"{error.what}; going on without a translation memory")
        return replace(folder_options, use_memory=False)
    return folder_options


def with_memory(
    translator: Translator,
    folder_options: FolderOptions,
    warn: Callable[[str], None] = log.warning,
) -> tuple[Translator, TranslationMemory | None]:
    """The translator behind the translation memory (unless the options turn it off)."""
    if not folder_options.use_memory:
        return translator, None
    path = folder_options.memory_path
    try:
        memory = TranslationMemory(Path(path) if path else default_memory_path())
    except MemoryBusyError as error:  # locked since checked_memory_options looked
        warn(f"{error.what}; going on without a translation memory")
        return translator, None
    return MemoryTranslator(translator, memory, warn), memory


class MemoryTranslator:
    """A Translator that asks the memory first and the wrapped translator only for the rest.

    A memory that fails mid-run (locked by another program past the busy timeout, its disk
    full or turned read-only) never fails a translation: one warning, then no memory.
    """

    def __init__(
        self,
        inner: Translator,
        memory: TranslationMemory,
        warn: Callable[[str], None] = log.warning,
    ) -> None:
        self.inner = inner
        self.memory: TranslationMemory | None = memory
        self.name = inner.name
        # stored rows keep their confidence, so the memory scores as its engine does
        self.capabilities = capabilities_of(inner)
        self.settings = Made(inner.provenance()).translation_key()
        self.hits = 0
        self.misses = 0
        self._warn = warn
        self._warned_unusable = False

    def _lookup(self, sentences: list[str]) -> dict[str, tuple[str, float | None]]:
        if self.memory is None:
            return {}
        try:
            found = self.memory.lookup(self.settings, sentences)
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        if self.memory.unusable_rows and not self._warned_unusable:
            self._warned_unusable = True
            self._warn(
                f"{self.memory.path}: translation memory rows of the wrong type ignored; "
                "those sentences are translated again"
            )
        return found

    def _store(self, rows: list[tuple[str, str, float | None]]) -> None:
        if self.memory is None:
            return
        try:
            self.memory.store(self.settings, rows)
        except sqlite3.Error as error:
            self._give_up(error)

    def _give_up(self, error: sqlite3.Error) -> None:
        assert self.memory is not None
        self._warn(
            f"{self.memory.path}: translation memory failed ({error}); "
            "going on without a translation memory"
        )
        self.memory = None

    @property
    def batch_done(self) -> Callable[[int, int], None] | None:
        """The engine's batch reporter (the memory decodes nothing itself)."""
        return getattr(self.inner, "batch_done", None)

    @batch_done.setter
    def batch_done(self, callback: Callable[[int, int], None] | None) -> None:
        inner: Any = self.inner
        inner.batch_done = callback

    def translate(self, sentences: list[str]) -> list[str]:
        """Stored translations where known; the others translated, then stored."""
        return [text for text, _ in self.translate_with_confidence(sentences)]

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float | None]]:
        """Stored translations with the confidence they were made with (None for rows from
        before confidences); the others translated (scored when the engine can), then stored.
        A second try against loops (`avoid_repeats`) goes to the engine and is not stored."""
        if avoid_repeats:
            return translate_scored(self.inner, sentences, avoid_repeats=True)
        known = self._lookup(sentences)
        missing = list(dict.fromkeys(s for s in sentences if s not in known))
        self.hits += sum(1 for s in sentences if s in known)
        self.misses += len(missing)
        if missing:
            fresh = dict(zip(missing, translate_scored(self.inner, missing), strict=True))
            self._store([(s, t, c) for s, (t, c) in fresh.items()])
            known.update(fresh)
        return [known[sentence] for sentence in sentences]

    def count_tokens(self, text: str) -> int:
        """Source tokens, as the wrapped translator counts them."""
        return self.inner.count_tokens(text)

    def provenance(self) -> dict[str, Any]:
        """The wrapped translator's provenance (the memory never changes a translation)."""
        return self.inner.provenance()
