"""Recognising an item again: the same canonical URL (link, guid or the page's
rel=canonical) is the same article, and so is the same body text reached through another
feed (wire copy); a page whose text changed since it was translated is a new version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..document import PageText

TRACKING = ("utm_", "xtor", "at_", "fbclid", "gclid")  # query parameters that name no page


def canonical(url: str) -> str:
    """A URL as an identity: host lowercased, fragment and tracking parameters dropped."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING)]  # fmt: skip
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def body_hash(text: str) -> str:
    """The article's body as an identity: its paragraphs after the headline, white space
    collapsed (two papers running one agency story give it two headlines, one body)."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    body = paragraphs[1:] if len(paragraphs) > 1 else paragraphs
    return hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()


@dataclass
class Item:
    """One feed entry, as the feed gives it."""

    feed: str
    entry: PageText  # the feed's own text of the item (the fallback)

    @property
    def link(self) -> str | None:
        return self.entry.metadata.get("url")

    @property
    def published(self) -> str | None:
        return self.entry.metadata.get("published")

    @property
    def title(self) -> str | None:
        return self.entry.metadata.get("title")

    @property
    def key(self) -> str:
        """Its identity: the canonical link, else the guid, else its text."""
        if self.link:
            return canonical(self.link)
        guid = self.entry.metadata.get("guid")
        return f"guid:{guid}" if guid else f"text:{body_hash(self.entry.text)}"

    @property
    def fingerprint(self) -> str:
        """What the feed says of it: its text, its date, and when it says it was updated (a
        changed entry is fetched again; its page's text decides whether it is a new version)."""
        updated = self.entry.metadata.get("updated")
        seen = f"{self.entry.text}\n{self.published or ''}"
        if updated and updated != self.published:  # entries never edited keep their old print
            seen += f"\n{updated}"
        return hashlib.sha256(seen.encode("utf-8")).hexdigest()
