"""The pieces of a Word (.docx) file in a fixed order: what the docx reader reads and the docx
renderer writes back in place, so that both walk the very same paragraphs.

python-docx opens the package; the walk is over the XML itself because python-docx's own
(`iter_inner_content`, `Paragraph.text`) skips content controls, text boxes, tracked
insertions and footnotes, and nothing of the article may be lost.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, first_line

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_MEMBERS = 5000
_NOTE_TYPES = {
    "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
}
_HEADING = re.compile(r"^(?:heading|titre|überschrift)\s*(\d)$")
_TITLE_STYLES = {"title", "titre"}
_LIST_STYLE = re.compile(r"^(?:list|liste)\b")
FALLBACK = f"{{{MC}}}Fallback"  # mc:Fallback: a copy of the content for old readers
_NOT_RUN_TEXT = (f"{{{W}}}del", f"{{{W}}}txbxContent", FALLBACK)
# A run's children that are text: w:t, and the marks that stand for a character (a line break
# inside a paragraph is a space: the paragraph goes on). The docx renderer removes these.
TEXT_T = f"{{{W}}}t"
_RUN_MARKS = {
    f"{{{W}}}tab": "\t",
    f"{{{W}}}br": " ",
    f"{{{W}}}cr": " ",
    f"{{{W}}}noBreakHyphen": "-",
}
TEXT_TAGS = frozenset({TEXT_T, *_RUN_MARKS})
DOCX_FIX = "save it as a Word document (.docx) from Word or LibreOffice"
CONVERT_FIX = "save it as .docx (soffice --headless --convert-to docx FILE)"
_OPEN_DOCUMENT = b"application/vnd.oasis.opendocument"
# What zipfile raises beyond BadZipFile: a compression or version it lacks, encryption, a cut
# stream.
_ZIP_ERRORS = (NotImplementedError, RuntimeError, OSError, EOFError, zlib.error)


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element."""
    return f"{{{W}}}{tag}"


@dataclass
class Piece:
    """One paragraph of the document: its element, where it is, what it is."""

    element: Any  # a w:p
    part: str  # body | header | footer | footnote | endnote
    kind: str  # title | heading | list | paragraph | table cell | text box
    where: dict[str, int] = field(default_factory=dict)  # table, row, cell; heading level

    def text(self) -> str:
        """The paragraph's text (line breaks as spaces, deleted revisions left out)."""
        return "".join(text for _, text in text_runs(self.element))

    def origin(self, block: int) -> dict[str, Any]:
        """Where it came from, for the JSON output (`block`: its place in `pieces`)."""
        return {"part": self.part, "kind": self.kind, **self.where, "block": block}


@dataclass
class WordFile:
    """An opened .docx: the python-docx Document and the XML roots of its note parts."""

    document: Any
    notes: dict[str, tuple[Any, Any]]  # footnote | endnote -> (part, XML root)

    def save(self) -> bytes:
        """The package with every change made to its XML."""
        from lxml import etree

        for part, root in self.notes.values():
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        stream = io.BytesIO()
        self.document.save(stream)
        return stream.getvalue()


def open_word(data: bytes, label: str, max_bytes: int) -> WordFile:
    """Open a .docx, or an InputError naming `label`: not a zip, a zip of something else, a
    package that inflates past `max_bytes` (a zip bomb), a damaged file."""
    check_package(data, label, max_bytes)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        notes = {}
        for name, reltype in _NOTE_TYPES.items():
            part = next((rel.target_part for rel in document.part.rels.values()
                         if rel.reltype == reltype and not rel.is_external), None)  # fmt: skip
            if part is not None:
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                notes[name] = (part, etree.fromstring(part.blob, parser))
    except (PackageNotFoundError, KeyError) as error:
        raise InputError(f"{label}: is a zip file but not a Word document", DOCX_FIX) from error
    except ValueError as error:  # python-docx: "file '...' is not a Word file, content type..."
        raise InputError(f"{label}: is not a Word document ({error})", DOCX_FIX) from error
    except Exception as error:  # a damaged package fails anywhere inside python-docx or lxml
        raise _damaged(label, error) from error
    return WordFile(document, notes)


def check_package(data: bytes, label: str, max_bytes: int) -> None:
    """Refuse what is not a zip, and a zip whose members inflate past `max_bytes` (zipfile
    stops reading a member at its declared size, so declared sizes bound what is inflated)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise InputError(f"{label}: is not a Word document (not a zip file)", DOCX_FIX) from error
    except _ZIP_ERRORS as error:
        raise _damaged(label, error) from error
    inflated = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or inflated > max_bytes:
        raise InputError(
            f"{label}: inflates to {inflated:,} bytes in {len(members):,} parts, over the "
            f"{max_bytes:,}-byte limit (a zip bomb?)",
            "pass --max-bytes with a larger limit if the file is genuine",
        )
    names = {member.filename for member in members}
    if "mimetype" in names and _read_member(archive, "mimetype", label)[:80].startswith(
        _OPEN_DOCUMENT
    ):
        raise InputError(f"{label}: is an OpenDocument file (.odt), not a Word document",
                         CONVERT_FIX)  # fmt: skip
    if "[Content_Types].xml" not in names:
        raise InputError(f"{label}: is a zip file but not a Word document", DOCX_FIX)


def _read_member(archive: zipfile.ZipFile, name: str, label: str) -> bytes:
    """A member's bytes, or the one line of a damaged or unreadable zip."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, *_ZIP_ERRORS) as error:
        raise _damaged(label, error) from error


