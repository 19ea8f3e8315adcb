"""Folder runs: many articles, one model load, shared batches, resumable, nothing half-written.

Files are prepared (read, cleaned, segmented, summarised) one by one and gathered into chunks
of about `CHUNK_CHARACTERS` of text to translate; a chunk's sentences go to the translator in
one call, so batches stay full across short articles while memory stays flat however many
files there are. Each file's outputs are written atomically, then its manifest line: a run
killed at any moment loses at most the chunk in flight, and the next run redoes just that.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..backends import Translator, alternative_engines, load_translator, planned_engine
from ..backends.base import reporting_batches
from ..document import Result
from ..errors import InputError, OutputError
from ..options import (
    FolderOptions,
    ModelOptions,
    RayOptions,
    Request,
    TranslateOptions,
)
from ..pipeline import CHUNK_CHARACTERS, pending_characters, source_tokens, translate_results
from ..provenance import Made
from .discovery import Discovery, InputFile, discover, output_names
from .engines import Engine, LazyTranslator, make_engine
from .job import FolderJob, WorkItem
from .manifest import LOCK_NAME, MANIFEST_NAME, FolderLock, Manifest, Record
from .memory import checked_memory_options
from .output import check_output_folder, default_output_folder, make_output_folder
from .report import FolderReport, Progress

log = logging.getLogger("translate_news")


class _StopRun(Exception):
    """--fail-fast: the first failure ends the run."""


def run_settings(
    request: Request, translator: Translator | None = None
) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    """`request.key` of a run, on the resolved engine however the run started (the provenance
    of a translator passed in ready-made, else the engine a load would give, worked out
    without loading it, so an up-to-date re-run loads no model), and the keys earlier versions
    wrote for the same run (the engine as requested, `auto`): files recorded under those are
    up to date too, so an upgrade redoes nothing."""
    if translator is not None:
        return request.key(Made(translator.provenance()).engine()), ()
    planned = planned_engine(request.model, request.translate)
    options = request.model
    requested = {
        **planned,  # the same model id and revision, resolved once
        "backend": options.backend,
        "device": options.device,
        "precision": options.compute_type,
        "beams": request.translate.beams,
    }
    fallbacks = alternative_engines(request.model, request.translate)
    return request.key(planned), (*map(request.key, fallbacks), request.key(requested))


class _Run:
    """One folder run: state shared by the steps below."""

    def __init__(
        self,
        job: FolderJob,
        get_translator: Callable[[], Translator],
        progress: Progress | None,
        report: FolderReport,
    ) -> None:
        self.job = job
        self.get_translator = get_translator
        self.progress = progress
        self.report = report
        self.manifest = Manifest(job.out / MANIFEST_NAME)
        self.claimed: dict[str, str] = {}  # output name -> the input that writes it
        self.chunk: list[WorkItem] = []
        self.chunk_characters = 0
        self.translating = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate-news")
        self.in_flight: tuple[list[WorkItem], Future[int]] | None = None

    def check(self, item: InputFile) -> tuple[WorkItem, bytes] | None:
        """Read and hash an input: the work to do and the bytes read, or None (up to date,
        or failed)."""
        relative = item.relative.as_posix()
        try:
            outputs = self._claim_outputs(item)
            data = self.job.read(item.path, item.root)
        except (InputError, OutputError) as error:
            self.record_failed(relative, None, error.one_line())
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        overwrite = self.job.folder_options.overwrite
        accepted = (self.job.settings, *self.job.earlier_settings)
        if not overwrite and self.manifest.is_up_to_date(relative, sha256, accepted):
            self.report.up_to_date += 1
            self._finished(relative, "up_to_date", None)
            return None
        return WorkItem(item, sha256, outputs), data

    def process(self, item: InputFile) -> None:
        """Local engine: prepare the input and add it to the chunk being gathered."""
        checked = self.check(item)
        if checked is None:
            return
        work, data = checked
        try:
            page = self.job.decode(item.path, data)
            work.result = self.job.prepare(item.path, page, self.get_translator())
        except (InputError, OutputError) as error:
            self.record_failed(item.relative.as_posix(), work.sha256, error.one_line())
            return
        self.chunk.append(work)
        self.chunk_characters += pending_characters(work.result)
        if self.chunk_characters >= CHUNK_CHARACTERS:
            self.flush()

    def _claim_outputs(self, item: InputFile) -> dict[str, str]:
        request = self.job.request
        summary = request.summary is not None
        names = output_names(item.relative, request.output.format, request.full, summary)
        outputs = {kind: name.as_posix() for kind, name in names.items()}
        for name in outputs.values():
            owner = self.claimed.setdefault(name, item.relative.as_posix())
            if owner != item.relative.as_posix():
                raise OutputError(
                    f"{item.path}: its output {name} is also the output of {owner}",
                    "rename one of the two files, or narrow --glob",
                )
        return outputs

    def flush(self) -> None:
        """Hand the chunk to the translating thread; write out the chunk before it.

        The engine (which releases the GIL) translates one chunk while this thread writes the
        previous one and prepares the next, so it never waits for reading or writing.
        """
        chunk, self.chunk, self.chunk_characters = self.chunk, [], 0
        previous, self.in_flight = self.in_flight, None
        if chunk:
            translator = self.get_translator()
            results = [work.result for work in chunk if work.result is not None]
            options = self.job.request.translate
            work = self.translating.submit(self._translate, results, translator, options)
            self.in_flight = (chunk, work)
        if previous is not None:
            self._finish(*previous)

    def _translate(
        self, results: list[Result], translator: Translator, options: TranslateOptions
    ) -> int:
        """On the translating thread: the chunk, its batches reported as they finish (so the
        progress bar moves within a chunk)."""
        with reporting_batches(translator, self._batch_decoded):
            return translate_results(results, translator, options)

    def _batch_decoded(self, sentences: int, tokens: int) -> None:
        if self.progress is not None:
            self.progress.translating(sentences, tokens)

    def drain(self) -> None:
        """Translate and write everything still pending."""
        self.flush()
        self.flush()

    def _finish(self, chunk: list[WorkItem], translated: Future[int]) -> None:
        sent = translated.result()
        results = [work.result for work in chunk if work.result is not None]
        self.count_translated(sent, results, self.get_translator())
        for work in chunk:
            self._write(work)

    def count_translated(
        self, sent: int, results: Sequence[Result], translator: Translator
    ) -> None:
        """Report `sent` distinct sentences translated for `results`."""
        # tokens only feed the progress bar's tokens/s: no second tokenisation without one
        tokens = source_tokens(results, translator) if self.progress is not None else 0
        self.add_translated(sent, tokens)

    def add_translated(self, sentences: int, tokens: int) -> None:
        """Count translated sentences (and their source tokens) in the report and progress."""
        self.report.sentences += sentences
        if self.progress is not None:
            self.progress.translated(sentences, tokens)

    def _write(self, work: WorkItem) -> None:
        relative = work.item.relative.as_posix()
        assert work.result is not None
        self.check_output_folder()
        try:
            self.job.write(work.item.path, work.result, work.outputs)
        except OutputError as error:
            if error.fatal:
                raise
            self.record_failed(relative, work.sha256, error.one_line())
            return
        result = work.result
        self.record_done(work, result.warnings, result.article.to_check(), result.model.engine())

    def check_output_folder(self) -> None:
        """Stop the run if someone removed (or replaced) the output folder: writing on would
        recreate part of it, and the manifest would no longer describe it."""
        if not (self.job.out / LOCK_NAME).is_file():
            raise OutputError(
                f"{self.job.out}: the output folder was removed during the run",
                "run again (it redoes what is missing)",
                fatal=True,
            )

    def record_done(
        self,
        work: WorkItem,
        warnings: list[str],
        flagged: int = 0,
        engine: dict[str, Any] | None = None,
    ) -> None:
        """An input's outputs are in place: record it (durably) under the key of the engine
        that made them (`engine`, after any fallback), then report it (with its count of
        sentences to check)."""
        relative = work.item.relative.as_posix()
        outputs = list(work.outputs.values())
        settings = self.job.settings
        if engine is not None and self._fell_back_to(engine):
            settings = self.job.request.key(engine)
        record = Record(relative, "done", work.sha256, settings, outputs, None, warnings, flagged)
        self.manifest.append(record)
        self.report.done += 1
        self.report.flagged_sentences += flagged
        self.report.flagged_files += bool(flagged)
        for warning in warnings:
            if self.progress is not None:
                self.progress.warn(warning)
        self._finished(relative, "done", None)

    def _fell_back_to(self, engine: dict[str, Any]) -> bool:
        """Whether `engine` is not the planned one but one `auto` falls back to (a model the
        first backend could not convert): then the manifest names it, not the plan."""
        planned = self.job.settings["model"]["backend"]
        fallbacks = {key["model"]["backend"] for key in self.job.earlier_settings}
        return engine.get("backend") != planned and engine.get("backend") in fallbacks

    def record_failed(self, relative: str, sha256: str | None, line: str) -> None:
        """An input failed: record and report it (and stop the run with --fail-fast)."""
        self.manifest.append(Record(relative, "failed", sha256, self.job.settings, error=line))
        self.report.failed.append((relative, line))
        self._finished(relative, "failed", line)
        if self.job.folder_options.fail_fast:
            raise _StopRun

    def _finished(self, relative: str, status: str, error: str | None) -> None:
        if self.progress is not None:
            self.progress.file_finished(relative, status, error)


def translate_folder(
    inputs: Sequence[str | Path],
    output: str | Path | None = None,
    translator: Translator | None = None,
    request: Request | None = None,
    *,
    folder_options: FolderOptions | None = None,
    progress: Progress | None = None,
    engine: str = "local",
    ray_options: RayOptions | None = None,
    load: Callable[[], Translator] | None = None,
) -> FolderReport:
    """Translate every matching file under `inputs` into `output` (default `<folder>-en/`).

    Outputs mirror the input tree (see `discovery.output_names`); `OUT/manifest.jsonl` records
    each input so that a re-run skips what is up to date. The model loads once, on the first
    file that needs it; with `folder_options.use_memory` sentences already translated (in this
    run or an earlier one, same settings) come from the SQLite translation memory.

    `engine="ray"` runs the same work on Ray Data (see `ray_engine`); the manifest is the
    same, so a folder started on one engine can be finished on the other. `load` replaces
    `load_translator(request.model, request.translate)` as the way each worker (or this
    process) gets its translator; for Ray it must be picklable.
    """
    started = time.perf_counter()
    request = request or Request()
    strategy = make_engine(engine, request, translator, load, ray_options)
    folder_options = folder_options or FolderOptions()
    paths = [Path(path) for path in inputs]
    out = Path(output) if output is not None else default_output_folder(paths)
    check_output_folder(out, paths)
    found = _find_inputs(paths, out, folder_options)
    folder_options = checked_memory_options(folder_options, _warner(progress))
    settings, earlier = run_settings(request, translator)
    make_output_folder(out)
    report = FolderReport(out, ignored=found.ignored)
    factory = load or translator_factory(translator, request.model, request.translate)
    loader = LazyTranslator(factory, folder_options, _warner(progress))
    with FolderLock(out):
        from .atomic import remove_partial_files

        removed = remove_partial_files(out)
        if removed:
            log.info("%s: removed %d partial file(s) left by an interrupted run", out, removed)
        job = FolderJob(out, settings, request, folder_options, earlier)
        run = _Run(job, loader.get, progress, report)
        if run.manifest.damaged:
            _warner(progress)(
                f"{run.manifest.path}: {run.manifest.damaged} damaged line(s) ignored; "
                "the files they recorded are done again"
            )
        _run_all(run, found, progress, report, strategy)
        for folder, line in found.unlistable:
            report.failed.append((folder, line))
            if progress is not None:
                progress.file_finished(folder, "failed", line)
    report.memory_hits = loader.memory_hits()
    misses = loader.memory_misses()
    if misses is not None:  # what the model itself translated, memory hits aside
        report.sentences = misses
    report.model, report.load_seconds = loader.provenance(), loader.load_seconds
    loader.close()
    report.seconds = time.perf_counter() - started
    return report


def _warner(progress: Progress | None) -> Callable[[str], None]:
    """Where a run-wide warning goes: the progress display, else the log."""
    return progress.warn if progress is not None else log.warning


def translator_factory(
    translator: Translator | None, model_options: ModelOptions, translate_options: TranslateOptions
) -> Callable[[], Translator]:
    """A ready translator as is, else a picklable loader (Ray workers call it themselves)."""
    if translator is not None:
        return lambda: translator
    return functools.partial(load_translator, model_options, translate_options)


def _run_all(
    run: _Run,
    found: Discovery,
    progress: Progress | None,
    report: FolderReport,
    strategy: Engine,
) -> None:
    if progress is not None:
        progress.start(len(found.files))
    interrupted = False
    try:
        strategy.run(run, found.files)
    except _StopRun:
        report.stopped = True
    except OutputError as error:  # the manifest or an output failed: was the folder removed?
        run.check_output_folder()
        raise error
    except KeyboardInterrupt:
        interrupted = True  # the chunk in flight is not waited for: the next run redoes it
        raise
    finally:
        run.translating.shutdown(wait=not interrupted, cancel_futures=True)
        try:
            run.manifest.compact()
        except OutputError as error:  # e.g. a full disk: the appended lines still hold
            log.info("%s", error.one_line())


def _find_inputs(paths: Sequence[Path], out: Path, folder_options: FolderOptions) -> Discovery:
    found = discover(paths, folder_options.file_patterns(), exclude=out)
    if not found.files and found.unlistable:
        raise InputError(found.unlistable[0][1])
    if not found.files:
        names = ", ".join(str(path) for path in paths)
        patterns = " ".join(folder_options.file_patterns())
        raise InputError(
            f"{names}: no file to translate (none matches {patterns})",
            "check the folder, or pass --glob with the pattern of its files",
        )
    return found
