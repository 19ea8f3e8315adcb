"""A PDF's text lines -> the article a reader would recognise: paragraphs, headings, title.

PDF text layers hold positioned lines, not paragraphs: extractors (pdfminer's text boxes,
pdftotext) cut paragraphs at every column or page break and keep running headers and page
numbers in the text. What a reader sees is rebuilt here from the lines' geometry:

- running headers and footers: the same text (digits aside) in the top or bottom band of most
  pages, and page numbers, are furniture (kept, skipped with the reason);
- two-column pages are read column by column, full-width lines (a title) where they stand;
- a paragraph ends at a gap wider than the line pitch, a change of type (size or bold), an
  indented first line, a list bullet, or a line that stopped before the next word would have
  run out of room; it goes on across column and page breaks otherwise;
- the title is the largest type at the top of the first page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..text.hyphenation import ends_broken, join_lines

BAND = 0.1  # the top and bottom tenth of a page, where running headers and footers sit
TITLE_SCALE = 1.25  # the title's type is at least this much larger than the body's
HEADING_SCALE = 1.12
MAX_HEADING_WORDS = 20
GAP_SCALE = 1.35  # a gap this many line pitches wide ends a paragraph
AVERAGE_CHARACTER = 0.5  # an average character's width, in em (for "would the word fit?")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|sur|of|de)\s*\d{1,4})?$", re.IGNORECASE
)
_BULLET = re.compile(r"^(?:[•◦▪‣∙·●○■□➢►✓–—-]|\d{1,2}[.)]|[a-z][.)])\s")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)]$")


@dataclass(frozen=True, eq=False)
class Line:
    """One line of a page's text layer (PDF points, y upwards)."""

    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float  # the type size of most of its characters
    bold: bool = False


@dataclass(frozen=True)
class Page:
    """A page's size and its lines."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


@dataclass
class Block:
    """One paragraph of the article: its lines, what it is, and where it came from."""

    lines: list[Line]
    kind: str = "paragraph"  # title | heading | list | paragraph | header | footer
    furniture: str | None = None  # why it is skipped (a running header, a page number)
    text: str = ""
    pages: list[int] = field(default_factory=list)

    def origin(self) -> dict[str, object]:
        """Where the paragraph came from, for the JSON output."""
        origin: dict[str, object] = {"page": self.pages[0], "kind": self.kind}
        if len(self.pages) > 1:
            origin["pages"] = self.pages
        if self.furniture:
            origin["furniture"] = self.furniture
        return origin


@dataclass(frozen=True)
class _Segment:
    """Lines read in one column (or one full-width stretch) of a page, top to bottom."""

    lines: list[Line]
    left: float
    right: float


def rebuild(pages: list[Page]) -> list[Block]:
    """The article's blocks in reading order (furniture among them, marked)."""
    furniture = find_furniture(pages)
    body = [line for page in pages for line in page.lines if line not in furniture]
    if not body:
        return [_furniture_block(line, furniture[line]) for page in pages for line in page.lines]
    body_size = _body_size(body)
    # each page's reading order, worked out once: the line pitches and the paragraphs use it
    segmented = [
        _segments([line for line in page.lines if line not in furniture]) for page in pages
    ]
    pitch = _line_pitches(segmented)
    blocks: list[Block] = []
    current: list[Line] = []
    pending: list[Block] = []  # furniture met inside a paragraph: placed after it
    previous: tuple[Line, _Segment] | None = None
    top_half = pages[0].height / 2
    for page, segments in zip(pages, segmented, strict=True):
        for line in page.lines:
            if line in furniture:
                pending.append(_furniture_block(line, furniture[line]))
        for segment in segments:
            for index, line in enumerate(segment.lines):
                if (
                    current
                    and previous is not None
                    and _breaks(previous, (line, segment), index > 0, pitch)
                ):
                    blocks.append(_block(current, body_size, top_half))
                    current = []
                if not current:
                    blocks.extend(pending)
                    pending = []
                current.append(line)
                previous = (line, segment)
    if current:
        blocks.append(_block(current, body_size, top_half))
    blocks.extend(pending)
    _one_title(blocks)
    return blocks


def find_furniture(pages: list[Page]) -> dict[Line, str]:
    """Running headers and footers (the same text, digits aside, in the top or bottom band
    of most pages) and page numbers, each with the reason it is skipped."""
    found: dict[Line, str] = {}
    recurring: Counter[tuple[str, str]] = Counter()
    banded: list[tuple[Line, tuple[str, str]]] = []
    for page in pages:
        keys = set()
        for line in page.lines:
            band = _band(line, page)
            if band is None:
                continue
            if _PAGE_NUMBER.match(line.text):
                found[line] = "a page number"
                continue
            key = (band, re.sub(r"\d+", "#", line.text.lower()))
            banded.append((line, key))
            keys.add(key)
        recurring.update(keys)
    needed = max(2, (len(pages) + 1) // 2)
    for line, key in banded:
        if recurring[key] >= needed:
            found[line] = f"a running {key[0]} (on {recurring[key]} of {len(pages)} pages)"
    return found


def _band(line: Line, page: Page) -> str | None:
    if line.y0 >= page.height * (1 - BAND):
        return "header"
    if line.y1 <= page.height * BAND:
        return "footer"
    return None


def _furniture_block(line: Line, reason: str) -> Block:
    kind = "page number" if reason == "a page number" else reason.split()[2]
    return Block([line], kind, reason, line.text, [line.page])


def _body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0]


