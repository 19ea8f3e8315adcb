"""Bytes -> text: encoding detection, binary and empty inputs refused, newlines normalised.

Unicode NFC is applied before the model (see normalize.py), not here, so that every
sentence's `source` stays exactly as the user wrote it.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from .errors import InputError
from .webpage import HTML_SUFFIXES, PageText, extract_article, is_url, read_url

STDIN = "-"
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


def decode_bytes(data: bytes, label: str) -> str:
    """Decode French text, refusing binary data; newlines become `\\n`."""
    text = _decode(data, label)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{label}: input is empty", "pass a file that contains an article")
    return text


def _decode(data: bytes, label: str) -> str:
    if not data:
        raise InputError(f"{label}: input is empty", "pass a file that contains an article")
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


def read_bytes(source: str | Path) -> bytes:
    """A file's bytes, or an InputError that names it and the fix."""
    path = Path(source)
    label = str(source)
    if not path.exists():
        raise InputError(f"{label}: no such file", "check the path")
    if path.is_dir():
        raise InputError(f"{label}: is a folder", "pass a text file")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            f"{label}: cannot be read ({error.strerror})", "check its permissions"
        ) from error


def read_input(source: str | Path) -> str:
    """Read a path, or standard input for `-`, as text."""
    if str(source) == STDIN:
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    return decode_bytes(read_bytes(source), str(source))


def decode_document(data: bytes, label: str) -> PageText:
    """A file's bytes as article text: HTML pages (by file suffix) through the extractor."""
    if label.lower().endswith(HTML_SUFFIXES):
        if not data.strip():
            raise InputError(f"{label}: input is empty", "pass a file that contains an article")
        return extract_article(data, label)
    return PageText(decode_bytes(data, label))


def read_source(source: str | Path) -> PageText:
    """Read a text file, an HTML file, an http(s) URL, or stdin (`-`) as article text."""
    if isinstance(source, str) and is_url(source):
        return read_url(source)
    if str(source) == STDIN:
        return PageText(read_input(source))
    return decode_document(read_bytes(source), str(source))
