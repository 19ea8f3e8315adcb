"""Test fixtures: PDF and Word files of known text, built from real French news (OrangeSum
articles in tests/data/documents_fr.json), with the paragraphs a reader must find in them.

PDFs are laid out line by line here (fpdf2 places each line), so the fixtures know where
every line, column, page, hyphenated break, header and page number is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from translate_news.document import PageText

DATA = Path(__file__).parent / "data" / "documents_fr.json"
# fpdf2's built-in fonts are Latin-1: the few characters beyond it are spelled within it.
_LATIN_1 = str.maketrans({"œ": "oe", "Œ": "OE", "’": "'", "•": "", "►": "", "…": "...", "–": "-",
                          "—": "-", "“": '"', "”": '"', "\u202f": " ", "\xa0": " "})  # fmt: skip
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4, in points
MARGIN = 56.0
BODY_TOP, BODY_BOTTOM = 100.0, PAGE_HEIGHT - 90.0  # fpdf's y runs downwards
HEADER_Y, FOOTER_Y = 40.0, PAGE_HEIGHT - 40.0
GUTTER = 22.0
VOWELS = set("aeiouyàâäéèêëîïôöùûü")


def articles() -> list[dict[str, object]]:
    """The OrangeSum articles: id, title, paragraphs."""
    return json.loads(DATA.read_text(encoding="utf-8"))["articles"]


def body_of(page: PageText) -> list[str]:
    """The paragraphs a reader found in a document that are not its title or furniture."""
    lines = [line for line in page.text.split("\n") if line.strip()]
    return [line for line, origin in zip(lines, page.origins, strict=True)
            if origin.get("kind") != "title" and not origin.get("furniture")]  # fmt: skip


def latin_1(text: str) -> str:
    return " ".join(text.translate(_LATIN_1).split())


@dataclass
class PdfFixture:
    """A PDF built here and what a reader must find in it."""

    path: Path
    title: str | None
    paragraphs: list[str]  # the body, in reading order
    furniture: list[str] = field(default_factory=list)  # headers, footers, page numbers placed
    breaks: list[tuple[str, str, bool]] = field(default_factory=list)  # (end, start, hyphen kept)
    pages: int = 0


def build_pdf(
    path: Path,
    paragraphs: list[str],
    *,
    title: str | None = None,
    columns: int = 1,
    header: str | None = None,
    page_numbers: bool = False,
    hyphenate: bool = False,
    headings: dict[int, str] | None = None,
    scan_pages: int = 0,
    size: float = 10.5,
) -> PdfFixture:
    """Lay out `paragraphs` (a `headings[i]` before paragraph i) on A4 pages and save them.

    Ragged right, a blank half-line between paragraphs; `hyphenate` breaks long words at the
    end of a line with a hyphen (compounds at their own hyphen); `scan_pages` adds pages that
    are only an image. Returns what a reader must find.
    """
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN)
    paragraphs = [latin_1(text) for text in paragraphs]
    title = latin_1(title) if title else None
    headings = {index: latin_1(text) for index, text in (headings or {}).items()}
    fixture = PdfFixture(path, title, [])
    column_width = (PAGE_WIDTH - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    state = {"column": 0, "y": BODY_TOP}

    def new_page() -> None:
        pdf.add_page()
        fixture.pages += 1
        state["column"], state["y"] = 0, BODY_TOP
        pdf.set_font("Helvetica", size=8)
        if header:
            pdf.text(MARGIN, HEADER_Y, header)
            fixture.furniture.append(header)
        if page_numbers:
            number = f"Page {fixture.pages}"
            pdf.text(PAGE_WIDTH / 2 - 12, FOOTER_Y, number)
            fixture.furniture.append(number)

    def place(line: str, line_size: float, bold: bool) -> None:
        pitch = 1.3 * line_size
        if state["y"] + pitch > BODY_BOTTOM:
            if state["column"] + 1 < columns:
                state["column"] += 1
                state["y"] = column_top
            else:
                new_page()
        pdf.set_font("Helvetica", "B" if bold else "", line_size)
        x = MARGIN + state["column"] * (column_width + GUTTER)
        pdf.text(x, state["y"] + line_size, line)
        state["y"] += pitch

    new_page()
    column_top = BODY_TOP
    if title:
        pdf.set_font("Helvetica", "B", 20)
        for line in _lines(pdf, title, PAGE_WIDTH - 2 * MARGIN, False, fixture):
            pdf.text(MARGIN, state["y"] + 20, line)
            state["y"] += 26
        state["y"] += 14
        column_top = state["y"]
    for index, text in enumerate(paragraphs):
        if index in headings:
            pdf.set_font("Helvetica", "B", size + 2.5)
            state["y"] += 0.6 * size
            for line in _lines(pdf, headings[index], column_width, False, fixture):
                place(line, size + 2.5, True)
            fixture.paragraphs.append(headings[index])
        pdf.set_font("Helvetica", "", size)
        for line in _lines(pdf, text, column_width, hyphenate, fixture):
            place(line, size, False)
        fixture.paragraphs.append(text)
        state["y"] += 0.8 * size
    for _ in range(scan_pages):
        _scan_page(pdf)
        fixture.pages += 1
    pdf.output(str(path))
    return fixture


def _lines(pdf: object, text: str, width: float, hyphenate: bool, fixture: PdfFixture) -> list[str]:
    """Greedy line breaking at `width`; with `hyphenate`, a long word that does not fit is
    broken with a hyphen (a compound at its own hyphen)."""
    measure = pdf.get_string_width  # type: ignore[attr-defined]
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if hyphenate and line:
            split = _hyphen_split(word, lambda part, line=line: measure(f"{line} {part}") <= width)
            if split is not None:
                first, rest, kept = split
                lines.append(f"{line} {first}")
                fixture.breaks.append((first, rest, kept))
                line = rest
                continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def _hyphen_split(word: str, fits: object) -> tuple[str, str, bool] | None:
    """`word` cut in two with a hyphen ending the first part, the longest first part that
    fits: a compound at its own hyphen (kept), else a word of 8+ letters where a typesetter
    would cut it (before a consonant that follows a vowel: gouver-nement)."""
    if "-" in word.strip("-"):
        head, _, tail = word.partition("-")
        if head.isalpha() and tail[:1].isalpha() and fits(f"{head}-"):  # type: ignore[operator]
            return f"{head}-", tail, True
        return None
    letters = word.rstrip(".,;:!?)»\"'")
    if len(letters) < 8 or not letters.isalpha():
        return None
    for cut in range(len(letters) - 3, 3, -1):
        syllable = word[cut - 1].lower() in VOWELS and word[cut].lower() not in VOWELS
        if syllable and word[cut + 1].lower() in VOWELS and fits(f"{word[:cut]}-"):  # type: ignore[operator]
            return f"{word[:cut]}-", word[cut:], False
    return None


def _scan_page(pdf: object) -> None:
    """A page that is only a picture of text (grey bars), as a scanner makes."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 850), 255)
    draw = ImageDraw.Draw(image)
    for row in range(12):
        draw.rectangle((60, 80 + row * 50, 540, 100 + row * 50), fill=90)
    pdf.add_page()  # type: ignore[attr-defined]
    pdf.image(image, x=0, y=0, w=PAGE_WIDTH, h=PAGE_HEIGHT)  # type: ignore[attr-defined]


