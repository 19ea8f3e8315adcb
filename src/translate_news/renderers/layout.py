"""What the text and markdown renderers share: paragraph text, the input's layout, bullets."""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Article, Paragraph, Result


def paragraph_text(paragraph: Paragraph) -> str:
    return " ".join(sentence.output_text() for sentence in paragraph.sentences)


def shown(paragraph: Paragraph, keep_boilerplate: bool) -> bool:
    return keep_boilerplate or any(s.status != "skipped" for s in paragraph.sentences)


def layout(
    article: Article,
    title: str | None,
    texts: Iterable[str],
    gap: int | None,
    keep_boilerplate: bool,
) -> str:
    """Join title and paragraphs; `gap=None` keeps the input's blank lines.

    Page furniture is left out unless `keep_boilerplate`; the blank lines around it survive.
    """
    blocks = [] if title is None else [title]
    pending_blanks = 0
    for paragraph, text in zip(article.paragraphs, texts, strict=True):
        blanks = max(pending_blanks, paragraph.blank_lines_before if gap is None else gap)
        if not shown(paragraph, keep_boilerplate):
            pending_blanks = blanks
            continue
        blocks.append("\n" * blanks + text if blocks else text)
        pending_blanks = 0
    return "\n".join(blocks) + "\n"


SUMMARY_HEADING = "Summary"  # what the summary is headed by where it has a heading


def summary_lines(result: Result) -> list[str]:
    return [item.target or item.source for item in result.summary or []]


def summary_bullets(result: Result) -> str:
    return "".join(f"- {line}\n" for line in summary_lines(result))


def counted(number: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
