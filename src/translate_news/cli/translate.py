"""`translate-news [translate] INPUT...`: the default command (one article, or folders)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from ..errors import InputError, UsageError
from ..options import (
    DEFAULT_MAX_BYTES,
    FolderOptions,
    ModelOptions,
    OutputOptions,
    RayOptions,
    Request,
    SummaryOptions,
    TranslateOptions,
    check_range,
)
from .bundles import (
    Backend,
    BatchTokens,
    Beams,
    Bilingual,
    ComputeType,
    Device,
    Download,
    Engine,
    FailFast,
    Full,
    Glob,
    GpusPerWorker,
    Headline,
    Inputs,
    KeepBoilerplate,
    ListModels,
    MaxBytes,
    Memory,
    MinConfidence,
    Model,
    Names,
    NoMemory,
    Output,
    OutputFormat,
    Overwrite,
    Quiet,
    Ratio,
    RayAddress,
    Revision,
    Sentences,
    ShowFlags,
    Strict,
    Summarizer,
    Summary,
    Threads,
    Verbose,
    Version,
    Words,
    Workers,
)
from .common import error_boundary, our_log_lines, read_names
from .models import download as download_model
from .models import list_models as print_models
from .runs import run_folder, run_one


def translate(
    inputs: Inputs = None,
    output: Output = None,
    output_format: OutputFormat = None,
    summary: Summary = False,
    verbose: Verbose = False,
    quiet: Quiet = False,
    keep_boilerplate: KeepBoilerplate = False,
    headline: Headline = "auto",
    show_flags: ShowFlags = False,
    bilingual: Bilingual = False,
    min_confidence: MinConfidence = None,
    names: Names = None,
    strict: Strict = False,
    full: Full = False,
    sentences: Sentences = None,
    ratio: Ratio = None,
    words: Words = None,
    summarizer: Summarizer = "ranker",
    model: Model = None,
    revision: Revision = None,
    device: Device = "auto",
    backend: Backend = "auto",
    compute_type: ComputeType = None,
    beams: Beams = None,
    threads: Threads = None,
    batch_tokens: BatchTokens = None,
    glob: Glob = None,
    overwrite: Overwrite = False,
    fail_fast: FailFast = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    memory: Memory = None,
    no_memory: NoMemory = False,
    engine: Engine = "local",
    ray_address: RayAddress = None,
    workers: Workers = None,
    gpus_per_worker: GpusPerWorker = None,
    list_models: ListModels = False,
    download: Download = False,
    version: Version = False,
) -> None:
    """Translate French news articles into English.

    One article (a file, or - for stdin) prints to stdout or -o FILE. Folders (recursive) or
    several files go to an output folder that mirrors the input tree, resumably.
    """
    with our_log_lines(verbose), error_boundary():
        model_options = ModelOptions(
            model=model,
            revision=revision,
            device=device,
            threads=threads,
            backend=backend,
            compute_type=compute_type,
        )
        if list_models:
            print_models()
            return
        if download:
            download_model(model_options)
            return
        check_range("--max-bytes", max_bytes, str(DEFAULT_MAX_BYTES))
        if quiet and verbose:
            raise UsageError("-q and -v together", "pass one of them")
        inputs = inputs or _piped_stdin()
        if inputs == ["-"] and not quiet and sys.stdin is not None and sys.stdin.isatty():
            typer.echo("translate-news: reading the article from the terminal; end it with "
                       "Ctrl-D on a line of its own", err=True)  # fmt: skip
        translate_options = TranslateOptions(
            beams=beams,
            max_batch_tokens=batch_tokens,
            headline=headline,
            min_confidence=min_confidence,
            names=read_names(names),
        )
        _check_name_lengths([*inputs, *([str(output)] if output else [])])
        folder_run = _is_folder_run(inputs, output)
        output_options = OutputOptions(
            format=_output_format(output_format, None if folder_run else output),
            keep_boilerplate=keep_boilerplate,
            show_flags=show_flags,
            bilingual=bilingual,
        )
        summary_options = _summary_options(summary, full, sentences, ratio, words, summarizer)
        request = Request(
            model=model_options,
            translate=translate_options,
            mode="full" if not summary else "both" if full else "summary",
            summary=summary_options,
            output=output_options,
            strict=strict,
        )
        _refuse_options_that_do_not_apply(
            folder_run,
            engine,
            {
                "--glob": glob,
                "--overwrite": overwrite or None,
                "--fail-fast": fail_fast or None,
                "--memory": memory,
                "--no-memory": no_memory or None,
            },
            {
                "--ray-address": ray_address,
                "--workers": workers,
                "--gpus-per-worker": gpus_per_worker,
            },
        )
        if folder_run:
            folder_options = _folder_options(
                glob, overwrite, fail_fast, max_bytes, no_memory, memory
            )
            ray_options = RayOptions(ray_address, workers, gpus_per_worker)
            run_folder(inputs, output, request, folder_options, quiet, (engine, ray_options))
            return
        run_one(inputs[0], output, request, (verbose, quiet, max_bytes))


def _piped_stdin() -> list[str]:
    """No INPUT: standard input when an article is piped in (`cat a.txt | translate-news`),
    else the usage error (a terminal, or nothing piped: `< /dev/null`)."""
    stdin = sys.stdin
    if stdin is not None and not stdin.isatty() and _has_data(stdin.buffer):
        return ["-"]
    raise UsageError(
        "missing INPUT", "pass a file or a folder, - to read stdin, or pipe an article in"
    )


def _has_data(stream: Any) -> bool:
    """Whether a stream that is not a terminal holds at least one byte (waits for a pipe's
    writer; a stream that cannot peek is looked at and rewound)."""
    try:
        peek = getattr(stream, "peek", None)
        if peek is not None:
            return bool(peek(1))
        position = stream.tell()
        data = stream.read(1)
        stream.seek(position)
        return bool(data)
    except (OSError, ValueError):  # closed, or not readable: nothing piped
        return False


def _folder_options(
    glob: list[str] | None,
    overwrite: bool,
    fail_fast: bool,
    max_bytes: int,
    no_memory: bool,
    memory: str | None,
) -> FolderOptions:
    return FolderOptions(
        patterns=tuple(glob) if glob else None,
        overwrite=overwrite,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
        use_memory=not no_memory,
        memory_path=memory,
    )


def _summary_options(
    summary: bool,
    full: bool,
    sentences: int | None,
    ratio: float | None,
    words: int | None,
    method: str,
) -> SummaryOptions | None:
    lengths = (("--sentences", sentences), ("--ratio", ratio), ("--words", words))
    modes = (("--full", full or None), ("--summarizer", None if method == "ranker" else method))
    given = [name for name, value in (*lengths, *modes) if value is not None]
    if not summary:
        if given:
            raise UsageError(f"{given[0]} needs --summary", "add --summary")
        return None
    return SummaryOptions(sentences=sentences, ratio=ratio, words=words, method=method)


def _output_format(given: str | None, output: Path | None) -> str:
    """-f, else the one article's -o extension, else text; -f against the extension is an error."""
    from ..renderers import format_for_suffix

    by_suffix = format_for_suffix(output.suffix) if output is not None else None
    if given is None:
        return by_suffix or "text"
    if by_suffix is not None and by_suffix != given:
        raise UsageError(
            f"-f {given} with -o {output}, a {by_suffix} file by its extension",
            "drop -f (the extension chooses), or give the output a matching extension",
        )
    return given


