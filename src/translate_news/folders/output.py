"""The output folder of a folder run: where it goes by default, and what it may not be."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError, UsageError

OUTPUT_SUFFIX = "-en"


def default_output_folder(inputs: Sequence[Path]) -> Path:
    """`news/` -> `news-en/` beside it; several inputs need an explicit -o."""
    if len(inputs) != 1 or not inputs[0].is_dir():
        raise UsageError("several inputs, or a file list, need an output folder", "pass -o OUT")
    folder = inputs[0].resolve()
    return folder.with_name(folder.name + OUTPUT_SUFFIX)


def make_output_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{out}: the output folder cannot be created ({error.strerror})",
            "pass an -o folder you can write to",
        ) from error


def check_output_folder(out: Path, inputs: Sequence[Path]) -> None:
    resolved = out.resolve()
    for path in inputs:
        if path.is_dir() and path.resolve() == resolved:
            raise UsageError(
                f"{out}: the output folder is the input folder", "pass another -o folder"
            )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder", "pass a folder to -o")
