"""Typer command line: parse -> options -> run -> render. The single error boundary."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperCommand

from ..errors import ERROR_PREFIX, WARNING_PREFIX, InputError, TranslateNewsError, UsageError
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

OUTPUT_PANEL = "Output"
SUMMARY_PANEL = "Summary"
MODEL_PANEL = "Model and speed"
FOLDERS_PANEL = "Folders"
CLUSTER_PANEL = "Cluster (Ray)"
MAINTENANCE_PANEL = "Maintenance"
EXAMPLES = (
    "[bold]Examples[/bold]\n\n"
    "  translate-news article.txt                 [dim]# English on stdout[/dim]\n\n"
    "  translate-news article.txt --summary       [dim]# the key sentences in English[/dim]\n\n"
    "  translate-news news/ -o news-en/           [dim]# a folder, resumably[/dim]"
)

app = typer.Typer(
    add_completion=True,
    pretty_exceptions_enable=False,
    help="Translate French news articles into English (MarianMT opus-mt-fr-en).",
)


def _formats() -> tuple[str, ...]:
    from ..renderers import RENDERERS

    return RENDERERS.names(plugins=False)


class _Command(TyperCommand):
    """The command, with plain flags (--summary, --help, ...) shown without a `<bool>` type."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            if isinstance(param, typer.core.TyperArgument):  # INPUT, not `<list[str]>`
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        return params

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """Command-line mistakes are one line in our format (Click draws a five-line box, and
        its "possible options" guess is often far off), exit 2."""
        try:
            return super().parse_args(ctx, args)
        except Exception as error:
            # By name: Typer vendors its own copy of Click (typer._click) in recent releases.
            kinds = {kind.__name__ for kind in type(error).__mro__}
            if "UsageError" not in kinds:
                raise
            if "NoSuchOption" in kinds:
                what = f"no such option: {getattr(error, 'option_name', '?')}"
            else:
                message = " ".join(error.format_message().split()).rstrip(".")
                what = message[:1].lower() + message[1:]
            typer.echo(
                ERROR_PREFIX + f"{what}; fix: see `translate-news --help` for the options",
                err=True,
            )
            ctx.exit(2)


def _fail(error: TranslateNewsError) -> typer.Exit:
    typer.echo(ERROR_PREFIX + error.one_line(), err=True)
    return typer.Exit(error.exit_code)


def _version_callback(value: bool) -> None:
    if value:
        from ..version import __version__  # importlib.metadata: only when asked

        typer.echo(f"translate-news {__version__}")
        raise typer.Exit()


