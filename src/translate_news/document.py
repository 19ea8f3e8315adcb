"""The one data model every stage shares: Article -> Paragraph -> Sentence, the flags a
sentence may carry, and the Result (article, summary, provenance) that renderers read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .provenance import Made

if TYPE_CHECKING:
    from .options import Request

Status = Literal["translated", "kept", "skipped"]


@dataclass(frozen=True)
class Original:
    """The input file itself, for a renderer that writes a translated copy of it (docx)."""

    format: str  # the reader's name
    data: bytes


Origin = dict[str, Any]  # where a paragraph came from: {"page": 2}, {"part": "table", ...}


@dataclass(frozen=True)
class PageText:
    """One article as a reader found it: its text (headline, blank line, paragraphs) and what
    the page or file says of it (title, author, date, url, ...).

    Documents (PDF, Word) say more: `origins`, one per non-blank line of `text`, where each
    came from (an origin with `"kind": "title"` is the headline, and then the first line; one
    with `"furniture"` is a running header or page number, kept but skipped with that
    reason); `warnings` for the result (pages without a text layer); `original`, the file.
    """

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    origins: tuple[Origin, ...] = ()
    warnings: tuple[str, ...] = ()
    original: Original | None = None


@dataclass(frozen=True)
class Flag:
    """Why a sentence should be checked against the French: `check` names the rule."""

    check: str
    detail: str


@dataclass
class Sentence:
    """A unit of translation. `source` is the exact input text of the sentence."""

    id: int
    source: str
    target: str | None = None
    status: Status = "translated"
    reason: str | None = None  # why a sentence was skipped or kept
    lang: str | None = None  # set when the sentence is not in French
    flags: list[Flag] = field(default_factory=list)  # what a reader should check (checks.py)
    confidence: float | None = None  # the model's, in [0, 1] (backends.base.confidence_of)

    def output_text(self) -> str:
        """What the English output shows for this sentence."""
        return self.target if self.target is not None else self.source


@dataclass
class Paragraph:
    """A line of the input; `blank_lines_before` keeps the input's layout."""

    sentences: list[Sentence]
    blank_lines_before: int = 0
    origin: Origin | None = None  # documents: page, heading, table cell, footer, ...

    def source_text(self) -> str:
        """The paragraph's French, its sentences joined by spaces."""
        return " ".join(sentence.source for sentence in self.sentences)


@dataclass
class Article:
    """A headline (optional) and its paragraphs, in reading order."""

    title: Sentence | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    title_origin: Origin | None = None  # documents: where the headline came from

    def sentences(self) -> Iterator[Sentence]:
        """Every body sentence in reading order (the title excluded)."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    def to_check(self) -> int:
        """How many units carry a flag: sentences a reader should check (checks.py)."""
        return sum(bool(unit.flags) for unit in self.units())

    def units(self) -> Iterator[Sentence]:
        """The title (if any) then every body sentence: everything that gets translated."""
        if self.title is not None:
            yield self.title
        yield from self.sentences()


@dataclass
class SummarySentence:
    """A picked sentence: its id in the article, its text, its score (and translation)."""

    id: int
    source: str
    score: float
    target: str | None = None


@dataclass
class Result:
    """A translated article (or its summary) and how it was made."""

    source: str  # the input path, or "-" for stdin / a string
    article: Article
    model: Made  # the model and engine (JSON: `model`)
    summary: list[SummarySentence] | None = None
    full: bool = True  # False: summary only, sentences outside the summary left untranslated
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] | None = None  # web pages: title, author, date, sitename, url
    request: Request | None = None  # what was asked (echoed as given)
    made_at: str | None = None  # when it was prepared: UTC, `YYYY-MM-DD HH:MM UTC`
    original: Original | None = None  # the input document, for renderers that copy it (docx)

    @property
    def mode(self) -> str:
        """`full`, `summary` or `both`, as asked."""
        if not self.full:
            return "summary"
        return "both" if self.summary is not None else "full"

    def byline(self) -> str:
        """`author · date · site · url` of a web page ('' when unknown)."""
        metadata = self.metadata or {}
        fields = ("author", "date", "sitename", "url")
        return " · ".join(str(metadata[name]) for name in fields if metadata.get(name))
