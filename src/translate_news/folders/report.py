"""What a folder run reports: as it goes (Progress), and at its end (FolderReport)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..provenance import Made
from ..renderers.layout import counted


class Progress(Protocol):
    """What a folder run reports as it goes (the CLI draws a progress bar from it)."""

    def start(self, files: int) -> None:
        """`files` inputs were found."""

    def file_finished(self, relative: str, status: str, error: str | None) -> None:
        """An input is `done`, `up_to_date` or `failed` (with the error line)."""

    def translating(self, sentences: int, tokens: int) -> None:
        """A batch of the chunk in flight was decoded (provisional: `translated` follows with
        the chunk's own count)."""

    def translated(self, sentences: int, tokens: int) -> None:
        """A chunk of `sentences` distinct sentences (`tokens` source tokens) was translated."""

    def warn(self, line: str) -> None:
        """A file was done, with a warning (e.g. it does not look French)."""


@dataclass
class FolderReport:
    """The outcome of a folder run."""

    output: Path
    done: int = 0
    up_to_date: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, error line)
    ignored: list[tuple[Path, str]] = field(default_factory=list)
    sentences: int = 0  # distinct sentences translated by the model (memory hits excluded)
    memory_hits: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --fail-fast stopped the run early
    flagged_sentences: int = 0  # sentences with a flag (checks.py): what to check
    flagged_files: int = 0
    model: Made | None = None  # how the model translates, when one was loaded
    load_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 if every file is done or up to date, 1 if any failed."""
        return 1 if self.failed else 0

    def summary_line(self) -> str:
        """One line for the end of the run."""
        stopped = " (stopped at the first failure)" if self.stopped else ""
        flagged = (
            f"; {counted(self.flagged_sentences, 'sentence')} to check in "
            f"{counted(self.flagged_files, 'file')}"
            if self.flagged_sentences
            else ""
        )
        return (
            f"{self.done} done, {self.up_to_date} up to date, {len(self.failed)} failed "
            f"in {self.seconds:.1f} s -> {self.output}{stopped}{flagged}"
        )
