"""PDF files -> the article their text layer holds (pdfminer.six reads it; pdf_layout.py
rebuilds paragraphs, columns, the title, and skips running headers and page numbers)."""

from __future__ import annotations

import io
import logging
from collections import Counter
from typing import Any

from ..document import Original, PageText
from ..errors import InputError, first_line
from . import Reader
from .pdf_layout import Block, Line, Page, rebuild
from .reading import size_limit

MAX_PAGES = 500  # a press release is a few pages; a 2,000-page PDF is a book or a dump
# Text streams may inflate to this many times --max-bytes (text compresses 3-10x; a bomb
# compresses a thousandfold).
INFLATE_FACTOR = 10
_INFLATE_STEP = 1 << 20
_EOF_WINDOW = 1024  # readers look for %%EOF in the file's last kilobyte
_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_REEXPORT_FIX = "open it in a PDF viewer and save or export it again, or pass its text"
_SILENCED = ("pdfminer", "pdfminer.pdfpage", "pdfminer.pdfinterp", "pdfminer.converter")


def read_pdf(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """A PDF's one article: paragraphs rebuilt from the text layer, title first."""
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise InputError(f"{label}: is a truncated PDF (it has no end)", _REEXPORT_FIX)
    info = _checked_info(data, label)
    pages = _pages(data, label)
    blocks = rebuild(pages)
    if not any(block.furniture is None for block in blocks):
        raise InputError(
            f"{label}: has no text layer (a scan?)", "run OCR on it first (ocrmypdf in.pdf out.pdf)"
        )
    empty = [page.number for page in pages if not page.lines]
    warnings = []
    if empty:
        numbers = ", ".join(map(str, empty[:10])) + (", ..." if len(empty) > 10 else "")
        warnings.append(
            f"{label}: page{'s' if len(empty) > 1 else ''} {numbers} of {len(pages)} "
            "have no text layer (scans?) and are not read; run OCR (ocrmypdf) to read them"
        )
    metadata, document_title = _metadata(info, blocks)
    texts = [block.text for block in blocks]
    origins = [block.origin() for block in blocks]
    if document_title:  # no title-sized type on page 1: the file's own title, if it has one
        texts.insert(0, document_title)
        origins.insert(0, {"kind": "title", "from": "document information"})
        metadata["title"] = document_title
    if url:
        metadata["url"] = url
    text = "\n\n".join(texts) + "\n"
    return [PageText(text, metadata, tuple(origins), tuple(warnings), Original("pdf", data))]


def _pages(data: bytes, label: str) -> list[Page]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    # char_margin 1 (pdfminer: 2): two columns' lines at the same height, a gutter apart,
    # stay two lines; text in figures (form XObjects) is read too; boxes_flow None: no
    # hierarchical grouping of text boxes, which is quadratic in their number (a page of many
    # small boxes took seconds) and which we do not use (pdf_layout.py orders the lines).
    laparams = LAParams(char_margin=1.0, all_texts=True, boxes_flow=None)

    pages = []
    try:
        for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=laparams), 1):
            lines = tuple(_lines(layout, number))
            pages.append(Page(number, float(layout.width), float(layout.height), lines))
    except InputError:
        raise
    except Exception as error:  # a damaged file fails anywhere inside pdfminer
        raise _unreadable(label, error) from error
    return pages


def _checked_info(data: bytes, label: str) -> dict[str, Any]:
    """The document information (title, author, dates), once the file is checked: a
    password-protected, over-long or bomb PDF is refused before any page is read."""
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    for name in _SILENCED:  # pdfminer logs every quirk of a file at WARNING
        logging.getLogger(name).setLevel(logging.ERROR)
    limit = INFLATE_FACTOR * size_limit()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        count = sum(1 for _ in PDFPage.create_pages(document))
        inflated = _inflated_size(document, limit)
    except PDFPasswordIncorrect as error:
        raise InputError(
            f"{label}: is protected by a password",
            "remove it first (qpdf --decrypt --password=PASSWORD in.pdf out.pdf)",
        ) from error
    except Exception as error:
        raise _unreadable(label, error) from error
    if count == 0:
        raise InputError(f"{label}: has no pages", _REEXPORT_FIX)
    if inflated > limit:
        raise InputError(
            f"{label}: its compressed text streams inflate past {limit:,} bytes "
            "(a decompression bomb?)",
            "pass --max-bytes with a larger limit if the file is genuine",
        )
    if count > MAX_PAGES:
        raise InputError(
            f"{label}: has {count:,} pages, over the {MAX_PAGES}-page limit for an article",
            "split it (qpdf in.pdf --pages . 1-50 -- part.pdf) and pass the parts",
        )
    return _information(document)


