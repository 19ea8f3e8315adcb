"""`--format docx`: a Word file. From a .docx input, a copy of it with the translation in
place (docx_inplace.py); from any other input, or with `--bilingual`, a clean document:
the headline as its title, the summary as a list, then the paragraphs (French | English in
a two-column table with `--bilingual`)."""

from __future__ import annotations

import io
from typing import Any

from ..document import Paragraph, Result
from . import Renderer
from .layout import SUMMARY_HEADING, paragraph_text, shown, summary_lines


def render_docx(result: Result, keep_boilerplate: bool = False) -> bytes:
    """The result as a .docx file's bytes."""
    bilingual = result.request is not None and result.request.output.bilingual
    original = result.original
    if original is not None and original.format == "docx" and result.full and not bilingual:
        from .docx_inplace import translated_copy

        return translated_copy(result, original.data)
    return clean_document(result, keep_boilerplate, bilingual)


def clean_document(result: Result, keep_boilerplate: bool, bilingual: bool) -> bytes:
    """A new Word file: title, summary list, paragraphs (or the bilingual table)."""
    import docx

    document = docx.Document()
    article = result.article
    title = article.title
    if title is not None:
        document.add_paragraph(title.output_text(), style="Title")
        document.core_properties.title = title.output_text()
        if bilingual:
            document.add_paragraph(title.source, style="Subtitle")
    if result.summary is not None:
        document.add_heading(SUMMARY_HEADING, level=1)
        for line in summary_lines(result):
            document.add_paragraph(line, style="List Bullet")
    if result.full:
        paragraphs = [p for p in article.paragraphs if shown(p, keep_boilerplate)]
        if bilingual:
            _bilingual_table(document, paragraphs)
        else:
            for paragraph in paragraphs:
                _add_paragraph(document, paragraph, paragraph_text(paragraph))
    document.core_properties.comments = f"translated by translate-news ({result.model.describe()})"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _add_paragraph(document: Any, paragraph: Paragraph, text: str) -> None:
    kind = (paragraph.origin or {}).get("kind")
    if kind == "heading":
        document.add_heading(text, level=min(int(paragraph.origin.get("level", 2)), 9))
    elif kind == "list":
        document.add_paragraph(text, style="List Bullet")
    else:
        document.add_paragraph(text)


def _bilingual_table(document: Any, paragraphs: list[Paragraph]) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    heading = table.rows[0].cells
    heading[0].text, heading[1].text = "Français", "English"
    for cell in heading:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for paragraph in paragraphs:
        cells = table.add_row().cells
        cells[0].text = paragraph.source_text()
        cells[1].text = paragraph_text(paragraph)


RENDERER = Renderer(
    name="docx",
    suffixes=(".docx",),
    render=render_docx,
    holds_summary=True,
    inline_flags=False,
    binary=True,
)
