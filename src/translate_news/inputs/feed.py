"""RSS 2.0, Atom and RDF feeds -> one article per item (feedparser reads them).

Each item becomes a PageText: its title as the headline, then its own content (or, failing
that, its description) as paragraphs. The metadata hold what `translate-news watch` needs to
fetch the full page and to recognise the item again: link (made absolute), guid, published
time (UTC, ISO 8601), the feed's title and link. The item's own text is the fallback when the
page cannot be had.
"""

from __future__ import annotations

import calendar
import time
from typing import Any

from ..document import PageText
from ..errors import InputError
from . import Reader

FEED_FIX = "check the feed's address (an RSS, Atom or RDF feed, not a web page)"
BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def read_feed(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """A feed's items, in the feed's order (an empty feed is an empty list)."""
    import feedparser

    headers = {"content-location": url} if url else {}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        head = data[:2048].lower()
        if b"<html" in head or b"<!doctype html" in head:
            raise InputError(f"{label}: is a web page, not a feed", FEED_FIX)
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or str(
            parsed.get("bozo_exception") or "no items"
        )
        raise InputError(f"{label}: not an RSS, Atom or RDF feed ({reason})", FEED_FIX)
    feed = parsed.feed
    source = {"feed_title": feed.get("title"), "feed_link": feed.get("link")}
    return [_item(entry, source) for entry in parsed.entries]


def _item(entry: Any, source: dict[str, Any]) -> PageText:
    title = " ".join((entry.get("title") or "").split())
    contents = entry.get("content") or []
    body = contents[0].get("value", "") if contents else entry.get("summary", "")
    paragraphs = _paragraphs(body or "")
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join([*([title] if title else []), *paragraphs])
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    metadata = {
        "title": title or None,
        "url": entry.get("link") or None,
        "guid": entry.get("id") or None,
        "published": _iso(stamp),
        # a feed's sign that the article changed (dict.get: feedparser's own get answers the
        # published time, with a deprecation warning, when an entry has no updated time)
        "updated": _iso(dict.get(entry, "updated_parsed")),
        **source,
    }
    return PageText(text + "\n" if text else "", metadata)


def _iso(stamp: time.struct_time | None) -> str | None:
    if stamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(stamp)))


def _paragraphs(markup: str) -> list[str]:
    """An item's HTML (or plain text) as paragraphs of text."""
    if "<" not in markup:
        blocks = markup.split("\n\n")
    else:
        from lxml import etree, html

        try:
            tree = html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            return [" ".join(markup.split())] if markup.strip() else []
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "br":
                element.tail = "\n" + (element.tail or "")
            elif element.tag in BLOCKS:
                element.tail = "\n\n" + (element.tail or "")
        blocks = tree.text_content().split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


READER = Reader(
    name="feed",
    suffixes=(".rss", ".atom"),
    media_types=("application/rss+xml", "application/atom+xml", "application/rdf+xml"),
    read=read_feed,
    folder_default=False,  # a feed is followed with `translate-news watch`, not translated
)
