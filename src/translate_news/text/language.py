"""Language of each sentence: non-French text is kept untranslated, with its language.

The classifier is Google's CLD2 (pycld2: its tables are compiled in, no download, ~6 MiB of
memory and ~0.1 ms a sentence). It replaced py3langid, which costs 85 MiB once loaded: on
newstest2014/2012 behind the same French-stopword gate, CLD2 finds 2956 of the 3003 English
sentences (py3langid 2707) and flags 1 of 6006 French ones (py3langid 0; the one is mostly an
English title); with the 5-word minimum below, 2922 and 1. Short Latin-script sentences are
unreliable to classify, so only reliable verdicts on sentences of a few words count; a
sentence mostly in another script (Cyrillic, Arabic, ...) is foreign whatever its length.
"""

from __future__ import annotations

import unicodedata

from ..document import Article, Sentence
from .lexicon import SOURCE_LANGUAGE, WORD, stopwords

# CLD2 calls datelines such as "BICHKEK, 16 août - RIA Novosti." (4 words) reliably
# Luxembourgish: Latin-script text needs 5 words of 2+ letters (English found: 2922 of 3003).
MIN_WORDS = 5
MIN_FRENCH_SHARE = 0.5
FRENCH_STOPWORDS = 0.25  # below this share of letters in French, the input is not French


def _classify(text: str) -> tuple[str | None, bool]:
    """(ISO 639-1 code or None, reliable) of CLD2's best guess."""
    import pycld2

    try:
        # bytes: a lone surrogate cannot be UTF-8, so it is read as U+FFFD (str would raise)
        reliable, _, details = pycld2.detect(text.encode("utf-8", "replace"))
    except pycld2.error:  # text CLD2 cannot read
        return None, False
    code = details[0][1]
    return (None if code == "un" else code), bool(reliable)


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def _mostly_non_latin(text: str) -> bool:
    letters = _letters(text)
    latin = sum("LATIN" in unicodedata.name(ch, "") for ch in letters)
    return bool(letters) and latin < len(letters) / 2


def _looks_french(text: str) -> bool:
    # On newstest2014, 99.6% of French sentences of 4+ words have at least this share of
    # French stopwords, and 99% of English ones have less: the classifier is only asked
    # about the rest, so French news is never at the mercy of its rare mistakes.
    words = [word.lower() for word in WORD.findall(text)]
    french = stopwords(SOURCE_LANGUAGE)
    return bool(words) and sum(word in french for word in words) / len(words) >= FRENCH_STOPWORDS


def foreign_language(text: str) -> str | None:
    """The language of `text` when it is confidently not French, else None."""
    non_latin = _mostly_non_latin(text)
    words = [word for word in WORD.findall(text) if len(word) > 1]
    if not non_latin and (len(words) < MIN_WORDS or _looks_french(text)):
        return None
    language, reliable = _classify(text)
    if language is None or language == SOURCE_LANGUAGE:
        return None
    return language if non_latin or reliable else None


def mark_foreign(article: Article) -> None:
    """Keep non-French sentences untranslated, with status `kept` and their language."""
    for sentence in article.units():
        if sentence.status != "translated":
            continue
        language = foreign_language(sentence.source)
        if language is not None:
            sentence.status = "kept"
            sentence.lang = language
            sentence.reason = f"language: {language}"


def french_share(article: Article) -> float:
    """Share of the letters of the (non-furniture) text that are in French sentences."""

    def letters(sentences: list[Sentence]) -> int:
        return sum(len(_letters(s.source)) for s in sentences)

    text = [s for s in article.units() if s.status != "skipped"]
    total = letters(text)
    foreign = letters([s for s in text if s.lang is not None])
    return 1.0 if total == 0 else 1 - foreign / total


def detect_languages(text: str, most: int = 3) -> list[tuple[str, float]]:
    """The likeliest languages of `text`, (ISO 639-1 code, confidence 0-100), best first;
    the French stopword share decides short texts CLD2 cannot call (LibreTranslate's /detect)."""
    import pycld2

    try:
        reliable, _, details = pycld2.detect(text.encode("utf-8", "replace"))
    except pycld2.error:
        reliable, details = False, ()
    found = [(code, float(percent)) for _, code, percent, _ in details if code != "un"]
    if not reliable and _looks_french(text):
        found = [(SOURCE_LANGUAGE, 100.0)] + [item for item in found if item[0] != "fr"]
    return found[:most] or [(SOURCE_LANGUAGE if _looks_french(text) else "en", 0.0)]
