"""Article -> Result: the one path shared by the CLI and the Python API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .backends import Translator, load_translator
from .document import Article
from .errors import InputError
from .normalize import to_model_input, to_reader_output
from .options import ModelOptions, TranslateOptions
from .reading import STDIN, read_input
from .segment import parse_article


@dataclass
class Result:
    """A translated article and how it was made."""

    source: str  # the input path, or "-" for stdin / a string
    article: Article
    model: dict[str, Any]


def translate_article(article: Article, translator: Translator) -> None:
    """Fill `target` for every translatable unit; identical sentences are translated once."""
    pending = [unit for unit in article.units() if unit.status == "translated"]
    model_inputs = [to_model_input(unit.source) for unit in pending]
    unique = list(dict.fromkeys(model_inputs))
    translations = dict(zip(unique, translator.translate(unique), strict=True))
    for unit, model_input in zip(pending, model_inputs, strict=True):
        unit.target = to_reader_output(translations[model_input], unit.source)


def translate_text(
    text: str,
    translator: Translator | None = None,
    *,
    source: str = STDIN,
    model_options: ModelOptions | None = None,
    translate_options: TranslateOptions | None = None,
) -> Result:
    """Translate a French article given as a string (first line = headline)."""
    if not text.strip():
        raise InputError(f"{source}: input is empty", "pass an article")
    translate_options = translate_options or TranslateOptions()
    if translator is None:
        translator = load_translator(model_options, translate_options)
    article = parse_article(
        text.replace("\r\n", "\n").replace("\r", "\n"),
        count_tokens=translator.count_tokens,
        max_tokens=translate_options.max_sentence_tokens,
    )
    translate_article(article, translator)
    return Result(source=source, article=article, model=translator.provenance())


def translate_file(
    path: str | Path,
    translator: Translator | None = None,
    *,
    model_options: ModelOptions | None = None,
    translate_options: TranslateOptions | None = None,
) -> Result:
    """Read a file (or `-` for stdin) and translate it; errors name the file."""
    text = read_input(path)
    return translate_text(
        text,
        translator,
        source=str(path),
        model_options=model_options,
        translate_options=translate_options,
    )
