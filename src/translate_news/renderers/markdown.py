"""`--format markdown`: `# headline`, one paragraph per input paragraph, `## Summary`."""

from __future__ import annotations

import re

from ..document import Result
from . import Renderer
from .layout import layout, paragraph_text, summary_bullets


def render_markdown(result: Result, keep_boilerplate: bool = False) -> str:
    """Markdown: `# headline`, then one paragraph per input paragraph (and/or the summary)."""
    article = result.article
    title = f"# {_escape_markdown(article.title.output_text())}" if article.title else None
    if title and result.byline():
        title += f"\n\n*{_escape_inline(result.byline())}*"
    bullets = summary_bullets(result)
    if not result.full:
        return (f"{title}\n\n" if title else "") + "## Summary\n\n" + bullets
    texts = (_escape_markdown(paragraph_text(p)) for p in article.paragraphs)
    text = layout(article, title, texts, 1, keep_boilerplate)
    return text + ("\n## Summary\n\n" + bullets if result.summary is not None else "")


_MARKDOWN_BLOCK_START = re.compile(r"^(#|[-+*>]\s|\d+[.)]\s)")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>])")


def _escape_inline(text: str) -> str:
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def _escape_markdown(text: str) -> str:
    """A paragraph that would read as a heading or a list item is escaped."""
    return "\\" + text if _MARKDOWN_BLOCK_START.match(text) else text


RENDERER = Renderer(
    name="markdown",
    suffixes=(".md", ".markdown"),
    render=render_markdown,
    holds_summary=False,
    inline_flags=True,
)