def _refuse_options_that_do_not_apply(
    folder_run: bool,
    engine: str,
    folder_only: dict[str, object],
    ray_only: dict[str, object],
) -> None:
    """An option that would be silently ignored is a usage error naming it and why."""
    given_folder = [name for name, value in folder_only.items() if value is not None]
    given_ray = [name for name, value in ray_only.items() if value is not None]
    if not folder_run and (engine != "local" or given_folder):
        name = f"--engine {engine}" if engine != "local" else given_folder[0]
        raise UsageError(
            f"{name} is for folder runs",
            f"pass a folder (or several files) and -o OUT, or drop {name.split()[0]}",
        )
    if engine != "ray" and given_ray:
        raise UsageError(
            f"{given_ray[0]} is for --engine ray", f"add --engine ray, or drop {given_ray[0]}"
        )


def _check_name_lengths(paths: list[str]) -> None:
    """A name longer than the file system allows is one line (pathlib raises on it)."""
    import errno

    for path in paths:
        try:
            os.stat(path)
        except OSError as error:
            if error.errno == errno.ENAMETOOLONG:
                raise InputError(
                    f"{path}: the name is too long for the file system", "check the path"
                ) from error


def _is_folder_run(inputs: list[str], output: Path | None) -> bool:
    """Folders, several files, or one file into an existing -o folder."""
    if len(inputs) == 1:
        return Path(inputs[0]).is_dir() or (
            inputs[0] != "-" and output is not None and output.is_dir()
        )
    if "-" in inputs:
        raise UsageError("- (stdin) with other inputs", "pass - alone, or only paths")
    return True