def _inflated_size(document: Any, limit: int) -> int:
    """What the file's compressed streams other than pictures inflate to, counted in bounded
    steps and stopped past `limit`: pdfminer inflates a stream whole, in memory, so a small
    file of a few megabytes of zeros would become gigabytes."""
    import zlib

    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream
    from pdfminer.psparser import LIT

    total = 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                stream = document.getobj(objid)
            except Exception:  # a damaged object: reading the pages says so, or skips it
                continue
            if not isinstance(stream, PDFStream) or stream.get("Subtype") == LIT("Image"):
                continue
            filters = stream.get_filters()
            if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
                continue
            data = stream.rawdata or b""
            if stream.decipher is not None:
                data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
            inflater = zlib.decompressobj()
            try:
                while data and total <= limit:
                    total += len(inflater.decompress(data, _INFLATE_STEP))
                    data = inflater.unconsumed_tail
            except zlib.error:
                continue  # a damaged stream: pdfminer reads what it can of it
            if total > limit:
                return total
    return total


def _unreadable(label: str, error: Exception) -> InputError:
    from pdfminer.pdfdocument import PDFEncryptionError

    if isinstance(error, PDFEncryptionError):
        return InputError(
            f"{label}: is encrypted in a way that cannot be read",
            "remove the encryption first (qpdf --decrypt in.pdf out.pdf)",
        )
    return InputError(f"{label}: is not a readable PDF ({first_line(error, 80)})", _REEXPORT_FIX)


def _lines(layout: Any, page: int) -> list[Line]:
    from pdfminer.layout import LTChar

    lines = []
    for element in _walk(layout):  # text lines only
        text = " ".join(element.get_text().split())
        if not text:
            continue
        chars = [char for char in element if isinstance(char, LTChar) and char.get_text().strip()]
        sizes = Counter(round(char.size, 1) for char in chars)
        size = sizes.most_common(1)[0][0] if sizes else float(element.height)
        bold = sum(_is_bold(char.fontname) for char in chars) > 0.6 * max(1, len(chars))
        x0, y0, x1, y1 = (float(value) for value in element.bbox)
        lines.append(Line(page, x0, y0, x1, y1, text, size, bold))
    return lines


def _walk(element: Any) -> Any:
    from pdfminer.layout import LTContainer, LTTextLineHorizontal

    if isinstance(element, LTTextLineHorizontal):
        yield element
    elif isinstance(element, LTContainer):
        for child in element:
            yield from _walk(child)


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()  # a subset's prefix: ABCDEF+Arial-BoldMT
    return any(mark in name for mark in _BOLD)


def _information(document: Any) -> dict[str, Any]:
    """The document information dictionary's entries, decoded (optional, often damaged)."""
    from pdfminer.pdftypes import resolve1

    info: dict[str, Any] = {}
    try:
        for entry in document.info:
            info.update({key: _decoded(resolve1(value)) for key, value in entry.items()})
    except Exception:  # a damaged dictionary: the title and byline are only a help
        return {}
    return info


def _metadata(info: dict[str, Any], blocks: list[Block]) -> tuple[dict[str, Any], str | None]:
    """The title (the largest type on page 1, else the file's own title if it reads as one),
    author and date from the document information."""
    metadata: dict[str, Any] = {}
    if blocks and blocks[0].kind == "title":
        metadata["title"] = blocks[0].text
    for field, key in (("author", "Author"), ("date", "CreationDate")):
        if info.get(key):
            metadata[field] = info[key]
    if isinstance(metadata.get("date"), str):
        metadata["date"] = _pdf_date(metadata["date"])
    document_title = info.get("Title")
    if "title" in metadata or not _reads_as_title(document_title):
        document_title = None
    return metadata, document_title


def _decoded(value: Any) -> str | None:
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", "replace").strip()
        return value.decode("latin-1").strip()
    return value.strip() if isinstance(value, str) else None


def _pdf_date(value: str) -> str:
    """`D:20240311143000+01'00'` -> `2024-03-11`."""
    digits = value.removeprefix("D:")[:8]
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return value


def _reads_as_title(value: Any) -> bool:
    """A document title that is not a file name or a word processor's placeholder."""
    if not isinstance(value, str) or len(value.split()) < 2:
        return False
    lowered = value.lower()
    return not any(mark in lowered for mark in (".doc", ".pdf", ".odt", "untitled", "sans titre"))


READER = Reader(
    name="pdf",
    suffixes=(".pdf",),
    media_types=("application/pdf",),
    read=read_pdf,
    magic=(b"%PDF-",),
)
