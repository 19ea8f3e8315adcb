"""`--format html`: one self-contained bilingual page, French | English, sentence-aligned.

Article text is untrusted: every piece of it is escaped, and a Content-Security-Policy allows
no script but the page's own (by hash) and no external resource at all.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from html import escape

from .document import Sentence
from .pipeline import Result

# Hovering or clicking a sentence highlights its counterpart (same data-id) in the other column.
_SCRIPT = """
document.addEventListener("DOMContentLoaded", () => {
  const mark = (id, on) => document.querySelectorAll(`.s[data-id="${id}"]`)
    .forEach((el) => el.classList.toggle("hl", on));
  let pinned = null;
  document.querySelectorAll(".s[data-id]").forEach((el) => {
    const id = el.dataset.id;
    el.addEventListener("mouseenter", () => mark(id, true));
    el.addEventListener("mouseleave", () => { if (pinned !== id) mark(id, false); });
    el.addEventListener("click", () => {
      if (pinned !== null) mark(pinned, false);
      pinned = pinned === id ? null : id;
      if (pinned !== null) mark(pinned, true);
    });
  });
});
"""
_STYLE = """
body { font: 16px/1.5 Georgia, serif; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem;
  color: #1d1d1d; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; margin: 0 0 1rem; }
.pair > div { margin: 0; }
.fr { color: #3b3b3b; }
h1 .fr, h1 .en { font-size: 1.5rem; }
.meta, footer { color: #666; font-size: 0.85rem; }
.s { cursor: pointer; border-radius: 3px; }
.s.hl { background: #ffe58a; }
.s.key { border-bottom: 2px solid #e0a800; }
.s.kept { font-style: italic; }
.s.skipped { color: #aaa; text-decoration: line-through; }
.summary { background: #fff8dc; border-left: 4px solid #e0a800; padding: 0.5rem 1rem;
  margin: 1rem 0 2rem; }
footer { border-top: 1px solid #ddd; margin-top: 2rem; padding-top: 0.5rem; }
"""


def _script_hash() -> str:
    digest = hashlib.sha256(_SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _sentence(sentence: Sentence, english: bool, key_ids: set[int]) -> str:
    classes = ["s", sentence.status]
    if sentence.id in key_ids:
        classes.append("key")
    text = sentence.output_text() if english else sentence.source
    title = f' title="{escape(sentence.reason)}"' if sentence.reason else ""
    lang = f' lang="{escape(sentence.lang)}"' if sentence.lang else ""
    return (
        f'<span class="{" ".join(classes)}" data-id="{sentence.id}"{title}{lang}>'
        f"{escape(text)}</span>"
    )


def _pair(sentences: list[Sentence], key_ids: set[int], tag: str = "div") -> str:
    french = " ".join(_sentence(s, False, key_ids) for s in sentences)
    english = " ".join(_sentence(s, True, key_ids) for s in sentences)
    return (
        f'<{tag} class="pair"><div class="fr" lang="fr">{french}</div>'
        f'<div class="en" lang="en">{english}</div></{tag}>'
    )


def _metadata_line(result: Result) -> str:
    byline = result.byline()
    return f'<p class="meta">{escape(byline)}</p>' if byline else ""


def _footer(result: Result) -> str:
    model = result.model
    precision = model.get("compute_type") or model.get("dtype") or "?"
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"Translated by {model.get('id')}@{model.get('revision')} with {model.get('backend')} "
        f"on {model.get('device')} ({precision}, beams {model.get('beams')}), "
        f"translate-news {model.get('translate_news', '?')}, {made}. "
        f"Source: {result.source}"
    )
    return f"<footer>{escape(text)}</footer>"


def render_html(result: Result, keep_boilerplate: bool = False) -> str:
    """The bilingual page: headline, summary (if any), then paragraphs side by side."""
    article = result.article
    key_ids = {item.id for item in result.summary or []}
    blocks: list[str] = []
    page_title = "translate-news"
    if article.title is not None:
        page_title = article.title.output_text()
        blocks.append(_pair([article.title], key_ids, "h1"))
    blocks.append(_metadata_line(result))
    if result.summary is not None:
        items = "".join(
            f'<li><span class="s key" data-id="{item.id}">{escape(item.target or item.source)}'
            "</span></li>"
            for item in result.summary
        )
        blocks.append(f'<section class="summary"><h2>Summary</h2><ul>{items}</ul></section>')
    for paragraph in article.paragraphs:
        shown = [s for s in paragraph.sentences if keep_boilerplate or s.status != "skipped"]
        if not result.full:  # summary only: just the key sentences, side by side
            shown = [s for s in shown if s.id in key_ids]
        if shown:
            blocks.append(_pair(shown, key_ids))
    blocks.append(_footer(result))
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page_title)}</title><style>{_STYLE}</style>"
        f"<script>{_SCRIPT}</script></head>\n<body>\n"
        + "\n".join(block for block in blocks if block)
        + "\n</body></html>\n"
    )
