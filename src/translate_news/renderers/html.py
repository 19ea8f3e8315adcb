"""`--format html`: one self-contained bilingual page, French | English, sentence-aligned.

Article text is untrusted: every piece of it is escaped, and a Content-Security-Policy allows
no script but the page's own (by hash) and no external resource at all.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from ..document import Result, Sentence
from . import Renderer
from .layout import counted

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
PAGE_STYLE = """
:root { color-scheme: light dark; --ink: #1d1d1f; --muted: #5f6368; --paper: #fff;
  --rule: #e3e3e3; --mark: #ffe58a; --key: #d99a00; --keybg: #fff8dc;
  --head: rgba(255,255,255,.94); --flag: #c0392b; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8e8ea; --muted: #a0a4aa; --paper: #161618; --rule: #34363a;
    --mark: #6b5a12; --key: #e0b040; --keybg: #2a2614; --head: rgba(22,22,24,.94);
    --flag: #ff7b6b; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", sans-serif; }
main { max-width: 78rem; margin: 0 auto; padding: 0 2rem 2rem; }
header.page { padding: 1.5rem 0 1rem; border-bottom: 1px solid var(--rule); }
.eyebrow { color: var(--muted); font-size: .8rem; letter-spacing: .06em; text-transform: uppercase;
  margin: 0 0 .5rem; }
.meta { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; }
.meta a { color: inherit; }
h1 { margin: 0; font-weight: 650; line-height: 1.25; }
h1 .fr, h1 .en { font-size: 1.55rem; }
.columns-head { position: sticky; top: 0; z-index: 2; background: var(--head);
  backdrop-filter: blur(4px); border-bottom: 1px solid var(--rule); padding: .4rem 0;
  color: var(--muted); font-size: .8rem; font-weight: 600; letter-spacing: .06em;
  text-transform: uppercase; }
.pair, .columns-head { display: grid; grid-template-columns: 1fr 1fr; gap: 2.5rem; }
.pair { margin: 0; padding: .7rem 0; border-bottom: 1px solid var(--rule); break-inside: avoid; }
.pair > div { max-width: 38rem; min-width: 0; }
/* a long address or word wraps instead of pushing the page sideways (phone widths) */
.pair > div, h1, .meta, .summary, footer { overflow-wrap: anywhere; }
.fr { color: var(--muted); }
.s { cursor: pointer; border-radius: 3px; scroll-margin-top: 3rem; }
.s.hl { background: var(--mark); color: var(--ink); }
.s.key { border-bottom: 2px solid var(--key); }
.s.flag { text-decoration: underline wavy var(--flag); text-underline-offset: 4px; }
/* key and to check: one line (the wavy one), the key shown by its tint */
.s.key.flag { border-bottom: none; background: var(--keybg); }
.s.flag:focus { outline: 2px solid var(--flag); outline-offset: 1px; }
.to-check { color: var(--flag); font-weight: 600; }
.s.kept { font-style: italic; }
.s.skipped { color: var(--muted); opacity: .6; text-decoration: line-through; }
.s:target { background: var(--mark); }
a.back { color: var(--key); font-size: .75rem; text-decoration: none; margin-left: .15rem;
  vertical-align: super; }
.summary { background: var(--keybg); border-left: 4px solid var(--key); padding: .6rem 1.2rem;
  margin: 1.2rem 0 1.5rem; }
.summary h2 { font-size: 1rem; margin: .2rem 0 .4rem; }
.summary ol { margin: 0; padding-left: 1.2rem; }
.summary li { margin: .25rem 0; }
.summary a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--key); }
.summary li:target { background: var(--mark); }
footer { color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule);
  margin-top: 2rem; padding-top: .6rem; }
