"""`--format text`: the English in the input's layout (then the summary)."""

from __future__ import annotations

from ..document import Result
from . import Renderer
from .layout import layout, paragraph_text, summary_bullets


def render_text(result: Result, keep_boilerplate: bool = False) -> str:
    """English text in the input's layout: headline, then paragraphs (then the summary).

    Summary only: the headline, a blank line, then `Summary:` and one key sentence a line, as
    under a full translation.
    """
    article = result.article
    title = article.title.output_text() if article.title else None
    if not result.full:
        head = "" if title is None else f"{title}\n\n"
        return f"{head}Summary:\n{summary_bullets(result)}"
    texts = (paragraph_text(p) for p in article.paragraphs)
    text = layout(article, title, texts, None, keep_boilerplate)
    if result.summary is not None:
        text += "\nSummary:\n" + summary_bullets(result)
    return text


RENDERER = Renderer(
    name="text", suffixes=(".txt",), render=render_text, holds_summary=False, inline_flags=True
)
