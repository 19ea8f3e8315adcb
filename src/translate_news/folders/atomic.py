"""Atomic file output: a file is either complete or absent, never half-written."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError, UsageError

# A lone surrogate (a file name that is not UTF-8, text from the Python API) cannot be UTF-8:
# it is written as its escape `\udce9`, which inside a JSON string means the same character.
TEXT_ERRORS = "backslashreplace"
PARTIAL_SUFFIX = ".partial"  # a file being written; renamed when complete
_PARTIAL_STEM = 100  # characters of the final name kept in the temporary one
# A full, over-quota or read-only disk fails every later write too: a folder run stops there.
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def write_atomic(path: Path, text: str | bytes, protected: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8; or bytes, a binary format's) to `path` via a temporary file in
    the same folder, fsync, then rename.

    Refuses to write over any of the `protected` paths (the inputs). What is not a regular
    file is never replaced: a symbolic link is followed (the file it names is written, the
    link kept), a character device, FIFO or socket is written into as a stream, a folder or
    block device refused.
    """
    for input_path in protected:
        if _same_file(path, input_path):
            raise UsageError(
                f"{path}: is the input file; refusing to overwrite it", "choose another -o path"
            )
    try:
        mode = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise write_error(path, error) from error
    if mode is not None and not stat.S_ISREG(mode):
        _write_into(path, text, mode)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the link stays; the file it names is written
    _replace_file(path, text)


def _write_into(path: Path, text: str | bytes, mode: int) -> None:
    """Stream `text` into a device, FIFO or socket: these cannot be renamed over."""
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder", "pass a file name to -o (or a folder run)")
    if stat.S_ISBLK(mode):
        raise OutputError(
            f"{path}: is a block device; refusing to write over it", "pass a file name to -o"
        )
    try:
        # O_NONBLOCK: a FIFO that no program reads is refused at once instead of hanging.
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OutputError(
                f"{path}: is a FIFO that no program is reading", "start its reader first"
            ) from error
        raise write_error(path, error) from error
    try:
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "wb") as stream:
            descriptor = -1
            stream.write(_encoded(text))
    except OSError as error:
        raise write_error(path, error) from error
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _encoded(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", TEXT_ERRORS)


def write_stdout(text: str | bytes) -> None:
    """Print `text` on standard output (bytes, a binary format, only where stdout is not a
    terminal); a failed write (a full disk, a closed pipe) is one line instead of a
    traceback at exit."""
    if isinstance(text, bytes) and sys.stdout.isatty():
        raise UsageError(
            "<stdout>: is a terminal, and this format is a binary file",
            "pass -o FILE with the format's extension (e.g. -o article.en.docx)",
        )
    try:
        try:
            if isinstance(text, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(text)
            else:
                sys.stdout.write(text)
        except UnicodeEncodeError:  # lone surrogates, or a terminal that is not UTF-8
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.write(text.encode(encoding, TEXT_ERRORS).decode(encoding))
        sys.stdout.flush()
    except OSError as error:
        _drop_stdout()  # what is still buffered would fail again when Python exits
        if error.errno == errno.EPIPE:  # the reader left (`| head`): nothing to tell it
            raise OutputError("<stdout>: the program reading the output has exited") from None
        raise write_error(Path("<stdout>"), error) from None


def _drop_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _replace_file(path: Path, text: str | bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist", "create it first")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed, not closed, on success
            "wb",
            dir=folder,
            prefix=f".{path.name[:_PARTIAL_STEM]}.",  # a long name still leaves room for ours
            suffix=PARTIAL_SUFFIX,
            delete=False,
        )
    except OSError as error:
        raise write_error(path, error) from error
    try:
        with handle:
            handle.write(_encoded(text))
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
