"""Language of each sentence: non-French text is kept untranslated, with its language.

py3langid ships its model (no download). Short Latin-script sentences are unreliable to
classify ("Donald Trump a tweeté." reads as Hungarian), so only confident verdicts on
sentences of a few words count; a sentence mostly in another script (Cyrillic, Arabic, ...)
is foreign whatever its length.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from .document import Article, Sentence
from .lexicon import WORD, stopwords

SOURCE_LANGUAGE = "fr"
MIN_CONFIDENCE = 0.9
MIN_WORDS = 4
MIN_FRENCH_SHARE = 0.5
FRENCH_STOPWORDS = 0.25  # below this share of letters in French, the input is not French


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def _mostly_non_latin(text: str) -> bool:
    letters = _letters(text)
    latin = sum("LATIN" in unicodedata.name(ch, "") for ch in letters)
    return bool(letters) and latin < len(letters) / 2


def _looks_french(text: str) -> bool:
    # On newstest2014, 99.6% of French sentences of 4+ words have at least this share of
    # French stopwords, and 99% of English ones have less: the classifier (79 MiB, 0.5 s to
    # load) is only needed for the rest.
    words = [word.lower() for word in WORD.findall(text)]
    french = stopwords(SOURCE_LANGUAGE)
    return bool(words) and sum(word in french for word in words) / len(words) >= FRENCH_STOPWORDS


def foreign_language(text: str) -> str | None:
    """The language of `text` when it is confidently not French, else None."""
    non_latin = _mostly_non_latin(text)
    if not non_latin and (len(text.split()) < MIN_WORDS or _looks_french(text)):
        return None
    language, confidence = _identifier().classify(text)
    if language == SOURCE_LANGUAGE:
        return None
    if non_latin or confidence >= MIN_CONFIDENCE:
        return str(language)
    return None


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
