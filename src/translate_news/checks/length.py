"""The `length` check: an English far shorter or longer than its French, in words."""

from __future__ import annotations

from ..document import Flag
from . import Check

# Target/source length ratio (in words) outside which a translation is flagged. On the human
# reference translations of newstest2012 (2,857 pairs of 6+ French words) the 0.1st and 99.9th
# percentiles are 0.40 and 1.64; the upper bound is looser because a loop makes an output
# longer, never shorter (tests/test_checks.py measures them).
LENGTH_RATIO_BAND = (0.4, 2.0)
LENGTH_MIN_WORDS = 6  # shorter sentences vary too much to judge by length


def check_length(source: str, target: str) -> list[Flag]:
    """Target/source word ratio outside the band measured on human translations."""
    source_words, target_words = len(source.split()), len(target.split())
    if source_words < LENGTH_MIN_WORDS:
        return []
    ratio = target_words / source_words
    low, high = LENGTH_RATIO_BAND
    if ratio < low or ratio > high:
        return [Flag("length", f"{target_words} English words for {source_words} French")]
    return []


CHECK = Check("length", lambda pair: check_length(pair.source, pair.target))
