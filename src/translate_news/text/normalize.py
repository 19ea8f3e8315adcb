"""Text as the model expects it (before) and as a reader expects it (after)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")
_MANY_SPACES = re.compile(r"\s+")
_CONTROL_SPACES = re.compile(r"[\t\n\r\f\v]+")  # no-break spaces are Moses' to handle
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")  # not text: no tokenizer can encode them
MIN_SHOUTING_LETTERS = 8


@lru_cache(maxsize=1)
def _punct_normalizer() -> Any:
    from sacremoses import MosesPunctNormalizer

    # The preprocessing OPUS-MT models were trained with: replace-unicode-punctuation,
    # normalize-punctuation -l fr, remove-non-printing-char.
    return MosesPunctNormalizer(
        lang="fr", pre_replace_unicode_punct=True, post_remove_control_chars=True
    )


def is_shouting(text: str) -> bool:
    """An ALL-CAPS sentence (at least 8 letters, every cased letter upper case)."""
    letters = [ch for ch in text if ch.isalpha()]
    cased = [ch for ch in letters if ch.isupper() or ch.islower()]
    return (
        len(letters) >= MIN_SHOUTING_LETTERS and bool(cased) and all(ch.isupper() for ch in cased)
    )


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    for index, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:index] + char.upper() + lowered[index + 1 :]
    return lowered


def encodable(text: str) -> str:
    """`text` with each lone surrogate (not text: no tokenizer can encode it) as U+FFFD."""
    return _LONE_SURROGATES.sub("\ufffd", text)


def to_model_input(source: str) -> str:
    """NFC, Moses punctuation normalisation (« » -> ", no-break spaces), single spaces.

    ALL-CAPS sentences are put in sentence case: opus-mt was trained on cased text and
    translates capitals letter by letter.
    """
    # Whitespace first: Moses drops control characters, which would glue tab-separated words.
    text = _CONTROL_SPACES.sub(" ", unicodedata.normalize("NFC", source)).strip()
    text = encodable(text)
    if is_shouting(text):
        text = _sentence_case(text)
    text = _punct_normalizer().normalize(text)
    return _MANY_SPACES.sub(" ", text).strip()


def to_reader_output(target: str, source: str) -> str:
    """Clean detokenised English; an ALL-CAPS source gets an ALL-CAPS translation back."""
    text = _MANY_SPACES.sub(" ", target).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    if is_shouting(unicodedata.normalize("NFC", source)):
        text = text.upper()
    return text