@media (max-width: 700px) {
  main { padding: 0 1rem 1.5rem; }
  .columns-head { display: none; }
  .pair { grid-template-columns: 1fr; gap: .3rem; }
  .pair > div::before { display: block; color: var(--muted); font-size: .7rem; font-weight: 600;
    letter-spacing: .06em; text-transform: uppercase; }
  .pair > .fr::before { content: "Français"; }
  .pair > .en::before { content: "English"; }
  h1 .fr, h1 .en { font-size: 1.3rem; }
}
@media print {
  body { font-size: 11pt; background: #fff; color: #000; }
  main { max-width: none; padding: 0; }
  .columns-head { position: static; background: none; backdrop-filter: none; }
  .pair { grid-template-columns: 1fr 1fr; }
  .pair > div::before { content: none; }
  .s.hl, .s:target { background: none; }
  a.back { display: none; }
  .summary { border-left-color: #999; background: none; }
}
"""


def _script_hash() -> str:
    digest = hashlib.sha256(_SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _sentence(sentence: Sentence, english: bool, key_ids: set[int]) -> str:
    classes = ["s", sentence.status]
    key = sentence.id in key_ids
    if key:
        classes.append("key")
    text = sentence.output_text() if english else sentence.source
    reasons = [sentence.reason] if sentence.reason else []
    flagged = english and bool(sentence.flags)
    if flagged:  # what to check, as a tooltip that a keyboard reaches too (tabindex)
        classes.append("flag")
        reasons += [f"check {flag.check}: {flag.detail}" for flag in sentence.flags]
    title = f' title="{escape("; ".join(reasons))}"' if reasons else ""
    title += ' tabindex="0"' if flagged else ""
    lang = f' lang="{escape(sentence.lang)}"' if sentence.lang else ""
    anchor = f' id="s-{sentence.id}"' if english else ""
    back = (  # from a summary sentence's place in the article back to the summary
        f'<a class="back" href="#summary-{sentence.id}" title="Back to the summary">↑</a>'
        if english and key
        else ""
    )
    return (
        f'<span class="{" ".join(classes)}" data-id="{sentence.id}"{anchor}{title}{lang}>'
        f"{escape(text)}</span>{back}"
    )


def _pair(sentences: list[Sentence], key_ids: set[int], tag: str = "div") -> str:
    french = " ".join(_sentence(s, False, key_ids) for s in sentences)
    english = " ".join(_sentence(s, True, key_ids) for s in sentences)
    return (
        f'<{tag} class="pair"><div class="fr" lang="fr">{french}</div>'
        f'<div class="en" lang="en">{english}</div></{tag}>'
    )


def _header(result: Result, made: str) -> str:
    """What the page is: byline, source (a link for a web page), model and date."""
    metadata = result.metadata or {}
    byline = " · ".join(
        str(metadata[name]) for name in ("author", "date", "sitename") if metadata.get(name)
    )
    url = str(metadata.get("url") or result.source)
    if url.lower().startswith(("http://", "https://")):
        source = f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'
    else:
        source = escape(result.source)
    model = result.model
    lines = [f"Source: {source}", escape(f"Machine translation by {model.id}, {made}")]
    flagged = result.article.to_check()
    if flagged:
        lines.append(
            f'<span class="to-check">{counted(flagged, "sentence")} to check</span> '
            "(wavy underline; hover or focus one for why)"
        )
    if byline:
        lines.insert(0, escape(byline))
    return "".join(f'<p class="meta">{line}</p>' for line in lines)


def _footer(result: Result, made: str) -> str:
    model = result.model
    text = (
        f"Translated by {model.name()} with {model.backend} "
        f"on {model.device} ({model.precision or '?'}, beams {model.beams}), "
        f"translate-news {model.version}, {made}. "
        f"Source: {result.source}"
    )
    return f"<footer>{escape(text)}</footer>"


def render_html(result: Result, keep_boilerplate: bool = False) -> str:
    """The bilingual page: headline, summary (if any), then paragraphs side by side."""
    article = result.article
    key_ids = {item.id for item in result.summary or []}
    made = result.made_at or "time unknown"
    head = ['<header class="page"><p class="eyebrow">French → English</p>']
    page_title = "translate-news"
    if article.title is not None:
        page_title = article.title.output_text()
        head.append(_pair([article.title], key_ids, "h1"))
    head.append(_header(result, made) + "</header>")
    blocks: list[str] = ["".join(head)]
    if result.summary is not None:
        items = "".join(
            f'<li id="summary-{item.id}"><a href="#s-{item.id}">'
            f'<span class="s key" data-id="{item.id}">{escape(item.target or item.source)}'
            "</span></a></li>"
            for item in result.summary
        )
        blocks.append(
            '<section class="summary" aria-label="Summary"><h2>Summary</h2>'
            f"<ol>{items}</ol></section>"
        )
    blocks.append(
        '<div class="columns-head" aria-hidden="true"><div>Français</div><div>English</div></div>'
    )
    for paragraph in article.paragraphs:
        shown = [s for s in paragraph.sentences if keep_boilerplate or s.status != "skipped"]
        if not result.full:  # summary only: just the key sentences, side by side
            shown = [s for s in shown if s.id in key_ids]
        if shown:
            blocks.append(_pair(shown, key_ids))
    blocks.append(_footer(result, made))
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page_title)}</title><style>{PAGE_STYLE}</style>"
        f"<script>{_SCRIPT}</script></head>\n<body><main>\n"
        + "\n".join(block for block in blocks if block)
        + "\n</main></body></html>\n"
    )


RENDERER = Renderer(
    name="html",
    suffixes=(".html", ".htm"),
    render=render_html,
    holds_summary=True,
    inline_flags=False,
)
