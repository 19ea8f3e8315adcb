"""Translation backends behind one seam (`Translator`) and the loader that picks one."""

from __future__ import annotations

import logging

from ..errors import ConversionError, ModelUnavailableError
from ..options import ModelOptions, TranslateOptions
from .base import Translator

log = logging.getLogger("translate_news")


def ctranslate2_available() -> bool:
    """Whether the ctranslate2 package can be imported."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def load_translator(
    model_options: ModelOptions | None = None, translate_options: TranslateOptions | None = None
) -> Translator:
    """Load the model once and return a ready translator.

    `backend="auto"` picks CTranslate2 when it is installed and the model converts, else the
    transformers backend (the reference).
    """
    model_options = model_options or ModelOptions()
    translate_options = translate_options or TranslateOptions()
    backend = model_options.backend
    available = ctranslate2_available()
    if backend == "auto":
        backend = "ctranslate2" if available else "transformers"
        if not available:
            log.info("ctranslate2 is not installed: using the transformers backend")
    if backend == "ctranslate2":
        if not available:
            raise ModelUnavailableError(
                "--backend ctranslate2: the ctranslate2 package is not installed",
                "pip install ctranslate2, or use --backend transformers",
            )
        from .ctranslate2_backend import CTranslate2Translator

        try:
            return CTranslate2Translator.load(model_options, translate_options)
        except ConversionError as error:
            if model_options.backend != "auto":
                raise
            log.info("%s: falling back to the transformers backend", error.what)
    from .transformers_backend import TransformersTranslator

    return TransformersTranslator.load(model_options, translate_options)


__all__ = ["Translator", "ctranslate2_available", "load_translator"]
