"""Renderers: a Renderer record per output format (text, markdown, json, html, docx).

The CLI's `--format` choices, the `-o` suffix map and a folder run's output names all come
from these records, so a new format is one module with a `RENDERER` here, or a plug-in in the
`translate_news.renderers` entry points.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..registry import Registry

if TYPE_CHECKING:
    from ..document import Result


@dataclass(frozen=True)
class Renderer:
    """An output format.

    `render(result, keep_boilerplate)` is the whole output. `suffixes`: the file names `-o`
    recognises, the first one a folder run's output extension. `holds_summary`: one file holds
    the translation and the summary (else the summary has a file of its own in folder runs).
    `inline_flags`: `--show-flags` appends `[check: ...]` notes to flagged sentences.
    `binary`: `render` returns bytes (a file format, not text for a terminal).
    """

    name: str
    suffixes: tuple[str, ...]
    render: Callable[[Result, bool], str | bytes]
    holds_summary: bool
    inline_flags: bool
    binary: bool = False

    @property
    def extension(self) -> str:
        """The suffix of a folder run's outputs."""
        return self.suffixes[0]


RENDERERS: Registry[Renderer] = Registry(
    "renderer",
    __name__,
    ("text", "markdown", "json", "html", "docx"),
    "--format",
    noun="format",
)


def format_for_suffix(suffix: str) -> str | None:
    """The format whose renderer claims a file suffix (`.md` -> markdown), if any."""
    lowered = suffix.lower()
    return next((r.name for r in RENDERERS.records() if lowered in r.suffixes), None)


def render(
    result: Result,
    output_format: str,
    keep_boilerplate: bool = False,
    show_flags: bool = False,
) -> str | bytes:
    """Render a result in the chosen format (JSON always lists skipped furniture and flags,
    the HTML page always marks flagged sentences; text and markdown with `show_flags`).
    A binary format (docx) gives bytes."""
    renderer = RENDERERS.get(output_format)
    if show_flags and renderer.inline_flags:
        result = _with_flag_notes(result)
    return renderer.render(result, keep_boilerplate)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON contract of DESIGN.md (see renderers/json.py)."""
    from .json import result_to_dict as to_dict

    return to_dict(result)


def _with_flag_notes(result: Result) -> Result:
    """A copy whose flagged targets end in `[check: numbers missing ...]` notes."""
    article = copy.deepcopy(result.article)
    for unit in article.units():
        if unit.flags and unit.target is not None:
            notes = " ".join(f"[check: {flag.check}: {flag.detail}]" for flag in unit.flags)
            unit.target = f"{unit.target} {notes}"
    return replace(result, article=article)


__all__ = ["RENDERERS", "Renderer", "format_for_suffix", "render", "result_to_dict"]
