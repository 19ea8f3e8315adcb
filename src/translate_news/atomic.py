"""Atomic file output: a file is either complete or absent, never half-written."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError, UsageError

PARTIAL_SUFFIX = ".partial"  # a file being written; renamed when complete
_PARTIAL_STEM = 100  # characters of the final name kept in the temporary one
# A full, over-quota or read-only disk fails every later write too: a folder run stops there.
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def write_atomic(path: Path, text: str, protected: Iterable[Path] = ()) -> None:
    """Write `text` to `path` via a temporary file in the same folder, fsync, then rename.

    Refuses to write over any of the `protected` paths (the inputs).
    """
    for input_path in protected:
        if _same_file(path, input_path):
            raise UsageError(
                f"{path}: is the input file; refusing to overwrite it", "choose another -o path"
            )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist", "create it first")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed, not closed, on success
            "w",
            encoding="utf-8",
            dir=folder,
            prefix=f".{path.name[:_PARTIAL_STEM]}.",  # a long name still leaves room for ours
            suffix=PARTIAL_SUFFIX,
            delete=False,
        )
    except OSError as error:
        raise write_error(path, error) from error
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o666 & ~_current_umask())
        os.replace(handle.name, path)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise write_error(path, error) from error
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_error(path: Path, error: OSError, fatal: bool | None = None) -> OutputError:
    """One line for a failed write. A full or read-only disk stops a folder run (`fatal`,
    unless the caller decides)."""
    if error.errno == errno.ENAMETOOLONG:
        return OutputError(
            f"{path}: the name is too long for the file system", "shorten the input's name"
        )
    disk = error.errno in _DISK_ERRORS
    fatal = disk if fatal is None else fatal
    fix = "free space on that disk, then run again" if disk else "check the folder's permissions"
    if error.errno == errno.EROFS:
        fix = "pass an -o folder on a writable disk"
    return OutputError(f"{path}: cannot be written ({error.strerror})", fix, fatal=fatal)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_partial_files(folder: Path) -> int:
    """Delete what `write_atomic` left behind when a run was killed; returns how many.

    Call it only while holding the folder's lock (another run's files are not partial).
    """
    removed = 0
    for path in folder.rglob(f".*{PARTIAL_SUFFIX}"):
        if path.is_file():
            with contextlib.suppress(OSError):  # a read-only folder fails on its first write
                path.unlink(missing_ok=True)
                removed += 1
    return removed