@dataclass
class DocxFixture:
    """A Word file built here and the paragraphs a reader must find, in reading order."""

    path: Path
    title: str
    paragraphs: list[str]  # after the title: header, body (table cell by cell), notes, footer
    kinds: list[str]  # each paragraph's origin kind
    bold: list[str] = field(default_factory=list)  # runs set in bold
    italic: list[str] = field(default_factory=list)


FOOTNOTE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def build_docx(path: Path, article: dict[str, object]) -> DocxFixture:
    """A press-release-like Word file from an OrangeSum article: a Title, a header and a
    footer, a Heading 1, paragraphs with bold and italic runs, a bulleted list, a 2x3 table
    and a footnote."""
    import docx

    paragraphs = [str(text) for text in article["paragraphs"]][:4]  # type: ignore[index]
    title = str(article["title"])
    document = docx.Document()
    header = "Communiqué de presse - Service de presse du ministère"
    footer = "Pour toute demande, contactez le service de presse du ministère au 01 23 45 67 89."
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    document.add_paragraph(title, style="Title")
    fixture = DocxFixture(path, title, [header], ["paragraph"])

    def body(text: str, kind: str) -> None:
        fixture.paragraphs.append(text)
        fixture.kinds.append(kind)

    document.add_heading("Ce que dit le texte", level=1)
    body("Ce que dit le texte", "heading")
    for index, text in enumerate(paragraphs[:2]):
        words = text.split()
        styled = " ".join(words[2:5])  # three words in bold (first) or italic (second)
        paragraph = document.add_paragraph(" ".join(words[:2]) + " ")
        run = paragraph.add_run(styled)
        (fixture.bold if index == 0 else fixture.italic).append(styled)
        run.bold, run.italic = index == 0, index == 1
        paragraph.add_run(" " + " ".join(words[5:]))
        if index == 0:
            _footnote_reference(paragraph)
        body(text, "paragraph")
    items = ["Les tribunaux d'instance disparaissent.", "Les greffes sont regroupés.",
             "Les justiciables gardent un accès de proximité."]  # fmt: skip
    for item in items:
        document.add_paragraph(item, style="List Bullet")
        body(item, "list")
    cells = [["Juridiction", "Avant la réforme", "Après la réforme"],
             ["Tribunal d'instance", "Litiges du quotidien", "Chambre de proximité"]]  # fmt: skip
    table = document.add_table(rows=2, cols=3)
    for row, texts in zip(table.rows, cells, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
            body(text, "table cell")
    for text in paragraphs[2:]:
        document.add_paragraph(text)
        body(text, "paragraph")
    note = "Texte adopté par le Parlement, publié au Journal officiel."
    _add_footnotes(document, note)
    body(note, "paragraph")
    body(footer, "paragraph")
    document.save(str(path))
    return fixture


def _footnote_reference(paragraph: object) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(  # type: ignore[attr-defined]
        f'<w:r xmlns:w="{WORD_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'
    ))  # fmt: skip


def _add_footnotes(document: object, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{WORD_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    main = document.part  # type: ignore[attr-defined]
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTE_TYPE, xml.encode("utf-8"), main.package)
    main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
