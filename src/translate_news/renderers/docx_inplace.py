"""A translated copy of the input .docx: every translated paragraph rewritten in place, so
styles, headings, lists, tables, headers, footers and footnotes stay as they were.

Runs keep their formatting where the alignment is sure: a run's words that stand verbatim
in the translation (names, figures, quoted titles, addresses) keep their bold, italic or
link there; a run whose words cannot be found carries its formatting (or link) to its whole
sentence, never to other words chosen by guesswork.
"""

from __future__ import annotations

import copy
from typing import Any

from ..document import Result, Sentence
from ..wordml import TEXT_TAGS, open_word, pieces, text_runs, w
from .layout import SUMMARY_HEADING, summary_lines

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# A copy reopens a file already read within --max-bytes: its inflated size was checked then.
_UNCHECKED = 1 << 62


def translated_copy(result: Result, data: bytes) -> bytes:
    """The .docx `data` with the result's translations written into it."""
    word = open_word(data, result.source, _UNCHECKED)
    found = pieces(word)
    article = result.article
    units: list[tuple[dict[str, Any] | None, list[Sentence]]] = [
        (paragraph.origin, paragraph.sentences) for paragraph in article.paragraphs
    ]
    if article.title is not None:
        units.insert(0, (article.title_origin, [article.title]))
    for origin, sentences in units:
        if origin is None or "block" not in origin:
            continue
        if any(s.status == "translated" and s.target is not None for s in sentences):
            rewrite_paragraph(found[origin["block"]].element, sentences)
    if result.summary is not None:
        _insert_summary(word.document, summary_lines(result), article.title_origin, found)
    return word.save()


def _insert_summary(
    document: Any, lines: list[str], title_origin: dict[str, Any] | None, found: list[Any]
) -> None:
    """The summary under the headline (else first in the body): a "Summary" heading and one
    list item a sentence, in the document's own styles where it has them."""
    from docx.text.paragraph import Paragraph as WordParagraph

    body = document.element.body
    if title_origin is not None and "block" in title_origin:
        anchor = found[title_origin["block"]].element.getnext()
    else:
        anchor = next((child for child in body if child.tag in (w("p"), w("tbl"))), None)
    if anchor is None or anchor.tag == w("sectPr"):
        anchor = body.add_p()
    before = WordParagraph(anchor, document.part)  # insert_paragraph_before needs a paragraph
    styles = {style.name for style in document.styles}
    heading = before.insert_paragraph_before("", "Heading 1" if "Heading 1" in styles else None)
    heading.add_run(SUMMARY_HEADING).bold = True
    for line in lines:
        if "List Bullet" in styles:
            before.insert_paragraph_before(line, "List Bullet")
        else:
            before.insert_paragraph_before(f"• {line}")


def rewrite_paragraph(paragraph: Any, sentences: list[Sentence]) -> None:
    """Replace the text of a w:p by its sentences' output, keeping run formatting."""
    runs = text_runs(paragraph)
    if not runs:
        return
    original = "".join(text for _, text in runs)
    owners = [index for index, (_, text) in enumerate(runs) for _ in text]  # char -> run
    spans = _sentence_spans(original, sentences)
    if spans is None:
        return  # the paragraph is not what was read: leave it as it was
    pieces_out: list[tuple[str, int]] = []  # (text, index of the run whose format it takes)
    cursor = 0
    for sentence, (start, end) in zip(sentences, spans, strict=True):
        pieces_out.extend(_original_pieces(original, owners, cursor, start))
        if sentence.status == "translated" and sentence.target is not None:
            pieces_out.extend(_translated_pieces(sentence.target, runs, owners, start, end))
        else:
            pieces_out.extend(_original_pieces(original, owners, start, end))
        cursor = end
    pieces_out.extend(_original_pieces(original, owners, cursor, len(original)))
    _replace_runs(paragraph, runs, pieces_out)


def _sentence_spans(original: str, sentences: list[Sentence]) -> list[tuple[int, int]] | None:
    """Where each sentence's source stands in the runs' text (the reader joined runs and
    collapsed whitespace, so whitespace may differ)."""
    squeezed, positions = [], []
    for index, char in enumerate(original):
        if char.isspace():
            if squeezed and squeezed[-1] != " ":
                squeezed.append(" ")
                positions.append(index)
            continue
        squeezed.append(char)
        positions.append(index)
    text = "".join(squeezed)
    spans, cursor = [], 0
    for sentence in sentences:
        source = " ".join(sentence.source.split())
        start = text.find(source, cursor)
        if start < 0:
            return None
        end = start + len(source)
        spans.append((positions[start], positions[end - 1] + 1))
        cursor = end
    return spans


