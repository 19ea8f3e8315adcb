"""How a folder run's files get done: in this process, or on Ray actors (strategies over the
same per-file job)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from ..errors import UsageError
from ..options import FolderOptions, RayOptions, Request
from ..provenance import Made
from .discovery import InputFile
from .memory import TranslationMemory, with_memory

if TYPE_CHECKING:
    from ..backends import Translator
    from .runner import _Run


class Engine(Protocol):
    """How a folder run's files get done: a strategy over the same per-file job (`_Run`)."""

    def run(self, run: _Run, files: Sequence[InputFile]) -> None:
        """Do every file (done, up to date or failed, each recorded by `run`)."""


class LocalEngine:
    """This process: files prepared in order, translated chunk by chunk on a worker thread."""

    def run(self, run: _Run, files: Sequence[InputFile]) -> None:
        for item in files:
            run.process(item)
        run.drain()


@dataclass(frozen=True)
class RayEngine:
    """Ray Data actors, each loading its own model with `load` (see ray_engine)."""

    load: Callable[[], Translator]
    options: RayOptions
    threads: int

    def run(self, run: _Run, files: Sequence[InputFile]) -> None:
        from .ray import run_on_ray

        # the bytes read (and hashed) here travel with their rows: each file is read once, and
        # the manifest's hash is of the bytes a worker translates
        works = []
        for item in files:
            checked = run.check(item)
            if checked is not None:
                work, data = checked
                works.append(replace(work, data=data))
        run_on_ray(run.job, works, self.load, self.options, self.threads, run)


def _local_engine(
    request: Request,
    translator: Translator | None,
    load: Callable[[], Translator] | None,
    ray_options: RayOptions | None,
) -> Engine:
    return LocalEngine()


def _ray_engine(
    request: Request,
    translator: Translator | None,
    load: Callable[[], Translator] | None,
    ray_options: RayOptions | None,
) -> Engine:
    from .ray import import_ray

    import_ray()  # fail before any work if Ray is missing
    if translator is not None:
        raise UsageError(
            "a loaded translator cannot be sent to Ray workers",
            "pass a Request instead (each worker loads its own model)",
        )
    threads = request.model.threads or 1  # each actor: 1 CPU thread unless told
    model_options = replace(request.model, threads=threads)
    from .runner import translator_factory  # looked up at run time: tests replace it

    factory = load or translator_factory(None, model_options, request.translate)
    return RayEngine(factory, ray_options or RayOptions(), threads)


def make_engine(
    name: str,
    request: Request,
    translator: Translator | None = None,
    load: Callable[[], Translator] | None = None,
    ray_options: RayOptions | None = None,
) -> Engine:
    """The engine called `name`, checked before any work (e.g. Ray not installed)."""
    builder = ENGINE_BUILDERS.get(name)
    if builder is None:
        names = " or ".join(ENGINE_BUILDERS)
        raise UsageError(f"unknown engine {name!r}", f"use --engine {names}")
    return builder(request, translator, load, ray_options)


ENGINE_BUILDERS = {"local": _local_engine, "ray": _ray_engine}


class LazyTranslator:
    """Loads the model on the first file that needs translating (an up-to-date run loads none)."""

    def __init__(
        self,
        factory: Callable[[], Translator],
        folder_options: FolderOptions,
        warn: Callable[[str], None],
    ) -> None:
        self._factory = factory
        self._folder_options = folder_options
        self._warn = warn
        self._translator: Translator | None = None
        self._memory: TranslationMemory | None = None
        self.load_seconds = 0.0

    def get(self) -> Translator:
        if self._translator is None:
            started = time.perf_counter()
            self._translator, self._memory = with_memory(
                self._factory(), self._folder_options, self._warn
            )
            self.load_seconds = time.perf_counter() - started
        return self._translator

    def provenance(self) -> Made | None:
        """How the loaded model translates (None when no file needed it)."""
        return None if self._translator is None else Made(self._translator.provenance())

    def memory_hits(self) -> int:
        return int(getattr(self._translator, "hits", 0))

    def memory_misses(self) -> int | None:
        """Distinct sentences the memory sent to the model (None: no memory in this process)."""
        return None if self._memory is None else int(getattr(self._translator, "misses", 0))

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
