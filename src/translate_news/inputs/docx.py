"""Word files (.docx) -> one article: headings, paragraphs, lists, tables cell by cell, text
boxes, headers, footers and footnotes, each piece a paragraph that says where it came from
(wordml.py walks the file; the docx renderer writes the translation back into it)."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..document import Original, PageText
from ..errors import InputError
from . import Reader
from .reading import size_limit

# The title first, then what stands at the top of every page, the body, its notes, the foot.
_ORDER = {"header": 0, "body": 1, "footnote": 2, "endnote": 3, "footer": 4}


class _Found(NamedTuple):
    block: int  # its place in wordml.pieces: what the renderer writes back to
    piece: Any  # wordml.Piece
    text: str


def read_docx(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """A .docx file's one article; its headline is the Title-styled paragraph (else a first
    paragraph styled Heading 1)."""
    from ..wordml import open_word, pieces

    word = open_word(data, label, size_limit())
    found = [_Found(block, piece, " ".join(piece.text().split()))
             for block, piece in enumerate(pieces(word))]  # fmt: skip
    found = [item for item in found if item.text]
    if not found:
        raise InputError(f"{label}: holds no text", "pass a Word document with an article in it")
    title = _title(found)
    ordered = sorted((item for item in found if item is not title),
                     key=lambda item: _ORDER[item.piece.part])  # fmt: skip
    if title is not None:
        ordered.insert(0, title)
    origins = [item.piece.origin(item.block) for item in ordered]
    if title is not None:
        origins[0]["kind"] = "title"
    metadata: dict[str, Any] = {"title": title.text} if title is not None else {}
    properties = word.document.core_properties
    if properties.author:
        metadata["author"] = properties.author
    if properties.created:
        metadata["date"] = properties.created.date().isoformat()
    if url:
        metadata["url"] = url
    text = "\n\n".join(item.text for item in ordered) + "\n"
    return [PageText(text, metadata, tuple(origins), (), Original("docx", data))]


def _title(found: list[_Found]) -> _Found | None:
    body = [item for item in found if item.piece.part == "body"]
    titled = next((item for item in body if item.piece.kind == "title"), None)
    if titled is not None:
        return titled
    first = body[0] if body else None
    if first is not None and first.piece.kind == "heading" and first.piece.where["level"] == 1:
        return first
    return None


READER = Reader(
    name="docx",
    suffixes=(".docx",),
    media_types=("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    read=read_docx,
    magic=(b"PK\x03\x04",),  # any zip: one that is not a Word file is refused with the fix
)