@app.command(cls=_Command, epilog=EXAMPLES)
def translate(
    inputs: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer needs Optional on Python 3.10
        typer.Argument(
            metavar="INPUT",
            show_default=False,
            help="French article (a text or HTML file, a URL, or - for stdin), or folders / "
            "several files.",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="One article: write this file instead of stdout. Folders: the output folder "
            "(default: <folder>-en beside the input).",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    output_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar=f"<{'|'.join(_formats())}>",
            help=f"{', '.join(_formats())} (html: bilingual, side by side). Default: from the "
            "-o file's extension, else text.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            "-s",
            help="Key sentences in English (only they are translated).",
            rich_help_panel=SUMMARY_PANEL,
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Report model, device and timing.", rich_help_panel=OUTPUT_PANEL
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No spinner, progress bar or final line.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    keep_boilerplate: Annotated[
        bool,
        typer.Option(
            "--keep-boilerplate",
            help="Print page furniture (buttons, prompts), untranslated.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    headline: Annotated[
        str,
        typer.Option(
            metavar="RULE",
            help="auto: the first line is the headline when it looks like one (no final "
            "full stop, at most 30 words, not a dateline); first-line; none.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = "auto",
    show_flags: Annotated[
        bool,
        typer.Option(
            "--show-flags",
            help="Text/markdown: note after each sentence to check, e.g. \\[check: numbers: ...].",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    min_confidence: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            help="Flag translated sentences the model scored under this (0-1), e.g. 0.4.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    names: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--names",
            metavar="FILE",
            help="Check that these names are kept: TSV French<TAB>English, e.g. Poutine<TAB>Putin.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail (exit 1) on input that is not French.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="With --summary: the full translation, then the summary.",
            rich_help_panel=SUMMARY_PANEL,
        ),
    ] = False,
    sentences: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            help="Summary length in sentences (default 3).", rich_help_panel=SUMMARY_PANEL
        ),
    ] = None,
    ratio: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            help="Summary length as a share of the sentences, e.g. 0.2.",
            rich_help_panel=SUMMARY_PANEL,
        ),
    ] = None,
    words: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="Summary length as a word budget.", rich_help_panel=SUMMARY_PANEL),
    ] = None,
    summarizer: Annotated[
        str,
        typer.Option(
            metavar="NAME",
            help="Summary scorer: ranker (trained, default) or lexrank (unsupervised).",
            rich_help_panel=SUMMARY_PANEL,
        ),
    ] = "ranker",
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--model",
            "-m",
            metavar="NAME",
            help="Alias from models.txt, hub id, or local folder.",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    revision: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="REV",
            help="Hub revision (default: the one pinned in models.txt).",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    device: Annotated[
        str,
        typer.Option(
            metavar="DEVICE", help="auto, cpu, cuda or cuda:N.", rich_help_panel=MODEL_PANEL
        ),
    ] = "auto",
    backend: Annotated[
        str,
        typer.Option(
            metavar="NAME",
            help="auto (CTranslate2 if installed), ctranslate2 or transformers.",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = "auto",
    compute_type: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="TYPE",
            help="CTranslate2: int8 (CPU default), float16 (GPU default), float32, ...",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    beams: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            help="Beam size (default: the model's own, 4); 1 = greedy, fastest.",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    threads: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="CPU threads (default: all available).", rich_help_panel=MODEL_PANEL),
    ] = None,
    batch_tokens: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            help="Padded source tokens x beams per batch (default: the engine's best).",
            rich_help_panel=MODEL_PANEL,
        ),
    ] = None,
    glob: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            metavar="PATTERN",
            help="File names to read (repeatable; default *.txt *.html *.htm).",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Redo files that are up to date.",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = False,
    fail_fast: Annotated[
        bool,
        typer.Option(
            "--fail-fast",
            help="Stop at the first failed file.",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = False,
    max_bytes: Annotated[
        int,
        typer.Option(
            help="Larger inputs fail instead of loading (files, stdin, pages).",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = DEFAULT_MAX_BYTES,
    memory: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="PATH",
            help="Translation memory file (default: in the user cache).",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = None,
    no_memory: Annotated[
        bool,
        typer.Option(
            "--no-memory",
            help="No translation memory.",
            rich_help_panel=FOLDERS_PANEL,
        ),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            metavar="NAME",
            help="Folders: local (this process) or ray (a Ray cluster).",
            rich_help_panel=CLUSTER_PANEL,
        ),
    ] = "local",
    ray_address: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="ADDRESS",
            help="'auto' joins the running cluster (default: a local one).",
            rich_help_panel=CLUSTER_PANEL,
        ),
    ] = None,
    workers: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            help="Translation actors (default: GPUs, or CPUs / threads).",
            rich_help_panel=CLUSTER_PANEL,
        ),
    ] = None,
    gpus_per_worker: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            help="GPUs per actor (default: 1 if the cluster has GPUs).",
            rich_help_panel=CLUSTER_PANEL,
        ),
    ] = None,
    list_models: Annotated[
        bool,
        typer.Option(
            "--list-models",
            help="List the models in models.txt and exit.",
            rich_help_panel=MAINTENANCE_PANEL,
        ),
    ] = False,
    download: Annotated[
        bool,
        typer.Option(
            "--download",
            help="Download the model (see --model) for offline use and exit.",
            rich_help_panel=MAINTENANCE_PANEL,
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
            rich_help_panel=MAINTENANCE_PANEL,
        ),
    ] = False,
) -> None:
    """Translate French news articles into English.

    One article (a file, or - for stdin) prints to stdout or -o FILE. Folders (recursive) or
    several files go to an output folder that mirrors the input tree, resumably.
    """
    with _our_log_lines(verbose):
        try:
            model_options = ModelOptions(
                model=model,
                revision=revision,
                device=device,
                threads=threads,
                backend=backend,
                compute_type=compute_type,
            )
            if list_models:
                _list_models()
                return
            if download:
                _download(model_options)
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
                names=_read_names(names),
            )
            _check_name_lengths([*inputs, *([str(output)] if output else [])])
            folder_run = _is_folder_run(inputs, output)
            output_options = OutputOptions(
                format=_output_format(output_format, None if folder_run else output),
                keep_boilerplate=keep_boilerplate,
                show_flags=show_flags,
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
                _translate_folder(
                    inputs, output, request, folder_options, quiet, (engine, ray_options)
                )
                return
            _translate_one(inputs[0], output, request, (verbose, quiet, max_bytes))
        except TranslateNewsError as error:
            raise _fail(error) from None
        except KeyboardInterrupt:
            typer.echo("translate-news: interrupted", err=True)
            raise typer.Exit(130) from None


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


@contextmanager
def _our_log_lines(verbose: bool) -> Iterator[None]:
    """With -v, the package's own INFO lines (not third-party libraries') on stderr, for this
    command only (the CLI also runs in-process, e.g. under a test runner)."""
    if not verbose:
        yield
        return
    from ..folders.progress import our_log_lines_to

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("translate-news: %(message)s"))
    with our_log_lines_to(handler):
        yield


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


