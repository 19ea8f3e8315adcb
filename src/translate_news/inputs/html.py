"""HTML pages -> the article's text and metadata.

Extraction is trafilatura's (main text, title, date, author; navigation, ads and comments
left out).
"""

from __future__ import annotations

from ..document import PageText
from ..errors import InputError, empty_input
from . import Reader
from .url import PAGE_FIX

METADATA_FIELDS = ("title", "author", "date", "sitename", "url")


def extract_article(page: bytes | str, label: str, url: str | None = None) -> PageText:
    """The main article of an HTML page: headline first, one paragraph a block."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise InputError(f"{label}: no article text found in the page", PAGE_FIX)
    metadata = {name: getattr(document, name, None) for name in METADATA_FIELDS}
    canonical = metadata.get("url")  # the page's own rel=canonical (or og:url), if it says
    if url is not None:
        metadata["url"] = url
    if canonical and canonical != metadata.get("url"):
        metadata["canonical"] = canonical
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    title = (metadata.get("title") or "").strip()
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title
    head = [title] if title else []
    return PageText("\n\n".join([*head, *paragraphs]) + "\n", metadata)


def read_html(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """An HTML file or fetched page: its one article."""
    if not data.strip():
        raise empty_input(label)
    return [extract_article(data, label, url)]


READER = Reader(
    name="html",
    suffixes=(".html", ".htm", ".xhtml"),
    media_types=("text/html", "application/xhtml+xml"),
    read=read_html,
)