def _damaged(label: str, error: BaseException) -> InputError:
    return InputError(f"{label}: is a damaged Word document ({first_line(error, 80)})", DOCX_FIX)


def pieces(word: WordFile) -> list[Piece]:
    """Every paragraph of the document in a fixed order: headers, body (tables cell by cell,
    text boxes after their paragraph), footnotes, endnotes, footers."""
    document = word.document
    styles = _style_names(document)
    found: list[Piece] = []
    for root in _related_roots(document, "headerReference"):
        found.extend(_walk(root, "header", styles))
    found.extend(_walk(document.element.body, "body", styles))
    for name, (_, root) in word.notes.items():
        for note in root.iter(w(name)):
            if note.get(w("type")) in (None, "normal"):  # not the separator lines
                found.extend(_walk(note, name, styles))
    for root in _related_roots(document, "footerReference"):
        found.extend(_walk(root, "footer", styles))
    return found


def _related_roots(document: Any, reference: str) -> list[Any]:
    """The XML roots of the header (or footer) parts the sections use, each once."""
    roots: list[Any] = []
    seen: set[str] = set()
    for element in document.element.body.iter(w(reference)):
        rel_id = element.get(f"{{{R}}}id")
        if rel_id and rel_id not in seen and rel_id in document.part.related_parts:
            seen.add(rel_id)
            roots.append(document.part.related_parts[rel_id].element)
    return roots


def _style_names(document: Any) -> dict[str, str]:
    """Style id -> lower-cased name (ids and names differ between Word and LibreOffice)."""
    names = {}
    for style in document.styles.element.iter(w("style")):
        name = style.find(w("name"))
        style_id = style.get(w("styleId")) or ""
        names[style_id] = (name.get(w("val")) if name is not None else style_id).lower()
    return names


def _walk(container: Any, part: str, styles: dict[str, str], where: dict[str, int] | None = None,
          in_cell: bool = False) -> Iterator[Piece]:  # fmt: skip
    tables = 0
    for child in container:
        if child.tag == w("p"):
            kind, level = ("table cell", {}) if in_cell else _paragraph_kind(child, styles)
            yield Piece(child, part, kind, {**(where or {}), **level})
            for box in _text_boxes(child):
                yield from _walk(box, part, styles, where, in_cell)
        elif child.tag == w("tbl"):
            tables += 1
            rows = [row for row in child if row.tag == w("tr")]
            for row_number, row in enumerate(rows, 1):
                cells = [cell for cell in row if cell.tag == w("tc")]
                for cell_number, cell in enumerate(cells, 1):
                    cell_where = {"table": tables, "row": row_number, "cell": cell_number}
                    yield from _walk(cell, part, styles, cell_where, True)
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from _walk(child, part, styles, where, in_cell)


def _paragraph_kind(paragraph: Any, styles: dict[str, str]) -> tuple[str, dict[str, int]]:
    properties = paragraph.find(w("pPr"))
    style_id = ""
    if properties is not None:
        style = properties.find(w("pStyle"))
        style_id = style.get(w("val")) if style is not None else ""
        if properties.find(w("numPr")) is not None:
            return "list", {}
    name = styles.get(style_id, style_id.lower())
    if name in _TITLE_STYLES or style_id.lower() in _TITLE_STYLES:
        return "title", {}
    heading = _HEADING.match(name) or _HEADING.match(style_id.lower())
    if heading:
        return "heading", {"level": int(heading.group(1))}
    if _LIST_STYLE.match(name):
        return "list", {}
    return "paragraph", {}


def _text_boxes(paragraph: Any) -> list[Any]:
    """Text boxes anchored in a paragraph (not their VML copies for old readers)."""
    return [box for box in paragraph.iter(w("txbxContent")) if not _inside(box, FALLBACK)]


def _inside(element: Any, tag: str, stop: Any = None) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def text_runs(paragraph: Any) -> list[tuple[Any, str]]:
    """The paragraph's runs (w:r) that carry text, each with its text: not deleted
    revisions, not text boxes (walked as paragraphs of their own), not old-reader copies."""
    runs = []
    for run in paragraph.iter(w("r")):
        if any(_inside(run, tag, paragraph) for tag in _NOT_RUN_TEXT):
            continue
        text = "".join(_run_text(child) for child in run)
        if text:
            runs.append((run, text))
    return runs


def _run_text(child: Any) -> str:
    if child.tag == TEXT_T:
        return child.text or ""
    return _RUN_MARKS.get(child.tag, "")
