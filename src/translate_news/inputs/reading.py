"""Bytes -> text: encoding detection, binary and empty inputs refused, newlines normalised.

Unicode NFC is applied before the model (see normalize.py), not here, so that every
sentence's `source` stays exactly as the user wrote it.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, empty_input
from ..options import DEFAULT_MAX_BYTES

STDIN = "-"
STDIN_LABEL = "<stdin>"  # how errors name standard input
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# French press outside UTF-8 is Windows-1252 or Latin-1/9; letting the detector consider every
# code page makes it pick mac_latin2 or cp775 for short French texts, so we narrow its choice.
_WESTERN_CODEPAGES = ["cp1252", "iso8859_15", "latin_1"]
_TEXT_FIX = "pass a UTF-8 (or Windows-1252/Latin-1/UTF-16) French text file"
_LOOKS_LIKE_ADDRESS = re.compile(r"^(?:www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/)", re.IGNORECASE)
_READ_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and other old Office files
# The --max-bytes of the read in progress: a reader that inflates (a .docx is a zip) caps what
# it inflates by it. A context variable, so that readers keep their (data, label, url) call.
_SIZE_LIMIT: ContextVar[int] = ContextVar("size_limit", default=DEFAULT_MAX_BYTES)


def size_limit() -> int:
    """The byte limit of the source being read (`--max-bytes`)."""
    return _SIZE_LIMIT.get()


@contextmanager
def limited_to(max_bytes: int) -> Iterator[None]:
    """Readers called inside see `max_bytes` as `size_limit()`."""
    token = _SIZE_LIMIT.set(max_bytes)
    try:
        yield
    finally:
        _SIZE_LIMIT.reset(token)


def decode_bytes(data: bytes, label: str) -> str:
    """Decode French text, refusing binary data (newlines are left as they are: the parser
    reads `\\r\\n` and `\\r` as `\\n`)."""
    text = _decode(data, label)
    if not text.strip():
        raise empty_input(label)
    return text


def _decode(data: bytes, label: str) -> str:
    if not data:
        raise empty_input(label)
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{label}: is an old Word (.doc) or Office file",
            "save it as .docx (soffice --headless --convert-to docx FILE)",
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{label}: starts with a {encoding} byte-order mark but is not {encoding}",
                    _TEXT_FIX,
                ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data, label)
    if _looks_binary(text):
        raise InputError(f"{label}: looks like a binary file, not text", _TEXT_FIX)
    return text


def _decode_legacy(data: bytes, label: str) -> str:
    import charset_normalizer

    if b"\x00" in data:
        raise InputError(f"{label}: looks like a binary file, not text", _TEXT_FIX)
    best = charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_CODEPAGES).best()
    if best is None:
        raise InputError(f"{label}: cannot detect the text encoding", _TEXT_FIX)
    return str(best)


def _looks_binary(text: str) -> bool:
    """NULs or many control characters: a binary file that happened to decode."""
    if "\x00" in text:
        return True
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > max(2, len(sample) // 100)


_LINK_FIX = "pass the file it should point to"


def read_bytes(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes (a regular file, a pipe or a device alike, read up to `max_bytes`),
    or an InputError that names it and the fix."""
    path = Path(source)
    label = str(source)
    if not path.exists():
        if path.is_symlink():
            raise InputError(f"{label}: is a symbolic link that loops or leads nowhere", _LINK_FIX)
        if _LOOKS_LIKE_ADDRESS.match(label):
            raise InputError(f"{label}: no such file", f"for a web page, pass https://{label}")
        raise InputError(f"{label}: no such file", "check the path")
    if path.is_dir():
        raise InputError(f"{label}: is a folder", "pass a text file")
    try:
        with path.open("rb") as stream:
            return read_capped(stream, label, max_bytes)
    except OSError as error:
        raise InputError(
            f"{label}: cannot be read ({error.strerror})", "check its permissions"
        ) from error


def open_regular(path: str | Path) -> int:
    """Open a file for reading, refusing what is not a regular file at open: `O_NONBLOCK`
    keeps a FIFO from blocking the open, and `fstat` checks what was opened, not the name."""
    import os
    import stat

    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise InputError(f"{path}: {_kind(mode)}, not a regular file", "pass a text file")
    os.set_blocking(descriptor, True)
    return descriptor


def _kind(mode: int) -> str:
    import stat

    kinds = ((stat.S_ISFIFO, "is a FIFO"), (stat.S_ISCHR, "is a character device"),
             (stat.S_ISBLK, "is a block device"), (stat.S_ISSOCK, "is a socket"),
             (stat.S_ISDIR, "is a folder"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "is not a file")


def read_capped(stream: BinaryIO, label: str, max_bytes: int) -> bytes:
    """Read a stream to its end, refusing it past `max_bytes` (`/dev/zero` ends here too)."""
    chunks: list[bytes] = []
    size = 0
    # read1: what has arrived, so one Ctrl-D at a terminal ends the input (as for `cat`);
    # read() would wait for a full chunk and need a second one.
    read = getattr(stream, "read1", stream.read)
    while True:
        chunk = read(min(_READ_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise InputError(
                f"{label}: is over the {max_bytes:,}-byte limit, too large for an article",
                "pass --max-bytes with a larger limit, or split the file",
            )
        chunks.append(chunk)


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Standard input's bytes (at most `max_bytes`)."""
    if sys.stdin is None:
        raise InputError(f"{STDIN_LABEL}: is closed", "pipe an article in, or pass a file")
    try:
        return read_capped(sys.stdin.buffer, STDIN_LABEL, max_bytes)
    except OSError as error:  # e.g. a folder given as standard input (`< /`)
        raise InputError(
            f"{STDIN_LABEL}: cannot be read ({error.strerror})",
            "pipe an article in, or pass a file",
        ) from error


def read_input(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a path, or standard input for `-`, as text (at most `max_bytes`)."""
    if str(source) == STDIN:
        return decode_bytes(read_stdin(max_bytes), STDIN_LABEL)
    return decode_bytes(read_bytes(source, max_bytes), str(source))
