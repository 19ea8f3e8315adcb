"""Translation backends behind one seam (`Translator`), found by name in a registry.

Each backend is a `Backend` record (backends/registry.py) in a module of its own; plug-ins add
theirs through the `translate_news.backends` entry points, tests with `register_backend`.
`load_translator` loads the backend asked for; `auto` tries the installed backends in their
`auto_rank` order (CTranslate2, then the transformers reference), moving on when a backend
gives way (a model CTranslate2 cannot convert).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from ..errors import UsageError
from ..models import default_beams
from ..options import ModelOptions, TranslateOptions
from .base import Capabilities, ScoringTranslator, Translator, capabilities_of, translate_scored
from .registry import (
    BACKENDS,
    Backend,
    BackendLoader,
    auto_candidates,
    register_backend,
)

log = logging.getLogger("translate_news")


def _chain(model_options: ModelOptions) -> list[Backend]:
    """The backends a load tries, in order: the one named, else `auto`'s candidates."""
    if model_options.backend != "auto":
        return [BACKENDS.get(model_options.backend)]
    candidates = auto_candidates()
    if not candidates:
        raise UsageError("no translation backend is installed", "pip install translate-news")
    return candidates


def planned_engine(
    model_options: ModelOptions, translate_options: TranslateOptions
) -> dict[str, Any]:
    """The engine `load_translator` would give (id, revision, backend, device, precision,
    beams), worked out without loading the model: what a folder run keys its outputs on before
    it knows whether any file needs translating. What only a load can tell (a backend
    registered without a plan, the beams of a model not downloaded yet, a model `auto`'s first
    backend cannot convert) stays as requested."""
    return _engine(_chain(model_options)[0], model_options, translate_options)


def alternative_engines(
    model_options: ModelOptions, translate_options: TranslateOptions
) -> list[dict[str, Any]]:
    """Under `auto`, the engines of the later candidates (what a load gives when the first
    backend gives way): outputs any of them made are what `auto` asked for."""
    later = _chain(model_options)[1:]
    return [_engine(backend, model_options, translate_options) for backend in later]


def _engine(
    backend: Backend, model_options: ModelOptions, translate_options: TranslateOptions
) -> dict[str, Any]:
    if backend.engine is not None:
        return backend.engine(model_options, translate_options)
    spec = model_options.resolved()
    device, precision = model_options.device, model_options.compute_type
    if backend.plan is not None:
        device, precision = backend.plan(model_options)
    return {
        "id": spec.id,
        "revision": spec.revision,
        "backend": backend.name,
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
    chain = _chain(model_options)
    for backend, following in itertools.pairwise(chain):
        try:
            return backend.load(model_options, translate_options)
        except backend.gives_way_on as error:
            what = getattr(error, "what", str(error))
            log.info("%s: falling back to the %s backend", what, following.name)
    return chain[-1].load(model_options, translate_options)


def check_decoding(translator: Translator, options: TranslateOptions) -> None:
    """Refuse a call that asks for decode settings the loaded translator does not have (beam
    size and batch budget are bound when the model loads)."""
    record = translator.provenance()
    asked = {"beams": options.beams, "max_batch_tokens": options.max_batch_tokens}
    for setting, value in asked.items():
        loaded = record.get(setting)
        if value is not None and loaded is not None and value != loaded:
            flag = "--beams" if setting == "beams" else "--batch-tokens"
            raise UsageError(
                f"this call asks for {flag} {value}, but the loaded translator has {loaded}",
                f"load a translator with TranslateOptions({setting}={value}), or leave "
                f"{setting} unset",
            )


__all__ = [
    "BACKENDS",
    "Backend",
    "BackendLoader",
    "Capabilities",
    "ScoringTranslator",
    "Translator",
    "alternative_engines",
    "capabilities_of",
    "check_decoding",
    "load_translator",
    "planned_engine",
    "register_backend",
    "translate_scored",
]
