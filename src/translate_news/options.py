"""Frozen option objects passed down from the CLI or the Python API."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .models import ResolvedModel

HEADLINE_RULES: tuple[str, ...] = ("auto", "first-line", "none")
MAX_SENTENCE_TOKENS = 250  # longer sentences are split (opus-mt's limit is 512)
SUMMARIZERS: tuple[str, ...] = ("ranker", "lexrank")
COMPUTE_TYPES: tuple[str, ...] = (
    "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32"
)  # fmt: skip


# Every numeric option's range (README: "Option ranges"), checked when the options are built,
# before any input is read or model loaded: past these a run would be pointless or unsafe
# (100,000 beams grow past gigabytes; 100,000 threads crash the OpenMP runtime).
RANGES: dict[str, tuple[float, float]] = {
    "--beams": (1, 32),
    "--threads": (1, 256),
    "--batch-tokens": (16, 262_144),
    "--max-bytes": (1, 1_000_000_000),
    "--sentences": (1, 1000),
    "--words": (1, 100_000),
    "--min-confidence": (0, 1),
    "--workers": (1, 4096),
    "--gpus-per-worker": (0, 64),
    "--port": (0, 65_535),  # 0: any free port
    "--rate": (1, 1_000_000),
    "--char-limit": (1, 10_000_000),
    "--batch-limit": (1, 100_000),
    "--queue": (1, 100_000),
}


def check_headline(rule: str) -> None:
    """Refuse a headline rule that is not one of HEADLINE_RULES (one place for all callers)."""
    if rule not in HEADLINE_RULES:
        raise UsageError(
            f"unknown headline rule {rule!r}", f"use --headline {', '.join(HEADLINE_RULES)}"
        )


def check_range(flag: str, value: float | None, example: str) -> None:
    """Refuse `value` outside RANGES[flag] (NaN included) with one line naming the range."""
    if value is None:
        return
    low, high = RANGES[flag]
    if not low <= value <= high:
        raise UsageError(
            f"{flag} must be between {low:,} and {high:,}, got {value}", f"pass {flag} {example}"
        )


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity masks and containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ModelOptions:
    """What to load and where: fixed for the life of a loaded translator."""

    model: str | None = None  # alias from models.txt, hub id or local folder; None = default
    revision: str | None = None  # None = the revision pinned in models.txt (or "main")
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    threads: int | None = None  # CPU threads; None = all CPUs available to this process
    backend: str = "auto"  # auto | ctranslate2 | transformers
    compute_type: str | None = None  # ctranslate2: None = int8 on CPU, float16 on CUDA

    def resolved(self) -> ResolvedModel:
        """The model these options name (alias, hub id or folder), resolved once: every
        later call (planning the folder key, loading, provenance) sees the same one."""
        cached = self.__dict__.get("_resolved")
        if cached is None:
            from .models import resolve_model

            cached = resolve_model(self.model, self.revision)
            object.__setattr__(self, "_resolved", cached)
        return cached  # type: ignore[no-any-return]

    def __post_init__(self) -> None:
        if self.compute_type is not None and self.compute_type not in COMPUTE_TYPES:
            raise UsageError(
                f"unknown compute type {self.compute_type!r}",
                f"use --compute-type {', '.join(COMPUTE_TYPES)}",
            )
        if self.backend == "transformers" and self.compute_type is not None:
            raise UsageError(
                f"--compute-type {self.compute_type} is for the CTranslate2 backend "
                "(transformers runs float32 on CPU, float16 on CUDA)",
                "drop --compute-type, or use --backend ctranslate2",
            )
        check_range("--threads", self.threads, str(min(available_cpus(), 4)))
        device = self.device.strip().lower()
        valid = device in ("auto", "cpu", "cuda") or (
            device.startswith("cuda:") and device[5:].isdigit()
        )
        if not valid:
            raise UsageError(
                f"unknown device {self.device!r}", "use --device auto, cpu, cuda or cuda:N"
            )
        object.__setattr__(self, "device", device)


@dataclass(frozen=True)
class TranslateOptions:
    """How to read sentences and decode: may change between calls on the same translator."""

    beams: int | None = None  # None = the model's generation config (4 for opus-mt)
    # Padded source tokens x beams per batch; None = the backend's own measured best
    # (benchmarks/translate_speed.py on 2 CPU threads: transformers 4096, CTranslate2 2048).
    max_batch_tokens: int | None = None
    max_sentence_tokens: int = MAX_SENTENCE_TOKENS  # longer: split at clause boundaries
    headline: str = "auto"  # auto (a first line that looks like one) | first-line | none
    min_confidence: float | None = None  # flag translated sentences scored under this
    # The user's French -> English name forms for the `names` check (`--names FILE`).
    names: Mapping[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        if self.names is not None:  # one form or several, frozen: a str is one form
            frozen = {
                french: (english,) if isinstance(english, str) else tuple(english)
                for french, english in self.names.items()
            }
            object.__setattr__(self, "names", MappingProxyType(frozen))
        check_range("--min-confidence", self.min_confidence, "0.4")
        check_headline(self.headline)
        check_range("--beams", self.beams, "4 (or 1, greedy)")
        check_range("--batch-tokens", self.max_batch_tokens, "2048")

    def names_digest(self) -> str | None:
        """A short fingerprint of the user's names (what the manifest records; None: none)."""
        if not self.names:
            return None
        import hashlib
        import json

        pairs = sorted((french, list(english)) for french, english in self.names.items())
        text = json.dumps(pairs, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class OutputOptions:
    """How to render and where to write."""

    format: str = "text"  # a registered renderer's name (renderers/)
    keep_boilerplate: bool = False  # print page furniture (untranslated) in text/markdown
    show_flags: bool = False  # text/markdown: a `[check: ...]` note after flagged sentences
    bilingual: bool = False  # docx: French and English side by side (html always is)

    def __post_init__(self) -> None:
        from .renderers import RENDERERS

        RENDERERS.get(self.format)  # an unknown one is a UsageError listing the formats
        if self.bilingual and self.format != "docx":
            raise UsageError(
                f"--bilingual with -f {self.format}",
                "use it with -f docx (the html format is always bilingual)",
            )


@dataclass(frozen=True)
class SummaryOptions:
    """How long a summary is (N sentences, default 3, a share of them, or a word budget) and
    which scorer picks it (the trained ranker, or unsupervised LexRank)."""

    sentences: int | None = None  # None: 3, unless a ratio or a word budget is given
    ratio: float | None = None
    words: int | None = None
    method: str = "ranker"

    def __post_init__(self) -> None:
        if self.sentences is not None and (self.ratio is not None or self.words is not None):
            raise UsageError("--sentences with --ratio or --words", "pass only one summary length")
        if self.method not in SUMMARIZERS:
            raise UsageError(
                f"unknown summarizer {self.method!r}", "use --summarizer ranker or lexrank"
            )
        if self.ratio is not None and self.words is not None:
            raise UsageError("--ratio and --words both given", "pass only one of them")
        check_range("--sentences", self.sentences, "3")
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise UsageError(
                f"--ratio must be in (0, 1], got {self.ratio}", "pass a share such as --ratio 0.2"
            )
        check_range("--words", self.words, "100")
        if self.sentences is None and self.ratio is None and self.words is None:
            object.__setattr__(self, "sentences", 3)


DEFAULT_MAX_BYTES = 10_000_000  # a long article is ~100 kB of text; 10 MB is not an article


@dataclass(frozen=True)
class FolderOptions:
    """How a folder run picks, resumes and reports its files."""

    # file-name globs (a pattern with / matches paths); None: every reader's suffixes
    patterns: tuple[str, ...] | None = None
    overwrite: bool = False  # redo files the manifest says are up to date
    fail_fast: bool = False  # stop at the first failed file
    max_bytes: int = DEFAULT_MAX_BYTES  # larger files fail (one line) instead of loading
    use_memory: bool = True  # the SQLite translation memory
    memory_path: str | None = None  # None = memory.sqlite in the user cache folder

    def __post_init__(self) -> None:
        if self.patterns is not None and not self.patterns:
            raise UsageError("no --glob pattern", "pass --glob '*.txt'")
        check_range("--max-bytes", self.max_bytes, str(DEFAULT_MAX_BYTES))

    def file_patterns(self) -> tuple[str, ...]:
        """The globs a folder run reads: `patterns`, else those of every default reader."""
        if self.patterns is not None:
            return self.patterns
        from .inputs import default_patterns

        return default_patterns()


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a folder run goes with `--engine ray`."""

    address: str | None = None  # None: start a local Ray; "auto": join the running cluster
    workers: int | None = None  # translation actors; None: one per GPU, else CPUs / threads
    gpus_per_worker: float | None = None  # None: 1 when the cluster has GPUs, else 0 (CPU)
    articles_per_batch: int = 64  # articles an actor translates together (shared batches)

    def __post_init__(self) -> None:
        check_range("--workers", self.workers, "2")
        check_range("--gpus-per-worker", self.gpus_per_worker, "1 (or 0 for CPU actors)")
        if self.articles_per_batch < 1:
            raise UsageError("articles_per_batch must be at least 1", "pass 64")


MODES = ("full", "summary", "both")  # the translation, the summary, or both


@dataclass(frozen=True)
class Request:
    """What to make of an article, built once by the CLI or the caller and validated on
    construction: the model and decoding, `mode` (full translation, summary or both) with the
    summary's length, the output format, and strictness. Echoed in `Result.request`.

    `Request(mode="summary")` takes the default summary (3 sentences); `summary` options with
    `mode="full"` are refused rather than ignored.
    """

    model: ModelOptions = field(default_factory=lambda: ModelOptions())
    translate: TranslateOptions = field(default_factory=lambda: TranslateOptions())
    mode: str = "full"
    summary: SummaryOptions | None = None
    output: OutputOptions = field(default_factory=lambda: OutputOptions())
    strict: bool = False  # an input that is not French fails instead of warning

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"unknown mode {self.mode!r}", "use mode='full', 'summary' or 'both'")
        if self.mode == "full" and self.summary is not None:
            raise UsageError(
                "summary options with mode 'full'",
                "pass mode='summary' or mode='both' (--summary, --summary --full)",
            )
        if self.mode != "full" and self.summary is None:
            object.__setattr__(self, "summary", SummaryOptions())

    @property
    def full(self) -> bool:
        """Whether the whole article is translated (not the summary alone)."""
        return self.mode != "summary"

    def key(self, model: dict[str, Any]) -> dict[str, Any]:
        """The one list of what decides an output (a change makes a folder's files out of
        date). `model`: the engine as resolved for the run (id, revision, backend, device,
        precision, beams)."""
        key: dict[str, Any] = {
            "model": model,
            "max_sentence_tokens": self.translate.max_sentence_tokens,
            "headline": self.translate.headline,
            "min_confidence": self.translate.min_confidence,
            "summary": None if self.summary is None else vars(self.summary).copy(),
            "full": self.full,
            "strict": self.strict,
            "format": self.output.format,
            "keep_boilerplate": self.output.keep_boilerplate,
            "show_flags": self.output.show_flags,
        }
        names = self.translate.names_digest()
        if names is not None:  # absent when unused: keys of earlier versions still match
            key["names"] = names
        if self.output.bilingual:  # likewise
            key["bilingual"] = True
        return key