def _line_pitches(segmented: list[list[_Segment]]) -> dict[float, float]:
    """The usual distance between baselines, by type size."""
    distances: dict[float, list[float]] = {}
    for segments in segmented:
        for segment in segments:
            for above, below in zip(segment.lines, segment.lines[1:], strict=False):
                distance = above.y0 - below.y0
                if abs(above.size - below.size) < 0.5 and 0 < distance < 3 * above.size:
                    distances.setdefault(round(above.size, 1), []).append(distance)
    return {size: statistics.median(values) for size, values in distances.items()}


def _segments(lines: list[Line]) -> list[_Segment]:
    """A page's lines in reading order: one column, or two read left then right between
    full-width lines."""
    if not lines:
        return []
    ordered = sorted(lines, key=lambda line: (-line.y1, line.x0))
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    margin = 0.04 * (right - left)
    middle = (left + right) / 2
    starts_right = sum(line.x0 >= middle - margin for line in lines)
    crossing = sum(line.x0 < middle - margin and line.x1 > middle + margin for line in lines)
    if starts_right < 3 or crossing > len(lines) // 3:  # most lines run across: one column
        return [_Segment(ordered, left, _text_edge(lines))]
    segments: list[_Segment] = []
    columns: tuple[list[Line], list[Line]] = ([], [])

    def close_columns() -> None:
        for column in columns:
            if column:
                segments.append(
                    _Segment(list(column), min(x.x0 for x in column), max(x.x1 for x in column))
                )
                column.clear()

    for line in ordered:
        if line.x0 >= middle - margin:
            columns[1].append(line)
        elif line.x1 <= middle + margin:
            columns[0].append(line)
        else:  # across the gutter: a title or a full-width paragraph
            close_columns()
            segments.append(_Segment([line], left, right))
    close_columns()
    return _merge_full_width(segments, left, right)


def _text_edge(lines: list[Line]) -> float:
    """Where the column's lines end: most of them, not a wider title above them."""
    ends = sorted(line.x1 for line in lines)
    return ends[int(0.9 * (len(ends) - 1))]


def _merge_full_width(segments: list[_Segment], left: float, right: float) -> list[_Segment]:
    """Consecutive full-width lines read as one segment."""
    merged: list[_Segment] = []
    for segment in segments:
        full = segment.left == left and segment.right == right and len(segment.lines) == 1
        if merged and full and merged[-1].left == left and merged[-1].right == right:
            merged[-1].lines.extend(segment.lines)
        else:
            merged.append(segment)
    return merged


def _breaks(
    previous: tuple[Line, _Segment],
    current: tuple[Line, _Segment],
    same_segment: bool,
    pitches: dict[float, float],
) -> bool:
    """Whether `current` starts a new paragraph after `previous`."""
    above, above_segment = previous
    line, segment = current
    if ends_broken(above.text) and line.text[:1].isalnum():
        return False  # a word broken at the line's end goes on here, whatever the layout
    if abs(above.size - line.size) >= 0.5 or above.bold != line.bold:
        return True  # a change of type: a heading begins or ends
    if _BULLET.match(line.text) and (_SENTENCE_END.search(above.text) or _BULLET.match(above.text)):
        return True  # a list item (a dash after a line that goes on is an aside: ` - `)
    if same_segment:
        pitch = pitches.get(round(line.size, 1), 1.2 * line.size)
        if above.y0 - line.y0 > GAP_SCALE * pitch:
            return True
        indented = line.x0 - segment.left > 0.8 * line.size
        if indented and _SENTENCE_END.search(above.text):
            return True
    first_word = line.text.split(" ", 1)[0]
    room = above_segment.right - above.x1
    needed = (len(first_word) + 1) * AVERAGE_CHARACTER * above.size
    return room > needed + 0.5 * above.size  # the word would have fitted: the line was ended


def _block(lines: list[Line], body_size: float, top_half: float) -> Block:
    """A block of lines and what it is: a title is large type in the top half of page 1."""
    text = join_lines([line.text for line in lines])
    pages = list(dict.fromkeys(line.page for line in lines))
    size = max(line.size for line in lines)
    kind = "paragraph"
    if pages[0] == 1 and lines[0].y1 > top_half and size >= TITLE_SCALE * body_size:
        kind = "title"
    elif _BULLET.match(text):
        kind = "list"
    elif _reads_as_heading(text) and (
        size >= HEADING_SCALE * body_size or all(line.bold for line in lines)
    ):
        kind = "heading"
    return Block(lines, kind, None, text, pages)


def _reads_as_heading(text: str) -> bool:
    return len(text.split()) <= MAX_HEADING_WORDS and not _SENTENCE_END.search(text)


def _one_title(blocks: list[Block]) -> None:
    """The first title-sized block is the title (moved first: a header may stand above it);
    any other is a heading."""
    titles = [block for block in blocks if block.kind == "title"]
    for block in titles[1:]:
        block.kind = "heading"
    if titles and blocks[0] is not titles[0]:
        blocks.remove(titles[0])
        blocks.insert(0, titles[0])
