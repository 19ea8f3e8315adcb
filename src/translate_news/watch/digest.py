"""The daily digest: `out/digest/<YYYY-MM-DD>.html`, `.md` and `.jsonl`, newest first,
grouped by source; each entry its English headline (linked to its bilingual page), source,
published time, key sentences in English and count of sentences to check. Rebuilt from the
state alone, so a resumed run writes the same bytes as an uninterrupted one."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from ..folders.atomic import write_atomic
from ..renderers.html import PAGE_STYLE

DIGEST_FOLDER = "digest"
_DIGEST_STYLE = """
.entry { padding: .8rem 0; border-bottom: 1px solid var(--rule); }
.entry h3 { margin: 0 0 .2rem; font-size: 1.15rem; line-height: 1.3; }
.entry h3 a { color: inherit; }
.entry ul { margin: .4rem 0 0; padding-left: 1.2rem; }
h2.source { margin: 1.6rem 0 0; font-size: .9rem; letter-spacing: .06em;
  text-transform: uppercase; color: var(--muted); }
mark { background: var(--mark); color: var(--ink); }
@media (max-width: 40rem) { main { padding: 0 1rem 1rem; } }
@media print { a { color: inherit; text-decoration: none; } }
"""


def day_entries(items: dict[str, dict[str, Any]], day: str) -> list[list[dict[str, Any]]]:
    """The day's entries, grouped by source: groups by their newest entry, entries newest
    first (ties by key, so the order never depends on the order of the run)."""
    entries = [item["entry"] for item in items.values() if item.get("day") == day
               and item.get("entry")]  # fmt: skip
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(entries, key=lambda e: (e["published"] or "", e["key"]), reverse=True):
        groups.setdefault(entry["source"], []).append(entry)
    return sorted(groups.values(), key=lambda g: (g[0]["published"] or "", g[0]["source"]),
                  reverse=True)  # fmt: skip


def write_digest(folder: Path, items: dict[str, dict[str, Any]], day: str) -> list[Path]:
    """Write the day's digest in its three forms; their paths."""
    groups = day_entries(items, day)
    target = folder / DIGEST_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in ((".html", _html(groups, day)), (".md", _markdown(groups, day)),
                         (".jsonl", _jsonl(groups))):  # fmt: skip
        path = target / f"{day}{suffix}"
        write_atomic(path, text)
        written.append(path)
    return written


def _link(entry: dict[str, Any]) -> str:
    return f"../{entry['page']}"  # the digest sits in out/digest/


def _when(entry: dict[str, Any]) -> str:
    published = entry["published"]
    return published.replace("T", " ").replace("Z", " UTC") if published else "time unknown"


def _notes(entry: dict[str, Any]) -> list[str]:
    notes = [entry["source"], _when(entry)]
    count = entry["to_check"]
    notes.append(f"{count} sentence{'s' if count != 1 else ''} to check" if count else
                 "nothing to check")  # fmt: skip
    if entry["from_feed"]:
        notes.append("from the feed's text (the page could not be read)")
    if entry.get("also"):
        notes.append("also in " + ", ".join(entry["also"]))
    return notes


def _marked(text: str, terms: list[str], mark: tuple[str, str], escaped: bool) -> str:
    """`text` with the matched terms wrapped in `mark` (HTML-escaped when `escaped`)."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return escape(text) if escaped else text
    parts = pattern.split(text)
    return "".join(
        (mark[0] + (escape(part) if escaped else part) + mark[1]) if index % 2 else
        (escape(part) if escaped else part)
        for index, part in enumerate(parts)
    )  # fmt: skip


def _terms_pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def _markdown(groups: list[list[dict[str, Any]]], day: str) -> str:
    lines = [f"# English digest, {day}", ""]
    if not groups:
        lines += ["Nothing new.", ""]
    for group in groups:
        lines += [f"## {group[0]['source']}", ""]
        for entry in group:
            terms = entry.get("matches", [])
            headline = _marked(entry["headline"], terms, ("**", "**"), False)
            lines += [f"### [{headline}]({_link(entry)})", "", " · ".join(_notes(entry)), ""]
            lines += [f"- {_marked(s, terms, ('**', '**'), False)}" for s in entry["summary"]]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _jsonl(groups: list[list[dict[str, Any]]]) -> str:
    return "".join(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
                   for group in groups for entry in group)  # fmt: skip


def _html(groups: list[list[dict[str, Any]]], day: str) -> str:
    blocks = []
    for group in groups:
        blocks.append(f'<h2 class="source">{escape(group[0]["source"])}</h2>')
        for entry in group:
            terms = entry.get("matches", [])
            headline = _marked(entry["headline"], terms, ("<mark>", "</mark>"), True)
            summary = "".join(
                f"<li>{_marked(s, terms, ('<mark>', '</mark>'), True)}</li>"
                for s in entry["summary"]
            )
            blocks.append(
                f'<article class="entry"><h3><a href="{escape(_link(entry))}">{headline}</a></h3>'
                f'<p class="meta">{escape(" · ".join(_notes(entry)))}</p>'
                + (f"<ul>{summary}</ul>" if summary else "") + "</article>"
            )  # fmt: skip
    if not groups:
        blocks.append('<p class="meta">Nothing new.</p>')
    policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>English digest, {escape(day)}</title>"
        f"<style>{PAGE_STYLE}{_DIGEST_STYLE}</style></head>\n<body><main>\n"
        f'<header class="page"><p class="eyebrow">translate-news digest</p>'
        f"<h1>English digest, {escape(day)}</h1></header>\n"
        + "\n".join(blocks) + "\n</main></body></html>\n"
    )  # fmt: skip
