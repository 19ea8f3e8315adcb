"""Sentences longer than the model takes, cut at the best break under its token limit
(clause breaks first, then any space), never inside an abbreviation."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable

_CLAUSE_BREAKS = (re.compile(r"[;:]\s"), re.compile(r"\s[–—-]\s"), re.compile(r",\s"))
_CUT_PATTERNS = (*_CLAUSE_BREAKS, re.compile(r"\s"))


def split_long(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split a sentence over `max_tokens` at clause boundaries (never truncating).

    Tries `;`/`:`, then dashes, then commas, then any space, nearest the middle; a single
    token-like run with no space at all is cut in the middle. The boundaries are found once
    for the whole sentence, and each half is looked up among them (a bisection), so a
    megabyte without a full stop costs a tokenizer pass per level, not a scan per piece.
    """
    if count_tokens(text) <= max_tokens:
        return [text]
    cuts = _Cuts(text)
    pieces: list[str] = []
    _split_range(text, 0, len(text), cuts, count_tokens, max_tokens, pieces, counted=True)
    return pieces


def _split_range(
    text: str,
    start: int,
    end: int,
    cuts: _Cuts,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    pieces: list[str],
    counted: bool = False,
) -> None:
    piece = text[start:end]
    if not counted and count_tokens(piece) <= max_tokens:
        pieces.append(piece)
        return
    cut = cuts.best(start, end)
    head_end, tail_start = cut, cut
    while head_end > start and text[head_end - 1].isspace():
        head_end -= 1
    while tail_start < end and text[tail_start].isspace():
        tail_start += 1
    if head_end == start or tail_start == end:  # pragma: no cover - a cut leaves both sides
        pieces.append(piece)
        return
    _split_range(text, start, head_end, cuts, count_tokens, max_tokens, pieces)
    _split_range(text, tail_start, end, cuts, count_tokens, max_tokens, pieces)


class _Cuts:
    """Every clause boundary of one text, by kind (found on first use), as sorted arrays of
    (match start, cut); `best` answers for any part of the text by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[int, tuple[array[int], array[int]]] = {}

    def _of(self, kind: int) -> tuple[array[int], array[int]]:
        if kind not in self._found:
            starts, ends = array("q"), array("q")
            for match in _CUT_PATTERNS[kind].finditer(self.text):
                starts.append(match.start())
                ends.append(match.end())
            self._found[kind] = (starts, ends)
        return self._found[kind]

    def best(self, start: int, end: int) -> int:
        """The cut inside text[start:end] of the first kind that has one there, nearest its
        middle (the earlier of two equally near); the middle when there is none."""
        middle = start + (end - start) // 2
        for kind in range(len(_CUT_PATTERNS)):
            starts, ends = self._of(kind)
            low, high = bisect_right(ends, start), bisect_left(ends, end)
            while low < high and starts[low] <= start:
                low += 1  # a boundary must lie wholly inside, after the first character
            if low >= high:
                continue
            at = bisect_left(ends, middle, low, high)
            near = [ends[i] for i in (at - 1, at) if low <= i < high]
            return min(near, key=lambda cut: abs(cut - middle))
        return start + max(1, (end - start) // 2)
