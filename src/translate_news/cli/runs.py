"""Running what the translate command asked for: one article, or a folder (calls into the
package's public API, then reports on stderr)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import typer

from ..errors import WARNING_PREFIX
from ..options import FolderOptions, RayOptions, Request


def run_folder(
    inputs: list[str],
    output: Path | None,
    request: Request,
    folder_options: FolderOptions,
    quiet: bool,
    engine: tuple[str, RayOptions],
) -> None:
    from ..folders.progress import ConsoleProgress
    from ..folders.runner import translate_folder
    from ..renderers.layout import counted

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


def run_one(
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
    from ..pipeline import translate_page
    from ..renderers import render

    verbose, quiet, max_bytes = reporting
    started = time.perf_counter()
    page = read_source(input_path, max_bytes)  # bad input fails before the model loads
    with activity("loading the model", enabled=not quiet) as status:
        translator = load_translator(request.model, request.translate)
        loaded = time.perf_counter()
        status.update(f"translating {input_path}")
        result = translate_page(page, translator, request, source=input_path)
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
