"""Options shared between commands, one typed alias each (the sqlite-utils way, for Typer):
a command declares `model: Model = None` and gets the flag, its help and its panel.

Grouped as the help shows them: output, summary, model and speed, folders, cluster,
maintenance. `translate` uses them all; `models` and the commands to come reuse theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import (
    CLUSTER_PANEL,
    FOLDERS_PANEL,
    MAINTENANCE_PANEL,
    MODEL_PANEL,
    OUTPUT_PANEL,
    SUMMARY_PANEL,
    formats,
    version_callback,
)

Inputs = Annotated[
    Optional[list[str]],  # noqa: UP045 - Typer needs Optional on Python 3.10
    typer.Argument(
        metavar="INPUT",
        show_default=False,
        help="French article (a text or HTML file, a URL, or - for stdin), or folders / "
        "several files.",
    ),
]

Output = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="One article: write this file instead of stdout. Folders: the output folder "
        "(default: <folder>-en beside the input).",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

OutputFormat = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        metavar=f"<{'|'.join(formats())}>",
        help=f"{', '.join(formats())} (html: bilingual, side by side). Default: from the "
        "-o file's extension, else text.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Summary = Annotated[
    bool,
    typer.Option(
        "--summary",
        "-s",
        help="Key sentences in English (only they are translated).",
        rich_help_panel=SUMMARY_PANEL,
    ),
]

Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Report model, device and timing.", rich_help_panel=OUTPUT_PANEL
    ),
]

Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="No spinner, progress bar or final line.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

KeepBoilerplate = Annotated[
    bool,
    typer.Option(
        "--keep-boilerplate",
        help="Print page furniture (buttons, prompts), untranslated.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Headline = Annotated[
    str,
    typer.Option(
        metavar="RULE",
        help="auto: the first line is the headline when it looks like one (no final "
        "full stop, at most 30 words, not a dateline); first-line; none.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

ShowFlags = Annotated[
    bool,
    typer.Option(
        "--show-flags",
        help="Text/markdown: note after each sentence to check, e.g. \\[check: numbers: ...].",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Bilingual = Annotated[
    bool,
    typer.Option(
        "--bilingual",
        help="docx: French and English side by side, in a two-column table.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

MinConfidence = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        help="Flag translated sentences the model scored under this (0-1), e.g. 0.4.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Names = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--names",
        metavar="FILE",
        help="Check that these names are kept: TSV French<TAB>English, e.g. Poutine<TAB>Putin.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Fail (exit 1) on input that is not French.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]

Full = Annotated[
    bool,
    typer.Option(
        "--full",
        help="With --summary: the full translation, then the summary.",
        rich_help_panel=SUMMARY_PANEL,
    ),
]

Sentences = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(help="Summary length in sentences (default 3).", rich_help_panel=SUMMARY_PANEL),
]

Ratio = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        help="Summary length as a share of the sentences, e.g. 0.2.",
        rich_help_panel=SUMMARY_PANEL,
    ),
]

Words = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(help="Summary length as a word budget.", rich_help_panel=SUMMARY_PANEL),
]

Summarizer = Annotated[
    str,
    typer.Option(
        metavar="NAME",
        help="Summary scorer: ranker (trained, default) or lexrank (unsupervised).",
        rich_help_panel=SUMMARY_PANEL,
    ),
]

Model = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--model",
        "-m",
        metavar="NAME",
        help="Alias from models.txt, hub id, or local folder.",
        rich_help_panel=MODEL_PANEL,
    ),
]

Revision = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="REV",
        help="Hub revision (default: the one pinned in models.txt).",
        rich_help_panel=MODEL_PANEL,
    ),
]

Device = Annotated[
    str,
    typer.Option(metavar="DEVICE", help="auto, cpu, cuda or cuda:N.", rich_help_panel=MODEL_PANEL),
]

Backend = Annotated[
    str,
    typer.Option(
        metavar="NAME",
        help="auto (CTranslate2 if installed), ctranslate2 or transformers.",
        rich_help_panel=MODEL_PANEL,
    ),
]

ComputeType = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="TYPE",
        help="CTranslate2: int8 (CPU default), float16 (GPU default), float32, ...",
        rich_help_panel=MODEL_PANEL,
    ),
]

Beams = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        help="Beam size (default: the model's own, 4); 1 = greedy, fastest.",
        rich_help_panel=MODEL_PANEL,
    ),
]

Threads = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(help="CPU threads (default: all available).", rich_help_panel=MODEL_PANEL),
]

BatchTokens = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        help="Padded source tokens x beams per batch (default: the engine's best).",
        rich_help_panel=MODEL_PANEL,
    ),
]

Glob = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        metavar="PATTERN",
        help="File names to read (repeatable; default *.txt *.html *.htm).",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Redo files that are up to date.",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

FailFast = Annotated[
    bool,
    typer.Option(
        "--fail-fast",
        help="Stop at the first failed file.",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

MaxBytes = Annotated[
    int,
    typer.Option(
        help="Larger inputs fail instead of loading (files, stdin, pages).",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

Memory = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="PATH",
        help="Translation memory file (default: in the user cache).",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

NoMemory = Annotated[
    bool,
    typer.Option(
        "--no-memory",
        help="No translation memory.",
        rich_help_panel=FOLDERS_PANEL,
    ),
]

Engine = Annotated[
    str,
    typer.Option(
        metavar="NAME",
        help="Folders: local (this process) or ray (a Ray cluster).",
        rich_help_panel=CLUSTER_PANEL,
    ),
]

RayAddress = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="ADDRESS",
        help="'auto' joins the running cluster (default: a local one).",
        rich_help_panel=CLUSTER_PANEL,
    ),
]

Workers = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        help="Translation actors (default: GPUs, or CPUs / threads).",
        rich_help_panel=CLUSTER_PANEL,
    ),
]

GpusPerWorker = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        help="GPUs per actor (default: 1 if the cluster has GPUs).",
        rich_help_panel=CLUSTER_PANEL,
    ),
]

ListModels = Annotated[
    bool,
    typer.Option(
        "--list-models",
        hidden=True,  # the old spelling of `translate-news models list`
        help="List the models in models.txt and exit.",
        rich_help_panel=MAINTENANCE_PANEL,
    ),
]

Download = Annotated[
    bool,
    typer.Option(
        "--download",
        hidden=True,  # the old spelling of `translate-news models download`
        help="Download the model (see --model) for offline use and exit.",
        rich_help_panel=MAINTENANCE_PANEL,
    ),
]

Version = Annotated[
    bool,
    typer.Option(
        "--version",
        callback=version_callback,
        is_eager=True,
        help="Show the version and exit.",
        rich_help_panel=MAINTENANCE_PANEL,
    ),
]
