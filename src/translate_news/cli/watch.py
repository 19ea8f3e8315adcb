"""`translate-news watch FEED... -o OUT`: follow French news feeds into a daily English digest."""

from __future__ import annotations

import re
import signal
import threading
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import ERROR_PREFIX
from ..options import (
    DEFAULT_MAX_BYTES,
    FolderOptions,
    ModelOptions,
    OutputOptions,
    Request,
    SummaryOptions,
    TranslateOptions,
)
from .bundles import (
    Backend,
    BatchTokens,
    Beams,
    ComputeType,
    Device,
    KeepBoilerplate,
    MaxBytes,
    Memory,
    MinConfidence,
    Model,
    Names,
    NoMemory,
    OutputFormat,
    Quiet,
    Ratio,
    Revision,
    Sentences,
    ShowFlags,
    Summarizer,
    Threads,
    Verbose,
    Words,
)
from .common import error_boundary, our_log_lines, read_names, warn

FEEDS_PANEL = "Feeds"

Feeds = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(metavar="FEED_URL", show_default=False, help="RSS, Atom or RDF feeds."),
]
Out = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="FOLDER",
                 help="Where the articles and the digest go.", rich_help_panel=FEEDS_PANEL),
]  # fmt: skip
FeedsFile = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--feeds", metavar="FILE", rich_help_panel=FEEDS_PANEL,
                 help="Feeds to follow: one URL a line (# comments), or an OPML export."),
]  # fmt: skip
Once = Annotated[
    bool,
    typer.Option("--once", help="Poll every feed once, then exit (for cron).",
                 rich_help_panel=FEEDS_PANEL),
]  # fmt: skip
Every = Annotated[
    str,
    typer.Option(metavar="DURATION", rich_help_panel=FEEDS_PANEL,
                 help="Without --once: poll this often until Ctrl-C or SIGTERM (30s, 15m, 1h)."),
]  # fmt: skip
Since = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(metavar="YYYY-MM-DD", rich_help_panel=FEEDS_PANEL,
                 help="Leave out items published before this day."),
]  # fmt: skip
MaxItems = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(metavar="N", help="New items a poll takes at most.",
                 rich_help_panel=FEEDS_PANEL),
]  # fmt: skip
Match = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(metavar="FILE", rich_help_panel=FEEDS_PANEL,
                 help="Keep only articles mentioning one of these terms (one a line, French "
                 "or English), highlighted in the digest."),
]  # fmt: skip
Delay = Annotated[
    float,
    typer.Option(metavar="SECONDS", help="Between two requests to the same site.",
                 rich_help_panel=FEEDS_PANEL),
]  # fmt: skip
Mode = Annotated[
    str,
    typer.Option(metavar="MODE", rich_help_panel=FEEDS_PANEL,
                 help="both (the key sentences and the full text, default), summary or full."),
]  # fmt: skip


def watch(
    feeds: Feeds = None,
    output: Out = Path("news-en"),
    feeds_file: FeedsFile = None,
    once: Once = False,
    every: Every = "15m",
    since: Since = None,
    max_items: MaxItems = None,
    match: Match = None,
    delay: Delay = 1.0,
    mode: Mode = "both",
    output_format: OutputFormat = None,
    sentences: Sentences = None,
    ratio: Ratio = None,
    words: Words = None,
    summarizer: Summarizer = "ranker",
    keep_boilerplate: KeepBoilerplate = False,
    show_flags: ShowFlags = False,
    min_confidence: MinConfidence = None,
    names: Names = None,
    model: Model = None,
    revision: Revision = None,
    device: Device = "auto",
    backend: Backend = "auto",
    compute_type: ComputeType = None,
    beams: Beams = None,
    threads: Threads = None,
    batch_tokens: BatchTokens = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    memory: Memory = None,
    no_memory: NoMemory = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Follow French news feeds: each new article in English under OUT/<site>/<date>/, and a
    daily digest in OUT/digest/<date>.html, .md and .jsonl."""
    with our_log_lines(verbose), error_boundary():
        from ..errors import UsageError
        from ..options import check_range
        from ..watch.run import WatchOptions
        from ..watch.sources import check_sources, read_sources

        sources = check_sources(feeds or []) + (read_sources(feeds_file) if feeds_file else [])
        if not sources:
            raise UsageError("no feed to follow", "pass feed URLs, or --feeds FILE")
        if since is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
            raise UsageError(f"--since {since}: not a day", "pass --since 2026-12-01")
        check_range("--max-bytes", max_bytes, str(DEFAULT_MAX_BYTES))
        summary = None if mode == "full" else SummaryOptions(sentences, ratio, words, summarizer)
        request = Request(
            model=ModelOptions(model=model, revision=revision, device=device, threads=threads,
                               backend=backend, compute_type=compute_type),
            translate=TranslateOptions(beams=beams, max_batch_tokens=batch_tokens,
                                       min_confidence=min_confidence, names=read_names(names)),
            mode=mode, summary=summary,
            output=OutputOptions(format=output_format or "html",
                                 keep_boilerplate=keep_boilerplate, show_flags=show_flags),
        )  # fmt: skip
        options = WatchOptions(since=since, max_items=max_items, match=_terms(match),
                               delay_s=delay, max_bytes=max_bytes)  # fmt: skip
        memory_options = FolderOptions(use_memory=not no_memory, memory_path=memory)
        failed = _poll(sources, output, request, options, memory_options, once,
                       _duration(every), quiet)  # fmt: skip
        if failed:
            raise typer.Exit(1)


def _poll(
    sources: list[str], out: Path, request: Request, options: Any, memory_options: FolderOptions,
    once: bool, every_s: float, quiet: bool,
) -> bool:  # fmt: skip
    """Poll once, or every `every_s` seconds until SIGTERM or Ctrl-C; whether any poll
    failed somewhere."""
    from ..folders.engines import LazyTranslator
    from ..folders.progress import ConsoleProgress
    from ..folders.runner import translator_factory
    from ..watch.run import watch_once

    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())

    factory = translator_factory(None, request.model, request.translate)
    loader = LazyTranslator(factory, memory_options, warn)  # loaded once, when first needed
    failed = False
    try:
        while True:
            progress = ConsoleProgress(quiet, unit="articles")  # a bar only on a terminal
            report = watch_once(sources, out, loader.get, request, options, progress.warn,
                                stop=stop, progress=progress)  # fmt: skip
            progress.stop()
            for line in report.failed:
                typer.echo(ERROR_PREFIX + line, err=True)
            if not quiet:
                typer.echo(f"translate-news: {out}: {report.summary_line()}", err=True)
            failed = failed or bool(report.failed)
            if once or stop.wait(every_s):
                return failed
    finally:
        signal.signal(signal.SIGTERM, previous)
        loader.close()


def _duration(text: str) -> float:
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not found or float(found.group(1)) <= 0:
        from ..errors import UsageError

        raise UsageError(f"--every {text}: not a duration", "pass --every 15m (or 30s, 1h)")
    return float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]


def _terms(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    from ..errors import InputError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the terms ({error})",
                         "pass a UTF-8 file, one term a line") from error  # fmt: skip
    terms = tuple(dict.fromkeys(t.strip() for t in lines if t.strip() and not t.startswith("#")))
    if not terms:
        raise InputError(f"{path}: holds no term", "write one term a line")
    return terms
