"""Words of a language: the word pattern and stopword lists shared by several stages."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import UsageError

SOURCE_LANGUAGE = "fr"  # what opus-mt-fr-en translates from
LANGUAGES = {"fr": "french", "en": "english"}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # a run of letters


def check_language(lang: str) -> None:
    """Refuse a language the summariser has no words (stopwords, stems, splitter) for."""
    if lang not in LANGUAGES:
        raise UsageError(f"no summariser for language {lang!r}", "use lang='fr' or lang='en'")


@lru_cache(maxsize=4)
def stopwords(lang: str) -> frozenset[str]:
    """The stopwords of `lang` (fr or en), lower-cased."""
    from stop_words import get_stop_words

    check_language(lang)
    return frozenset(word.lower() for word in get_stop_words(LANGUAGES[lang]))
