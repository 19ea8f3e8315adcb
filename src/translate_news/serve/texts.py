"""LibreTranslate's text boxes: a `q` of plain text or HTML, translated whole, layout kept.

A text box is not an article: nothing in it is page furniture and it has no headline, so
every line is translated (a foreign sentence is still kept as it is). Its sentences go
through the same segmentation, checks and shared batches as articles; the English comes back
in the box's own layout (its lines, blank lines and surrounding white space). In HTML, each
run of text between tags is a box of its own, so the markup around it stays where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..backends import Translator
from ..document import Result, Sentence
from ..options import Request
from ..pipeline import prepare_text
from ..renderers.text import render_text

UNTRANSLATED_TAGS = frozenset({"script", "style", "code", "pre", "textarea"})


@dataclass
class Box:
    """One text of a request: its prepared Results (none for white space alone) and how to
    put the English back together."""

    text: str
    format: str  # text | html
    results: list[Result]
    _pieces: list[_Piece]
    _tree: Any = None

    def english(self) -> str:
        """The translated text, in the input's layout (call once the results are translated)."""
        for piece in self._pieces:
            piece.write()
        if self.format == "text":
            return self._pieces[0].output if self._pieces else self.text
        from lxml import html

        wrapped = html.tostring(self._tree, encoding="unicode")  # <div>...</div>, escaped
        return wrapped[len("<div>") : -len("</div>")]

    def plain(self) -> str:
        """The box's French without markup (what language detection reads)."""
        return " ".join(piece.text.strip() for piece in self._pieces) or self.text

    def units(self) -> list[Sentence]:
        """Every sentence of the box, in reading order."""
        return [unit for result in self.results for unit in result.article.units()]


@dataclass
class _Piece:
    text: str
    result: Result | None
    element: Any = None
    attribute: str = ""  # "text" or "tail" of `element` (HTML)
    output: str = ""

    def write(self) -> None:
        self.output = self.text if self.result is None else _in_layout(self.text, self.result)
        if self.element is not None:
            setattr(self.element, self.attribute, self.output)


def prepare_box(text: str, text_format: str, translator: Translator, request: Request) -> Box:
    """A `q` item ready for the model (see the module doc)."""
    request = replace(request, translate=replace(request.translate, headline="none"))
    if text_format == "html" and text.strip():
        return _html_box(text, translator, request)
    piece = _piece(text, translator, request)
    return Box(text, "text", [piece.result] if piece.result else [], [piece])


def _piece(text: str, translator: Translator, request: Request) -> _Piece:
    if not text.strip():
        return _Piece(text, None)
    result = prepare_text(text.strip(), translator, request, source="q")
    for unit in result.article.units():
        if unit.status == "skipped":  # furniture is an article's notion, not a text box's
            unit.status, unit.reason = "translated", None
    return _Piece(text, result)


def _in_layout(text: str, result: Result) -> str:
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    english = render_text(result, keep_boilerplate=True).rstrip("\n")  # `trail` has the end
    return f"{lead}{english}{trail}"


def _html_box(text: str, translator: Translator, request: Request) -> Box:
    from lxml import html

    tree = html.fragment_fromstring(text, create_parent="div")
    pieces: list[_Piece] = []

    def add(element: Any, attribute: str, inside_code: bool) -> None:
        value = getattr(element, attribute)
        if value and value.strip() and not inside_code:
            piece = _piece(value, translator, request)
            piece.element, piece.attribute = element, attribute
            pieces.append(piece)

    def walk(element: Any, inside_code: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        code = inside_code or tag.lower() in UNTRANSLATED_TAGS or not tag
        add(element, "text", code)
        for child in element:
            walk(child, code)
            add(child, "tail", inside_code)

    walk(tree, False)
    results = [piece.result for piece in pieces if piece.result is not None]
    return Box(text, "html", results, pieces, tree)
