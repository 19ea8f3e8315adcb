"""Plain text files: one article, its encoding detected (see reading.py)."""

from __future__ import annotations

from ..document import PageText
from . import Reader
from .reading import decode_bytes


def read_text(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """A text file (or a text/plain page): its one article."""
    return [PageText(decode_bytes(data, label), {"url": url} if url else {})]


READER = Reader(name="text", suffixes=(".txt",), media_types=("text/plain",), read=read_text)
