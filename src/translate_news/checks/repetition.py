"""The `repetition` check: an output that loops (a phrase 3+ times in a row, or far longer
than its source). Its flags are worth a second decoding that avoids repeats (`retry`)."""

from __future__ import annotations

from ..document import Flag
from . import Check

REPEATS_IN_A_ROW = 3


def check_repetition(source: str, target: str) -> list[Flag]:
    """A phrase repeated 3+ times in a row, or an output far longer than its source."""
    words = target.lower().split()
    for size in (1, 2, 3, 4):
        for start in range(len(words) - size * REPEATS_IN_A_ROW + 1):
            phrase = words[start : start + size]
            if all(
                words[start + k * size : start + (k + 1) * size] == phrase
                for k in range(1, REPEATS_IN_A_ROW)
            ):
                if size == 1 and not any(ch.isalpha() for ch in phrase[0]):
                    continue  # "- - -" or "... ... ..." is punctuation, not a loop
                return [Flag("repetition", f"{' '.join(phrase)!r} repeated in a row")]
    if len(words) > 3 * len(source.split()) + 10:
        return [Flag("repetition", "the English is far longer than the French")]
    return []


CHECK = Check("repetition", lambda pair: check_repetition(pair.source, pair.target), retry=True)
