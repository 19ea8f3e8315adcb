"""Backend names -> loaders: the one seam where translation backends plug in (tests too).

Built-in loaders are named by `module:function` and imported on first use, so the options
can check a name without importing any backend. `register_backend` adds or replaces one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# (ModelOptions, TranslateOptions) -> Translator; typed loosely here to import nothing.
BackendLoader = Callable[[Any, Any], Any]

_BACKENDS: dict[str, BackendLoader | str] = {
    "ctranslate2": "translate_news.backends:load_ctranslate2",
    "transformers": "translate_news.backends:load_transformers",
}


def register_backend(name: str, loader: BackendLoader) -> None:
    """Make `ModelOptions(backend=name)` (and `--backend name`) load with `loader`."""
    _BACKENDS[name] = loader


def backend_names() -> tuple[str, ...]:
    """The registered backends, in registration order."""
    return tuple(_BACKENDS)


def backend_loader(name: str) -> BackendLoader:
    """The loader registered under `name` (KeyError if none)."""
    loader = _BACKENDS[name]
    if isinstance(loader, str):
        module, function = loader.split(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]
    return loader
