"""What a folder run shows on stderr: a rich progress bar, and one line per failed file."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import ERROR_PREFIX, WARNING_PREFIX


class ConsoleProgress:
    """Progress bar (files, sentences, tokens/s, ETA) when stderr is a terminal.

    Failed files are always reported, one line each; the bar is left out with `quiet` or when
    stderr is not a terminal (logs and pipes get plain lines only).
    """

    def __init__(self, quiet: bool = False, unit: str = "files") -> None:
        self.show_bar = not quiet and sys.stderr.isatty()
        self.unit = unit  # what the bar counts: files (a folder run), articles (watch)
        self._bar: Any = None
        self._task: Any = None
        self._sentences = 0
        self._tokens = 0
        self._in_flight = (0, 0)  # sentences, tokens of the chunk being translated
        self._started = time.perf_counter()

    def start(self, files: int) -> None:
        """Draw the bar for `files` inputs."""
        self._started = time.perf_counter()
        self._sentences = self._tokens = 0
        if not self.show_bar or self._bar is not None:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("translating"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                self.unit + " · {task.fields[sentences]} sentences · {task.fields[rate]} tok/s"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._bar.start()
        self._task = self._bar.add_task("files", total=files, sentences=0, rate=0)

    def file_finished(self, relative: str, status: str, error: str | None) -> None:
        """Advance the bar; print a failed file's error line."""
        if error is not None:
            self._print(ERROR_PREFIX + error)
        if self._bar is not None:
            self._bar.advance(self._task)

    def translating(self, sentences: int, tokens: int) -> None:
        """Count a decoded batch of the chunk in flight (until the chunk's own count)."""
        self._in_flight = (self._in_flight[0] + sentences, self._in_flight[1] + tokens)
        self._draw()

    def translated(self, sentences: int, tokens: int) -> None:
        """Count a translated chunk (its batches' provisional counts replaced)."""
        self._sentences += sentences
        self._tokens += tokens
        self._in_flight = (0, 0)
        self._draw()

    def _draw(self) -> None:
        if self._bar is not None:
            sentences = self._sentences + self._in_flight[0]
            elapsed = max(time.perf_counter() - self._started, 1e-9)
            rate = f"{(self._tokens + self._in_flight[1]) / elapsed:,.0f}"
            self._bar.update(self._task, sentences=f"{sentences:,}", rate=rate)

    def warn(self, line: str) -> None:
        """Print a warning line."""
        self._print(WARNING_PREFIX + line)

    def stop(self) -> None:
        """Remove the live display (call before printing the final line)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _print(self, line: str) -> None:
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)


class Activity:
    """A one-line spinner on stderr for work that may take a while (a terminal only).

    While it runs, the package's own INFO log lines (e.g. "converting ... for CTranslate2")
    replace its text, so long steps deep inside loading say what they are.
    """

    def __init__(self, status: Any) -> None:
        self._status = status

    def update(self, text: str) -> None:
        """Say what is happening now."""
        if self._status is not None:
            self._status.update(text)


class _ToActivity(logging.Handler):
    def __init__(self, activity: Activity) -> None:
        super().__init__(logging.INFO)
        self._activity = activity

    def emit(self, record: logging.LogRecord) -> None:
        self._activity.update(record.getMessage())


@contextmanager
def activity(text: str, enabled: bool) -> Iterator[Activity]:
    """A spinner saying `text` while the block runs, when `enabled` and stderr is a terminal
    (never in pipes, logs or with -q)."""
    if not enabled or not sys.stderr.isatty():
        yield Activity(None)
        return
    from rich.console import Console

    with Console(stderr=True).status(text) as status:
        current = Activity(status)
        with our_log_lines_to(_ToActivity(current)):
            yield current


@contextmanager
def our_log_lines_to(handler: logging.Handler) -> Iterator[None]:
    """`handler` gets the package's own INFO lines (not third-party libraries') while the
    block runs; the logger is left as it was (the CLI also runs in-process, under tests)."""
    logger = logging.getLogger("translate_news")
    level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
