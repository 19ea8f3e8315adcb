"""Translation backends behind one seam (`Translator`), found by name in a small registry.

`register_backend(name, loader)` adds one (tests register fakes this way); `load_translator`
looks the requested backend up, and for `auto` picks CTranslate2 when it is installed and the
model converts, else the transformers backend (the reference).
"""

from __future__ import annotations

import logging

from ..errors import ConversionError, ModelUnavailableError, UsageError
from ..options import ModelOptions, TranslateOptions
from ..registry import BackendLoader, backend_loader, backend_names, register_backend
from .base import Translator

log = logging.getLogger("translate_news")


def ctranslate2_available() -> bool:
    """Whether the ctranslate2 package can be imported."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def load_ctranslate2(model_options: ModelOptions, options: TranslateOptions) -> Translator:
    """The CTranslate2 backend (the model converted once, then cached)."""
    if not ctranslate2_available():
        raise ModelUnavailableError(
            "--backend ctranslate2: the ctranslate2 package is not installed",
            "pip install ctranslate2, or use --backend transformers",
        )
    from .ctranslate2_backend import CTranslate2Translator

    return CTranslate2Translator.load(model_options, options)


def load_transformers(model_options: ModelOptions, options: TranslateOptions) -> Translator:
    """The transformers backend (the reference)."""
    from .transformers_backend import TransformersTranslator

    return TransformersTranslator.load(model_options, options)


def load_translator(
    model_options: ModelOptions | None = None, translate_options: TranslateOptions | None = None
) -> Translator:
    """Load the model once and return a ready translator (see the module doc for `auto`)."""
    model_options = model_options or ModelOptions()
    translate_options = translate_options or TranslateOptions()
    if model_options.backend != "auto":
        if model_options.backend not in backend_names():
            names = ", ".join(("auto", *backend_names()))
            raise UsageError(f"unknown backend {model_options.backend!r}", f"use --backend {names}")
        return backend_loader(model_options.backend)(model_options, translate_options)
    if not ctranslate2_available():
        log.info("ctranslate2 is not installed: using the transformers backend")
        return backend_loader("transformers")(model_options, translate_options)
    try:
        return backend_loader("ctranslate2")(model_options, translate_options)
    except ConversionError as error:
        log.info("%s: falling back to the transformers backend", error.what)
    return backend_loader("transformers")(model_options, translate_options)


__all__ = [
    "BackendLoader",
    "Translator",
    "backend_loader",
    "backend_names",
    "ctranslate2_available",
    "load_ctranslate2",
    "load_transformers",
    "load_translator",
    "register_backend",
]
