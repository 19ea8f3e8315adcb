"""Translation backends behind one seam (`Translator`), found by name in a small registry.

`register_backend(name, loader)` adds one (tests register fakes this way); `load_translator`
looks the requested backend up, and for `auto` picks CTranslate2 when it is installed and the
model converts, else the transformers backend (the reference).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..errors import ConversionError, ModelUnavailableError, UsageError
from ..options import ModelOptions, TranslateOptions
from .base import Translator

log = logging.getLogger("translate_news")

BackendLoader = Callable[[ModelOptions, TranslateOptions], Translator]
_BACKENDS: dict[str, BackendLoader] = {}


def register_backend(name: str, loader: BackendLoader) -> None:
    """Make `ModelOptions(backend=name)` (and `--backend name`) load with `loader`."""
    _BACKENDS[name] = loader


def backend_loader(name: str) -> BackendLoader:
    """The loader registered under `name` (KeyError if none)."""
    return _BACKENDS[name]


def backend_names() -> tuple[str, ...]:
    """The registered backends, in registration order."""
    return tuple(_BACKENDS)


def ctranslate2_available() -> bool:
    """Whether the ctranslate2 package can be imported."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def _load_ctranslate2(model_options: ModelOptions, options: TranslateOptions) -> Translator:
    if not ctranslate2_available():
        raise ModelUnavailableError(
            "--backend ctranslate2: the ctranslate2 package is not installed",
            "pip install ctranslate2, or use --backend transformers",
        )
    from .ctranslate2_backend import CTranslate2Translator

    return CTranslate2Translator.load(model_options, options)


def _load_transformers(model_options: ModelOptions, options: TranslateOptions) -> Translator:
    from .transformers_backend import TransformersTranslator

    return TransformersTranslator.load(model_options, options)


register_backend("ctranslate2", _load_ctranslate2)
register_backend("transformers", _load_transformers)


def load_translator(
    model_options: ModelOptions | None = None, translate_options: TranslateOptions | None = None
) -> Translator:
    """Load the model once and return a ready translator (see the module doc for `auto`)."""
    model_options = model_options or ModelOptions()
    translate_options = translate_options or TranslateOptions()
    if model_options.backend != "auto":
        loader = _BACKENDS.get(model_options.backend)
        if loader is None:
            names = ", ".join(("auto", *_BACKENDS))
            raise UsageError(f"unknown backend {model_options.backend!r}", f"use --backend {names}")
        return loader(model_options, translate_options)
    if not ctranslate2_available():
        log.info("ctranslate2 is not installed: using the transformers backend")
        return _BACKENDS["transformers"](model_options, translate_options)
    try:
        return _BACKENDS["ctranslate2"](model_options, translate_options)
    except ConversionError as error:
        log.info("%s: falling back to the transformers backend", error.what)
    return _BACKENDS["transformers"](model_options, translate_options)


__all__ = [
    "BackendLoader",
    "Translator",
    "backend_loader",
    "backend_names",
    "ctranslate2_available",
    "load_translator",
    "register_backend",
]
