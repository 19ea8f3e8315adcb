"""Translation backends behind one seam (`Translator`), found by name in a small registry.

`register_backend(name, loader)` adds one (tests register fakes this way); `load_translator`
looks the requested backend up, and for `auto` picks CTranslate2 when it is installed and the
model converts, else the transformers backend (the reference).
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import ConversionError, ModelUnavailableError, UsageError
from ..models import default_beams, resolve_model
from ..options import ModelOptions, TranslateOptions
from .base import Translator
from .registry import BackendLoader, backend_loader, backend_names, register_backend

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


def planned_engine(
    model_options: ModelOptions, translate_options: TranslateOptions
) -> dict[str, Any]:
    """The engine `load_translator` would give (id, revision, backend, device, precision,
    beams), worked out without loading the model: what a folder run keys its outputs on before
    it knows whether any file needs translating. What only a load can tell (a backend
    registered by someone else, the beams of a model not downloaded yet) stays as requested."""
    spec = resolve_model(model_options.model, model_options.revision)
    backend = model_options.backend
    if backend == "auto":
        backend = "ctranslate2" if ctranslate2_available() else "transformers"
    device, precision = model_options.device, model_options.compute_type
    if backend == "ctranslate2" and ctranslate2_available():
        from .ctranslate2_backend import device_and_compute_type

        device, precision = device_and_compute_type(model_options)
    elif backend == "transformers":
        from .transformers_backend import device_and_dtype

        device, precision = device_and_dtype(model_options)
    return {
        "id": spec.id,
        "revision": spec.revision,
        "backend": backend,
        "device": device,
        "precision": precision,
        "beams": translate_options.beams or default_beams(spec),
    }


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
    "planned_engine",
    "register_backend",
]
