"""One model worker for the whole service: requests' sentences merged into shared batches.

Requests arrive concurrently; the model is one, and it is fastest fed full batches. Each
request's prepared Results go into a bounded queue; the worker thread takes what is waiting
(gathering for at most `merge_window_s` more when it finds little), translates all of it in
one call (so the engine's token batches mix sentences of many requests), and resolves each
request's future. Nothing here runs on the event loop, and the queue never grows past its
bound: a full queue is refused at once (the service answers 503 with Retry-After).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..backends import Translator
from ..backends.base import reporting_batches
from ..document import Result
from ..options import TranslateOptions
from ..pipeline import CHUNK_CHARACTERS, pending_characters, source_tokens, translate_results

log = logging.getLogger("translate_news")
T = TypeVar("T")
Progress = Callable[[int, int], None]  # (sentences done, sentences in all) of one request


class Busy(Exception):
    """The queue is full: the caller should come back later."""


class NotReady(Exception):
    """The model is not loaded (yet, or it failed to load: `reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Job:
    results: list[Result]
    options: TranslateOptions
    progress: Progress | None
    future: Future[None] = field(default_factory=Future)

    @property
    def characters(self) -> int:
        return sum(pending_characters(result) for result in self.results)

    @property
    def sentences(self) -> int:
        return sum(1 for r in self.results for u in r.article.units() if u.status == "translated")


@dataclass
class _Call:
    """Work that must run alone on the model thread (n-best alternatives)."""

    function: Callable[[Translator], Any]
    future: Future[Any] = field(default_factory=Future)


@dataclass(frozen=True)
class BatchReport:
    """One merged call, for the metrics and `-v`."""

    requests: int
    sentences: int
    tokens: int
    seconds: float


_STOP = object()


class ModelWorker:
    """The thread that loads the translator and does all model work (see the module doc)."""

    def __init__(
        self,
        load: Callable[[], Translator],
        *,
        queue_size: int = 64,
        merge: bool = True,
        merge_window_s: float = 0.005,
        on_batch: Callable[[BatchReport], None] | None = None,
    ) -> None:
        self._load = load
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._merge = merge
        self._window = merge_window_s
        self._on_batch = on_batch
        self._held: Any = None  # an item taken while gathering that could not be merged
        self._loaded = threading.Event()
        self.translator: Translator | None = None
        self.load_error: str | None = None
        self._thread = threading.Thread(target=self._serve, name="translate-news-model")

    def start(self) -> None:
        """Start the thread: it loads the model, then serves the queue."""
        self._thread.start()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Wait until the model is loaded (or failed to load); whether it is ready."""
        self._loaded.wait(timeout)
        return self.translator is not None

    def depth(self) -> int:
        """Requests waiting for the model."""
        return self._queue.qsize()

    def submit(
        self, results: list[Result], options: TranslateOptions, progress: Progress | None = None
    ) -> Future[None]:
        """Queue prepared results for translation; the future resolves when they are done."""
        return self._put(_Job(results, options, progress)).future

    def call(self, function: Callable[[Translator], T]) -> Future[T]:
        """Run `function(translator)` on the model thread, alone."""
        return self._put(_Call(function)).future

    def _put(self, item: Any) -> Any:
        if self.translator is None:
            raise NotReady(self.load_error or "the model is still loading")
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            raise Busy from None
        return item

    def stop(self, timeout: float | None = None) -> None:
        """Finish what is queued, then end the thread."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def _serve(self) -> None:
        try:
            self.translator = self._load()
        except Exception as error:  # the service stays up to say why on /health
            from ..errors import TranslateNewsError

            self.load_error = (
                error.one_line() if isinstance(error, TranslateNewsError) else repr(error)
            )
            log.error("translate-news: error: %s", self.load_error)
            self._loaded.set()
            return
        self._loaded.set()
        while True:
            item = self._next()
            if item is _STOP:
                return
            if isinstance(item, _Call):
                _resolve(item.future, item.function, self.translator)
            else:
                self._translate(self._gathered(item))

    def _next(self) -> Any:
        item, self._held = self._held, None
        return item if item is not None else self._queue.get()

    def _gathered(self, first: _Job) -> list[_Job]:
        """`first` and the requests that can share its batches: those waiting now, and those
        arriving within the merge window, up to a chunk of text."""
        jobs, characters = [first], first.characters
        deadline = time.monotonic() + self._window
        while self._merge and characters < CHUNK_CHARACTERS:
            left = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if not isinstance(item, _Job) or item.options != first.options:
                self._held = item
                break
            jobs.append(item)
            characters += item.characters
        return jobs

    def _translate(self, jobs: list[_Job]) -> None:
        translator = self.translator
        assert translator is not None
        results = [result for job in jobs for result in job.results]
        sizes = [job.sentences for job in jobs]
        total = max(1, sum(sizes))
        done = 0

        def batch_done(sentences: int, _tokens: int) -> None:
            nonlocal done
            done += sentences
            for job, size in zip(jobs, sizes, strict=True):
                if job.progress is not None:
                    job.progress(min(size, round(done * size / total)), size)

        started = time.perf_counter()
        try:
            with reporting_batches(translator, batch_done):
                translate_results(results, translator, jobs[0].options)
        except Exception as error:
            log.exception("translate-news: a batch failed")
            for job in jobs:
                job.future.set_exception(error)
            return
        seconds = time.perf_counter() - started
        for job in jobs:
            job.future.set_result(None)
        if self._on_batch is not None:
            tokens = source_tokens(results, translator)
            self._on_batch(BatchReport(len(jobs), sum(sizes), tokens, seconds))


def _resolve(future: Future[Any], function: Callable[[Translator], Any], translator: Any) -> None:
    try:
        future.set_result(function(translator))
    except Exception as error:
        future.set_exception(error)
