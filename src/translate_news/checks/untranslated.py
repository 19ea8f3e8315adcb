"""The `untranslated` check: the English is (nearly) a copy of a French sentence."""

from __future__ import annotations

from difflib import SequenceMatcher

from ..document import Flag
from ..text.lexicon import SOURCE_LANGUAGE, WORD, stopwords
from . import Check

UNTRANSLATED_SIMILARITY = 0.85


def check_untranslated(source: str, target: str) -> list[Flag]:
    """The target is (nearly) a copy of a source that has French words."""
    french_words = [w for w in WORD.findall(source.lower()) if w in stopwords(SOURCE_LANGUAGE)]
    if len(french_words) < 2:
        return []
    similarity = SequenceMatcher(None, source.lower().split(), target.lower().split()).ratio()
    if similarity >= UNTRANSLATED_SIMILARITY:
        return [Flag("untranslated", f"the English repeats the French ({similarity:.0%} alike)")]
    return []


CHECK = Check("untranslated", lambda pair: check_untranslated(pair.source, pair.target))