def _read_names(path: Path | None) -> dict[str, tuple[str, ...]] | None:
    from ..checks.names import read_glossary

    return None if path is None else read_glossary(path)


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


def _translate_folder(
    inputs: list[str],
    output: Path | None,
    request: Request,
    folder_options: FolderOptions,
    quiet: bool,
    engine: tuple[str, RayOptions],
) -> None:
    from ..folders.progress import ConsoleProgress
    from ..folders.runner import counted, translate_folder

    progress = ConsoleProgress(quiet)
    try:
        report = translate_folder(
            inputs,
            output,
            request=request,
            folder_options=folder_options,
            progress=progress,
            engine=engine[0],
            ray_options=engine[1],
        )
    except KeyboardInterrupt:
        progress.stop()
        _exit_interrupted()
    finally:
        progress.stop()
    log = logging.getLogger("translate_news")
    for path, reason in report.ignored:
        log.info("%s: not followed (%s)", path, reason)
    if report.model is not None:
        log.info(
            "model %s; load %.1f s; %s translated by the model",
            report.model.describe(),
            report.load_seconds,
            counted(report.sentences, "sentence"),
        )
    if not quiet:
        hits = counted(report.memory_hits, "sentence")
        memory = f", {hits} from memory" if report.memory_hits else ""
        typer.echo(f"translate-news: {report.summary_line()}{memory}", err=True)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _exit_interrupted() -> NoReturn:
    """Ctrl-C ends a folder run at once, resumably.

    The engine may be inside a long native call that cannot be interrupted, and Python would
    wait for it at exit; every output and manifest line already written is complete (atomic
    files, fsynced lines), so the process may leave without waiting.
    """
    sys.stderr.write("\ntranslate-news: interrupted; run the same command again to resume\n")
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(130)


def _translate_one(
    input_path: str,
    output: Path | None,
    request: Request,
    reporting: tuple[bool, bool, int],
) -> None:
    from ..backends import load_translator
    from ..checks import REPAIRED
    from ..folders.atomic import write_atomic, write_stdout
    from ..folders.progress import activity
    from ..inputs import read_source
    from ..pipeline import translate_text
    from ..renderers import render

    verbose, quiet, max_bytes = reporting
    started = time.perf_counter()
    page = read_source(input_path, max_bytes)  # bad input fails before the model loads
    with activity("loading the model", enabled=not quiet) as status:
        translator = load_translator(request.model, request.translate)
        loaded = time.perf_counter()
        status.update(f"translating {input_path}")
        result = translate_text(
            page.text, translator, request, source=input_path, metadata=page.metadata
        )
    for warning in result.warnings:
        typer.echo(WARNING_PREFIX + warning, err=True)
    output_options = request.output
    rendered = render(
        result, output_options.format, output_options.keep_boilerplate, output_options.show_flags
    )
    if output is None:
        write_stdout(rendered)
    else:
        protected = [] if input_path == "-" else [Path(input_path)]
        write_atomic(output, rendered, protected)
    if verbose:
        for sentence in result.article.sentences():
            if sentence.status == "skipped":
                reason = f"({sentence.reason})"
                typer.echo(
                    f"translate-news: {input_path}: skipped {sentence.source!r} {reason}", err=True
                )
        units = list(result.article.units())
        translated = sum(unit.status == "translated" for unit in units)
        flagged = result.article.to_check()
        repaired = sum(any(f.check == REPAIRED for f in unit.flags) for unit in units)
        typer.echo(
            f"translate-news: {input_path}: {translated} of {len(units)} segments translated "
            f"({flagged} to check, {repaired} repaired) with {result.model.describe()}; "
            f"model load {loaded - started:.1f} s, "
            f"translation {time.perf_counter() - loaded:.1f} s",
            err=True,
        )


def _list_models() -> None:
    from ..models import list_models

    typer.echo("alias\thub id\trevision\tstatus\tpurpose")
    for status in list_models():
        entry = status.entry
        cached = "cached" if status.cached else "not downloaded"
        default = " (default)" if status.default else ""
        typer.echo(
            f"{entry.alias}\t{entry.hub_id}\t{entry.revision}\t{cached}\t{entry.purpose}{default}"
        )


def _download(model_options: ModelOptions) -> None:
    from ..models import download, resolve_model

    download(model_options.model, model_options.revision)
    spec = resolve_model(model_options.model, model_options.revision)
    typer.echo(f"translate-news: {spec.describe()} is ready for offline use")


def main() -> None:
    """Console-script entry point."""
    app()