def _original_pieces(text: str, owners: list[int], start: int, end: int) -> list[tuple[str, int]]:
    """`text[start:end]` cut where the run changes, each piece with its run."""
    found: list[tuple[str, int]] = []
    for index in range(start, end):
        if found and found[-1][1] == owners[index]:
            found[-1] = (found[-1][0] + text[index], owners[index])
        else:
            found.append((text[index], owners[index]))
    return found


def _translated_pieces(
    target: str, runs: list[tuple[Any, str]], owners: list[int], start: int, end: int
) -> list[tuple[str, int]]:
    """The translation of source `[start:end)`, each piece formatted as the run it came from:
    the format most of the sentence has; a run of another format where its words stand
    verbatim in the translation, else (unalignable) over the whole sentence."""
    shares: dict[int, int] = {}
    for index in range(start, end):
        shares[owners[index]] = shares.get(owners[index], 0) + 1
    formats = {index: _format_key(runs[index][0]) for index in shares}
    by_format: dict[str, int] = {}
    for index, count in shares.items():
        by_format[formats[index]] = by_format.get(formats[index], 0) + count
    base_format = max(by_format, key=lambda key: by_format[key])
    base = next(index for index in shares if formats[index] == base_format)
    marks = [base] * len(target)
    unaligned: list[int] = []
    for index in shares:
        if formats[index] == base_format:
            continue
        words = runs[index][1].strip()
        place = target.find(words) if words else -1
        if place < 0:
            unaligned.append(index)
            continue
        marks[place : place + len(words)] = [index] * len(words)
    if unaligned:  # the words moved where we cannot follow: the sentence takes the format
        widest = max(unaligned, key=lambda index: shares[index])
        marks = [widest] * len(target)
    return _original_pieces(target, marks, 0, len(target))


def _format_key(run: Any) -> str:
    from lxml import etree

    properties = run.find(w("rPr"))
    link = _link_of(run)
    target = "" if link is None else f"|link {sorted(link.attrib.items())}"
    if properties is None or not len(properties):  # LibreOffice writes empty <w:rPr/>
        return target
    return etree.tostring(properties, encoding="unicode") + target


def _link_of(run: Any) -> Any:
    """The hyperlink a run stands in, if any."""
    parent = run.getparent()
    while parent is not None and parent.tag != w("p"):
        if parent.tag == w("hyperlink"):
            return parent
        parent = parent.getparent()
    return None


def _replace_runs(
    paragraph: Any, runs: list[tuple[Any, str]], pieces: list[tuple[str, int]]
) -> None:
    """Put new runs (`pieces`, formatted as their runs) where the first text run stood; the
    old runs lose their text (a run holding a picture or a note reference stays)."""
    first = runs[0][0]
    anchor = first
    while anchor.getparent() is not paragraph:  # inside a hyperlink or a tracked insertion
        anchor = anchor.getparent()
    from lxml import etree

    wrapper: Any = None  # the copy of a link the previous piece went into
    for text, index in pieces:
        template = runs[index][0]
        run = _new_run(template, text)
        link = _link_of(template)
        if link is None:
            anchor.addprevious(run)
            wrapper = None
        elif wrapper is not None and dict(wrapper.attrib) == dict(link.attrib):
            wrapper.append(run)  # the same link goes on: one link, not two
        else:
            wrapper = etree.Element(link.tag, attrib=dict(link.attrib))
            wrapper.append(run)
            anchor.addprevious(wrapper)
    for run, _ in runs:
        for child in list(run):
            if child.tag in TEXT_TAGS:
                run.remove(child)
        if all(child.tag == w("rPr") for child in run):
            parent = run.getparent()
            parent.remove(run)
            if parent is not paragraph and not len(parent) and parent.tag == w("hyperlink"):
                parent.getparent().remove(parent)


def _new_run(template: Any, text: str) -> Any:
    from lxml import etree

    run = etree.Element(w("r"))
    properties = template.find(w("rPr"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    element = etree.SubElement(run, w("t"))
    element.text = text
    element.set(_XML_SPACE, "preserve")
    return run
