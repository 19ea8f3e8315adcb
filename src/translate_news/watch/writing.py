"""The article outputs of a watched folder: `out/<site>/<YYYY-MM-DD>/<slug>.en.<ext>`,
written atomically, one bilingual HTML page each (the digest links to it) and the format
asked for."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from ..document import Result
from ..folders.atomic import write_atomic
from ..renderers import RENDERERS, render

SLUG_CHARACTERS = 60


def site_of(url: str | None, feed: str) -> str:
    """The site an article belongs to: its link's host (else the feed's), `www.` dropped."""
    host = (urlsplit(url or feed).hostname or "unknown").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9.-]", "-", host)


def slug_of(title: str | None) -> str:
    """A file name from a headline: ASCII letters and digits, words joined by `-`."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = "-".join(words)[:SLUG_CHARACTERS].strip("-")
    return slug or "article"


def output_names(
    site: str, day: str, slug: str, version: int, formats: list[str], taken: set[str]
) -> dict[str, str]:
    """Output paths (relative to the folder) for each format, not clashing with `taken`."""
    base = slug if version == 1 else f"{slug}-v{version}"
    for number in range(1, 10_000):
        stem = base if number == 1 else f"{base}-{number}"
        names = {name: f"{site}/{day}/{stem}.en{RENDERERS.get(name).extension}" for name in formats}
        if not taken & set(names.values()):
            return names
    raise AssertionError("no free output name")  # 10,000 clashes of one slug in a day


def write_outputs(
    folder: Path, result: Result, outputs: dict[str, str], keep: bool, show_flags: bool
) -> None:
    """Render and write each output atomically."""
    for name, relative in outputs.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, render(result, name, keep, show_flags))
