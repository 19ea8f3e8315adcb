"""Backend records: the one seam where translation backends plug in (tests and plug-ins too).

A Backend says how to load a translator, whether it is installed, what device and precision
it would pick without loading anything, and whether `--backend auto` may choose it (and in
which order, and after which load errors it gives way to the next).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..registry import Registry

if TYPE_CHECKING:
    from ..options import ModelOptions, TranslateOptions
    from .base import Translator

BackendLoader = Callable[["ModelOptions", "TranslateOptions"], "Translator"]


def _installed() -> bool:
    return True


@dataclass(frozen=True)
class Backend:
    """A translation backend.

    `load(model_options, translate_options)` returns a ready Translator. `installed()`: its
    packages can be imported. `plan(model_options)`: the (device, precision) a load would pick,
    worked out without loading (None: as requested). `auto_rank`: `--backend auto` tries the
    installed backends that have one, lowest first, moving on after an error of `gives_way_on`.
    """

    name: str
    load: BackendLoader
    installed: Callable[[], bool] = _installed
    plan: Callable[[ModelOptions], tuple[str, str | None]] | None = None
    # the whole engine a load would give, where the backend knows it without loading (a fake)
    engine: Callable[[ModelOptions, TranslateOptions], dict[str, Any]] | None = None
    auto_rank: int | None = None
    gives_way_on: tuple[type[Exception], ...] = ()


BACKENDS: Registry[Backend] = Registry(
    "backend",
    "translate_news.backends",
    {"ctranslate2": "ctranslate2_backend", "transformers": "transformers_backend"},
    "--backend auto,",
)


def register_backend(name: str, loader: BackendLoader) -> None:
    """Make `ModelOptions(backend=name)` (and `--backend name`) load with `loader` (a record
    of that name keeps its other fields)."""
    from dataclasses import replace

    names = BACKENDS.names()
    record = BACKENDS.get(name) if name in names else Backend(name, loader)
    BACKENDS.register(replace(record, load=loader))


def auto_candidates() -> list[Backend]:
    """The backends `--backend auto` tries, in order: installed ones with an `auto_rank`."""
    ranked = [b for b in BACKENDS.records() if b.auto_rank is not None and b.installed()]
    return sorted(ranked, key=lambda backend: backend.auto_rank or 0)
