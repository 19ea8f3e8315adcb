"""Renderers: text, markdown, json (and html, from html_view)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..document import Article, Paragraph, Result, Sentence
from ..options import OutputFormat
from .html import render_html


def _paragraph_text(paragraph: Paragraph) -> str:
    return " ".join(sentence.output_text() for sentence in paragraph.sentences)


def _shown(paragraph: Paragraph, keep_boilerplate: bool) -> bool:
    return keep_boilerplate or any(s.status != "skipped" for s in paragraph.sentences)


def _layout(
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
        if not _shown(paragraph, keep_boilerplate):
            pending_blanks = blanks
            continue
        blocks.append("\n" * blanks + text if blocks else text)
        pending_blanks = 0
    return "\n".join(blocks) + "\n"


def _summary_lines(result: Result) -> list[str]:
    return [item.target or item.source for item in result.summary or []]


def _summary_bullets(result: Result) -> str:
    return "".join(f"- {line}\n" for line in _summary_lines(result))


def render_text(result: Result, keep_boilerplate: bool = False) -> str:
    """English text in the input's layout: headline, then paragraphs (then the summary).

    Summary only: the headline, a blank line, then `Summary:` and one key sentence a line, as
    under a full translation.
    """
    article = result.article
    title = article.title.output_text() if article.title else None
    if not result.full:
        head = "" if title is None else f"{title}\n\n"
        return f"{head}Summary:\n{_summary_bullets(result)}"
    texts = (_paragraph_text(p) for p in article.paragraphs)
    text = _layout(article, title, texts, None, keep_boilerplate)
    if result.summary is not None:
        text += "\nSummary:\n" + _summary_bullets(result)
    return text


def render_markdown(result: Result, keep_boilerplate: bool = False) -> str:
    """Markdown: `# headline`, then one paragraph per input paragraph (and/or the summary)."""
    article = result.article
    title = f"# {_escape_markdown(article.title.output_text())}" if article.title else None
    if title and result.byline():
        title += f"\n\n*{_escape_inline(result.byline())}*"
    bullets = _summary_bullets(result)
    if not result.full:
        return (f"{title}\n\n" if title else "") + "## Summary\n\n" + bullets
    texts = (_escape_markdown(_paragraph_text(p)) for p in article.paragraphs)
    text = _layout(article, title, texts, 1, keep_boilerplate)
    return text + ("\n## Summary\n\n" + bullets if result.summary is not None else "")


_MARKDOWN_BLOCK_START = re.compile(r"^(#|[-+*>]\s|\d+[.)]\s)")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>])")


def _escape_inline(text: str) -> str:
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def _escape_markdown(text: str) -> str:
    """A paragraph that would read as a heading or a list item is escaped."""
    return "\\" + text if _MARKDOWN_BLOCK_START.match(text) else text


def _sentence_json(sentence: Sentence) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": sentence.id,
        "source": sentence.source,
        "target": sentence.target,
        "status": sentence.status,
    }
    if sentence.lang is not None:
        data["lang"] = sentence.lang
    if sentence.reason is not None:
        data["reason"] = sentence.reason
    if sentence.status == "translated":
        confidence = sentence.confidence
        data["confidence"] = None if confidence is None else round(confidence, 4)
    data["flags"] = [{"check": flag.check, "detail": flag.detail} for flag in sentence.flags]
    return data


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON contract of DESIGN.md: source, model, mode, title, paragraphs (, summary)."""
    article = result.article
    title = article.title
    data: dict[str, Any] = {
        "source": result.source,
        "model": result.model.as_dict(),
        "mode": "full" if result.full else "summary",
        "title": None if title is None else {"source": title.source, "target": title.target},
        "paragraphs": [[_sentence_json(s) for s in p.sentences] for p in article.paragraphs],
    }
    if result.metadata:
        data["metadata"] = result.metadata
    if result.summary is not None:
        data["summary"] = [
            {"id": item.id, "source": item.source, "target": item.target, "score": item.score}
            for item in result.summary
        ]
    return data


def render_json(result: Result, keep_boilerplate: bool = False) -> str:
    """One JSON object per article (UTF-8, not ASCII-escaped)."""
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}


def render(
    result: Result,
    output_format: OutputFormat,
    keep_boilerplate: bool = False,
    show_flags: bool = False,
) -> str:
    """Render a result in the chosen format (JSON always lists skipped furniture and flags,
    the HTML page always marks flagged sentences; text and markdown with `show_flags`)."""
    if show_flags and output_format in ("text", "markdown"):
        result = _with_flag_notes(result)
    return RENDERERS[output_format](result, keep_boilerplate)


def _with_flag_notes(result: Result) -> Result:
    """A copy whose flagged targets end in `[check: numbers missing ...]` notes."""
    article = copy.deepcopy(result.article)
    for unit in article.units():
        if unit.flags and unit.target is not None:
            notes = " ".join(f"[check: {flag.check}: {flag.detail}]" for flag in unit.flags)
            unit.target = f"{unit.target} {notes}"
    return replace(result, article=article)
