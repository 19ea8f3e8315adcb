"""Which files a folder run reads, in a stable order, and where their outputs go.

Hidden files and folders, the output folder, and symlinks that lead outside their input root
are not followed. Relative paths come from the walk itself, never from a file's contents, so
no name can place an output outside the output folder.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import UsageError

SUMMARY_INFIX = ".summary"


@dataclass(frozen=True)
class InputFile:
    """A file to translate and its place in the mirrored output tree."""

    path: Path
    relative: PurePosixPath
    root: Path | None = None  # the input folder it was found in (resolved); None: named itself


@dataclass
class Discovery:
    """The files found, and what was passed over on purpose (path, reason)."""

    files: list[InputFile] = field(default_factory=list)
    ignored: list[tuple[Path, str]] = field(default_factory=list)
    unlistable: list[tuple[str, str]] = field(default_factory=list)  # (folder, error line)


def discover(
    paths: Sequence[Path], patterns: Sequence[str], exclude: Path | None = None
) -> Discovery:
    """Files under `paths` whose name matches a pattern, sorted by relative path.

    One folder: paths relative to it. Several paths: each folder's files under the folder's
    name, each file under its own name.
    """
    found = Discovery()
    excluded = exclude.resolve() if exclude is not None else None
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder", "check the path")
        prefix = PurePosixPath() if len(paths) == 1 else PurePosixPath(path.resolve().name)
        # one folder: paths relative to it; several inputs: under each folder's own name
        if path.is_dir():
            _walk(path, path.resolve(), prefix, patterns, excluded, found, set())
        else:
            found.files.append(InputFile(path, PurePosixPath(path.name)))
    found.files.sort(key=lambda item: item.relative.as_posix())
    seen: dict[PurePosixPath, Path] = {}
    for item in found.files:
        if item.relative in seen:
            raise UsageError(
                f"{seen[item.relative]} and {item.path} would share the output name "
                f"{item.relative}",
                "pass them in separate runs, or their parent folder",
            )
        seen[item.relative] = item.path
    return found


def _walk(
    folder: Path,
    root: Path,
    relative: PurePosixPath,
    patterns: Sequence[str],
    excluded: Path | None,
    found: Discovery,
    visited: set[Path],
) -> None:
    real = folder.resolve()
    if real in visited:  # a symlink loop inside the root
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:  # its files cannot be done: a failure, not a choice
        line = (
            f"{folder}: the folder cannot be listed ({error.strerror}); fix: check its permissions"
        )
        found.unlistable.append((str(folder), line))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            target = path.resolve(strict=entry.is_symlink())
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            found.ignored.append((path, "symlink that loops or leads nowhere"))
            continue
        if entry.is_symlink() and not target.is_relative_to(root):
            found.ignored.append((path, "symlink leading outside the input folder"))
            continue
        if excluded is not None and target == excluded:
            continue
        child = relative / entry.name
        if entry.is_dir():
            _walk(path, root, child, patterns, excluded, found, visited)
        elif entry.is_file() and matches(child, patterns):
            found.files.append(InputFile(path, child, root))


def matches(relative: PurePosixPath, patterns: Sequence[str]) -> bool:
    """Case-insensitive glob on the file name (or on the relative path if the pattern has /)."""
    for pattern in patterns:
        subject = relative.as_posix() if "/" in pattern else relative.name
        if fnmatch.fnmatch(subject.lower(), pattern.lower()):
            return True
    return False


def output_names(
    relative: PurePosixPath, output_format: str, full: bool, summary: bool
) -> dict[str, PurePosixPath]:
    """Output files of one input, by kind: `translation` and/or `summary`.

    `a/b.txt` -> `a/b.en.txt` (full translation) and `a/b.summary.en.txt` (with --summary);
    JSON and HTML hold the translation and the summary in one file, `a/b.en.json`.
    """
    from ..renderers import RENDERERS

    renderer = RENDERERS.get(output_format)
    extension = renderer.extension
    stem = relative.name.rsplit(".", 1)[0] if "." in relative.name[1:] else relative.name
    names: dict[str, PurePosixPath] = {}
    if full or renderer.holds_summary:
        names["translation"] = relative.with_name(f"{stem}.en{extension}")
    if summary and not renderer.holds_summary:
        names["summary"] = relative.with_name(f"{stem}{SUMMARY_INFIX}.en{extension}")
    return names
