"""Inputs: a Reader record per kind of input (text, HTML), found by file suffix or media type.

A reader turns bytes into one or many articles (`PageText`); files are read by the reader of
their suffix (text for any other), fetched pages by their media type, so a new input kind is
one module with a `READER` here, or a plug-in in the `translate_news.readers` entry points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..document import PageText
from ..errors import InputError
from ..options import DEFAULT_MAX_BYTES
from ..registry import Registry
from .reading import STDIN, STDIN_LABEL, limited_to, read_bytes, read_stdin

FALLBACK_READER = "text"  # files of any other suffix are read as text


@dataclass(frozen=True)
class Reader:
    """A kind of input: how it is recognised and read.

    `read(data, label, url)` returns the articles the bytes hold (most inputs hold one; a feed
    holds many), or raises an InputError naming `label` and the fix. `folder_default`: folder
    runs read files of these suffixes unless `--glob` says otherwise. `magic`: bytes a file of
    this kind starts with, so that it is read as what it is whatever its name (a PDF saved as
    `.txt`, a document piped to stdin).
    """

    name: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    read: Callable[[bytes, str, str | None], Sequence[PageText]]
    folder_default: bool = True
    magic: tuple[bytes, ...] = ()


READERS: Registry[Reader] = Registry(
    "reader",
    __name__,
    ("text", "html", "feed", "pdf", "docx"),
    "a file suffix of",
)


def reader_for_name(label: str) -> Reader:
    """The reader of a file name's suffix (the text reader for any other)."""
    lowered = label.lower()
    for reader in READERS.records():
        if lowered.endswith(reader.suffixes):
            return reader
    return READERS.get(FALLBACK_READER)


def reader_for_media_type(media_type: str) -> Reader | None:
    """The reader of a fetched body's media type, if any."""
    return next((r for r in READERS.records() if media_type in r.media_types), None)


def default_patterns() -> tuple[str, ...]:
    """The file-name globs folder runs read by default: every default reader's suffixes."""
    return tuple(
        f"*{suffix}" for reader in READERS.records() if reader.folder_default
        for suffix in reader.suffixes
    )  # fmt: skip


def reader_for_bytes(data: bytes) -> Reader | None:
    """The reader whose magic bytes start `data`, if any."""
    head = data[:16].lstrip()
    return next((r for r in READERS.records() if r.magic and head.startswith(r.magic)), None)


def decode_document(
    data: bytes, label: str, url: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[PageText]:
    """A file's bytes as the articles it holds, by the reader of what the bytes are (magic),
    else of its suffix (`max_bytes` also caps what a .docx inflates to)."""
    reader = reader_for_bytes(data) or reader_for_name(label)
    return _read_by(reader, data, label, url, max_bytes)


def _read_by(
    reader: Reader, data: bytes, label: str, url: str | None, max_bytes: int
) -> list[PageText]:
    with limited_to(max_bytes):
        articles = list(reader.read(data, label, url))
    if not articles:
        raise InputError(f"{label}: holds no article", "pass a file with an article in it")
    return articles


def read_articles(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[PageText]:
    """The articles of a file, an http(s) URL, or stdin (`-`), each source refused past
    `max_bytes`."""
    from .url import is_url

    if isinstance(source, str) and is_url(source):
        return read_url(source, max_bytes=max_bytes)
    if str(source) == STDIN:
        return decode_document(read_stdin(max_bytes), STDIN_LABEL, max_bytes=max_bytes)
    return decode_document(read_bytes(source, max_bytes), str(source), max_bytes=max_bytes)


def read_source(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> PageText:
    """The one article of a source (see `read_articles`); a source holding several is
    refused with the fix."""
    return only_article(read_articles(source, max_bytes), str(source))


def only_article(articles: Sequence[PageText], label: str) -> PageText:
    """The one article of an input, or an InputError for an input that holds several."""
    if len(articles) > 1:
        raise InputError(
            f"{label}: holds {len(articles)} articles, not one",
            "translate them with translate_many, one item per article",
        )
    return articles[0]


def read_url(
    url: str,
    timeout_s: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    public_only: bool = False,
) -> list[PageText]:
    """Fetch a page and read it by its media type (`public_only`: see `url.fetch_url`)."""
    from .url import FETCH_TIMEOUT_S, fetch_url

    timeout = timeout_s or FETCH_TIMEOUT_S
    body, final_url, media_type = fetch_url(url, timeout, max_bytes, public_only)
    return read_fetched(body, url, final_url, media_type, max_bytes)


def read_fetched(
    body: bytes,
    label: str,
    final_url: str,
    media_type: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[PageText]:
    """A fetched body as the articles it holds, by the reader of its media type."""
    from .url import PAGE_FIX

    reader = reader_for_bytes(body) or reader_for_media_type(media_type)
    if reader is None:
        raise InputError(f"{label}: is {media_type}, not a web page or text", PAGE_FIX)
    return _read_by(reader, body, label, final_url, max_bytes)


__all__ = [
    "READERS",
    "STDIN",
    "Reader",
    "decode_document",
    "default_patterns",
    "only_article",
    "read_articles",
    "read_fetched",
    "read_source",
    "read_url",
    "reader_for_bytes",
    "reader_for_media_type",
    "reader_for_name",
]
