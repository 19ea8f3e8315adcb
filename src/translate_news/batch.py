"""Folder runs: many articles, one model load, shared batches, resumable, nothing half-written.

Files are prepared (read, cleaned, segmented, summarised) one by one and gathered into chunks
of about `CHUNK_CHARACTERS` of text to translate; a chunk's sentences go to the translator in
one call, so batches stay full across short articles while memory stays flat however many
files there are. Each file's outputs are written atomically, then its manifest line: a run
killed at any moment loses at most the chunk in flight, and the next run redoes just that.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from . import backends
from .backends import Translator
from .discovery import COMBINED_FORMATS, Discovery, InputFile, discover, output_names
from .errors import InputError, OutputError, TranslateNewsError, UsageError
from .manifest import MANIFEST_NAME, FolderLock, Manifest, Record
from .models import resolve_model
from .options import (
    FolderOptions,
    ModelOptions,
    OutputOptions,
    SummaryOptions,
    TranslateOptions,
)
from .pipeline import Result, prepare_text, translate_results
from .reading import decode_document

log = logging.getLogger("translate_news")

# About 16 full CTranslate2 batches of French text (~4 characters a token): enough that the
# engine's workers rarely wait on a chunk's last batch, small enough for flat memory
# (benchmarks/batch_speed.py: 32,000 left the folder run at 0.79x one big batch).
CHUNK_CHARACTERS = 128_000
OUTPUT_SUFFIX = "-en"


class Progress(Protocol):
    """What a folder run reports as it goes (the CLI draws a progress bar from it)."""

    def start(self, files: int) -> None:
        """`files` inputs were found."""

    def file_finished(self, relative: str, status: str, error: str | None) -> None:
        """An input is `done`, `up_to_date` or `failed` (with the error line)."""

    def translated(self, sentences: int, tokens: int) -> None:
        """A chunk of `sentences` distinct sentences (`tokens` source tokens) was translated."""

    def warn(self, line: str) -> None:
        """A file was done, with a warning (e.g. it does not look French)."""


@dataclass
class FolderReport:
    """The outcome of a folder run."""

    output: Path
    done: int = 0
    up_to_date: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, error line)
    ignored: list[tuple[Path, str]] = field(default_factory=list)
    sentences: int = 0  # distinct sentences translated by the model (memory hits excluded)
    memory_hits: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --fail-fast stopped the run early

    @property
    def exit_code(self) -> int:
        """0 if every file is done or up to date, 1 if any failed."""
        return 1 if self.failed else 0

    def summary_line(self) -> str:
        """One line for the end of the run."""
        stopped = " (stopped at the first failure)" if self.stopped else ""
        return (
            f"{self.done} done, {self.up_to_date} up to date, {len(self.failed)} failed "
            f"in {self.seconds:.1f} s -> {self.output}{stopped}"
        )


@dataclass
class _Pending:
    item: InputFile
    sha256: str
    result: Result
    outputs: dict[str, str]  # kind (translation | summary) -> name under OUT


class _StopRun(Exception):
    """--fail-fast: the first failure ends the run."""


def default_output_folder(inputs: Sequence[Path]) -> Path:
    """`news/` -> `news-en/` beside it; several inputs need an explicit -o."""
    if len(inputs) != 1 or not inputs[0].is_dir():
        raise UsageError("several inputs, or a file list, need an output folder", "pass -o OUT")
    folder = inputs[0].resolve()
    return folder.with_name(folder.name + OUTPUT_SUFFIX)


def run_settings(
    model_options: ModelOptions,
    translate_options: TranslateOptions,
    output_options: OutputOptions,
    summary: tuple[SummaryOptions | None, bool, bool],
    translator: Translator | None = None,
) -> dict[str, Any]:
    """The settings that decide a file's outputs: a change makes the file out of date.

    Taken from the options as given (so an up-to-date re-run needs no model load), or from
    the provenance of a translator passed in ready-made.
    """
    summary_options, full, strict = summary
    if translator is not None:
        made = translator.provenance()
        engine = {key: made.get(key) for key in ("id", "revision", "backend", "device")}
        precision = made.get("compute_type") or made.get("dtype")
        model: dict[str, Any] = {**engine, "precision": precision, "beams": made.get("beams")}
    else:
        spec = resolve_model(model_options.model, model_options.revision)
        model = {
            "id": spec.id,
            "revision": spec.revision,
            "backend": model_options.backend,
            "device": model_options.device,
            "precision": model_options.compute_type,
            "beams": translate_options.beams,
        }
    return {
        "model": model,
        "max_sentence_tokens": translate_options.max_sentence_tokens,
        "summary": None if summary_options is None else vars(summary_options).copy(),
        "full": full,
        "strict": strict,
        "format": output_options.format,
        "keep_boilerplate": output_options.keep_boilerplate,
    }


class _Run:
    """One folder run: state shared by the steps below."""

    def __init__(
        self,
        out: Path,
        settings: dict[str, Any],
        options: tuple[TranslateOptions, OutputOptions, FolderOptions],
        summary: tuple[SummaryOptions | None, bool, bool],
        get_translator: Callable[[], Translator],
        progress: Progress | None,
        report: FolderReport,
    ) -> None:
        self.out = out
        self.settings = settings
        self.translate_options, self.output_options, self.folder_options = options
        self.summary, self.full, self.strict = summary
        self.get_translator = get_translator
        self.progress = progress
        self.report = report
        self.manifest = Manifest(out / MANIFEST_NAME)
        self.claimed: dict[str, str] = {}  # output name -> the input that writes it
        self.chunk: list[_Pending] = []
        self.chunk_characters = 0
        self.engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate-news")
        self.in_flight: tuple[list[_Pending], Future[int]] | None = None

    def process(self, item: InputFile) -> None:
        relative = item.relative.as_posix()
        try:
            outputs = self._claim_outputs(item)
            data = _read_limited(item.path, self.folder_options.max_bytes)
            sha256 = hashlib.sha256(data).hexdigest()
            if not self.folder_options.overwrite and self.manifest.is_up_to_date(
                relative, sha256, self.settings
            ):
                self.report.up_to_date += 1
                self._finished(relative, "up_to_date", None)
                return
            page = decode_document(data, str(item.path))
            translator = self.get_translator()
            result = prepare_text(
                page.text,
                translator,
                source=str(item.path),
                translate_options=self.translate_options,
                summary=self.summary,
                full=self.full,
                strict=self.strict,
            )
            result.metadata = page.metadata or None
        except (InputError, OutputError) as error:
            self._fail(relative, None, error)
            return
        self.chunk.append(_Pending(item, sha256, result, outputs))
        self.chunk_characters += sum(
            len(unit.source) for unit in result.article.units() if unit.status == "translated"
        )
        if self.chunk_characters >= CHUNK_CHARACTERS:
            self.flush()

    def _claim_outputs(self, item: InputFile) -> dict[str, str]:
        summary = self.summary is not None
        names = output_names(item.relative, self.output_options.format, self.full, summary)
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
            results = [pending.result for pending in chunk]
            self.in_flight = (chunk, self.engine.submit(translate_results, results, translator))
        if previous is not None:
            self._finish(*previous)

    def drain(self) -> None:
        """Translate and write everything still pending."""
        self.flush()
        self.flush()

    def _finish(self, chunk: list[_Pending], translated: Future[int]) -> None:
        sent = translated.result()
        self.report.sentences += sent
        if self.progress is not None:
            translator = self.get_translator()
            tokens = sum(
                translator.count_tokens(unit.source)
                for pending in chunk
                for unit in pending.result.article.units()
                if unit.status == "translated"
            )
            self.progress.translated(sent, tokens)
        for pending in chunk:
            self._write(pending)

    def _write(self, pending: _Pending) -> None:
        from .writing import render, write_atomic

        relative = pending.item.relative.as_posix()
        result = pending.result
        fmt, keep = self.output_options.format, self.output_options.keep_boilerplate
        views = {  # text and markdown: the summary has a file of its own
            "translation": result if fmt in COMBINED_FORMATS else replace(result, summary=None),
            "summary": replace(result, full=False),
        }
        try:
            for kind, name in pending.outputs.items():
                view = views[kind]
                path = self.out / name
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, render(view, fmt, keep), [pending.item.path])
        except OutputError as error:
            self._fail(relative, pending.sha256, error)
            return
        self.manifest.append(
            Record(
                relative, "done", pending.sha256, self.settings, list(pending.outputs.values()),
                warnings=result.warnings,
            )
        )  # fmt: skip
        self.report.done += 1
        for warning in result.warnings:
            if self.progress is not None:
                self.progress.warn(warning)
        self._finished(relative, "done", None)

    def _fail(self, relative: str, sha256: str | None, error: TranslateNewsError) -> None:
        line = error.one_line()
        self.manifest.append(Record(relative, "failed", sha256, self.settings, error=line))
        self.report.failed.append((relative, line))
        self._finished(relative, "failed", line)
        if self.folder_options.fail_fast:
            raise _StopRun

    def _finished(self, relative: str, status: str, error: str | None) -> None:
        if self.progress is not None:
            self.progress.file_finished(relative, status, error)


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or an InputError naming the file and the fix."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: is {size:,} bytes, over the {max_bytes:,}-byte limit",
                "pass --max-bytes with a larger limit, or split the file",
            )
        return path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"{path}: vanished during the run", "check who removes files") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a folder", "pass a text file") from error
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read ({error.strerror})", "check its permissions"
        ) from error


def translate_folder(
    inputs: Sequence[str | Path],
    output: str | Path | None = None,
    translator: Translator | None = None,
    *,
    model_options: ModelOptions | None = None,
    translate_options: TranslateOptions | None = None,
    output_options: OutputOptions | None = None,
    summary: SummaryOptions | None = None,
    full: bool | None = None,
    strict: bool = False,
    folder_options: FolderOptions | None = None,
    progress: Progress | None = None,
) -> FolderReport:
    """Translate every matching file under `inputs` into `output` (default `<folder>-en/`).

    Outputs mirror the input tree (see `discovery.output_names`); `OUT/manifest.jsonl` records
    each input so that a re-run skips what is up to date. The model loads once, on the first
    file that needs it; with `folder_options.use_memory` sentences already translated (in this
    run or an earlier one, same settings) come from the SQLite translation memory.
    """
    started = time.perf_counter()
    model_options = model_options or ModelOptions()
    translate_options = translate_options or TranslateOptions()
    output_options = output_options or OutputOptions()
    folder_options = folder_options or FolderOptions()
    full = summary is None or bool(full)
    paths = [Path(path) for path in inputs]
    out = Path(output) if output is not None else default_output_folder(paths)
    _check_output_folder(out, paths)
    found = discover(paths, folder_options.patterns, exclude=out)
    settings = run_settings(
        model_options, translate_options, output_options, (summary, full, strict), translator
    )
    out.mkdir(parents=True, exist_ok=True)
    report = FolderReport(out, ignored=found.ignored)
    loader = _LazyTranslator(translator, model_options, translate_options, folder_options)
    with FolderLock(out):
        from .writing import remove_partial_files

        removed = remove_partial_files(out)
        if removed:
            log.info("%s: removed %d partial file(s) left by an interrupted run", out, removed)
        run = _Run(
            out,
            settings,
            (translate_options, output_options, folder_options),
            (summary, full, strict),
            loader.get,
            progress,
            report,
        )
        _run_all(run, found, progress, report)
    report.memory_hits = loader.memory_hits()
    loader.close()
    report.seconds = time.perf_counter() - started
    return report


def _run_all(run: _Run, found: Discovery, progress: Progress | None, report: FolderReport) -> None:
    if progress is not None:
        progress.start(len(found.files))
    try:
        for item in found.files:
            run.process(item)
        run.drain()
    except _StopRun:
        report.stopped = True
    finally:
        run.engine.shutdown(wait=True, cancel_futures=True)
        run.manifest.compact()


def _check_output_folder(out: Path, inputs: Sequence[Path]) -> None:
    resolved = out.resolve()
    for path in inputs:
        if path.is_dir() and path.resolve() == resolved:
            raise UsageError(
                f"{out}: the output folder is the input folder", "pass another -o folder"
            )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder", "pass a folder to -o")


class _LazyTranslator:
    """Loads the model on the first file that needs translating (an up-to-date run loads none)."""

    def __init__(
        self,
        translator: Translator | None,
        model_options: ModelOptions,
        translate_options: TranslateOptions,
        folder_options: FolderOptions,
    ) -> None:
        self._given = translator
        self._options = (model_options, translate_options)
        self._folder_options = folder_options
        self._translator: Translator | None = None
        self._memory: Any = None

    def get(self) -> Translator:
        if self._translator is None:
            inner = self._given or backends.load_translator(*self._options)
            self._translator = inner
            if self._folder_options.use_memory:
                from .cache import MemoryTranslator, TranslationMemory, default_memory_path

                path = self._folder_options.memory_path
                self._memory = TranslationMemory(Path(path) if path else default_memory_path())
                self._translator = MemoryTranslator(inner, self._memory)
        return self._translator

    def memory_hits(self) -> int:
        return int(getattr(self._translator, "hits", 0))

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
