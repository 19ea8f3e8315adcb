"""The backend seam, and the batching rules every backend shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import DeviceError
from ..models import ResolvedModel
from ..options import TranslateOptions
from ..version import __version__

# A second try for a looping output (both engines take these names): no 3-token phrase twice,
# repeated tokens made less likely.
NO_REPEATS: tuple[tuple[str, float], ...] = (
    ("no_repeat_ngram_size", 3),
    ("repetition_penalty", 1.2),
)
MIN_OUTPUT_TOKENS = 10
OUTPUT_TOKENS_PER_INPUT_TOKEN = 2


@runtime_checkable
class Translator(Protocol):
    """Anything that turns model-ready French sentences into English ones, in order."""

    name: str

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate each sentence; the result has the same length and order."""
        ...

    def count_tokens(self, text: str) -> int:
        """Source tokens the model would see for `text` (end-of-sentence included)."""
        ...

    def provenance(self) -> dict[str, Any]:
        """How results are made: {id, revision, backend, device, ...decoding settings}."""
        ...


@dataclass(frozen=True)
class Capabilities:
    """What a translator can do beyond `translate`, declared (never probed)."""

    scores: bool = False  # translate_with_confidence gives each translation a confidence
    avoids_repeats: bool = False  # translate_with_confidence(avoid_repeats=True) decodes anew
    reports_batches: bool = False  # calls `batch_done(sentences, tokens)` after each batch
    alternatives: bool = False  # translate_alternatives(sentences, count) gives the n-best


NO_CAPABILITIES = Capabilities()


@runtime_checkable
class ScoringTranslator(Translator, Protocol):
    """A translator with declared capabilities and the scored call they describe."""

    capabilities: Capabilities

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float | None]]:
        """(translation, confidence in [0, 1] or None) per sentence; `avoid_repeats`: a second
        try for a looping output, with settings that prevent loops."""
        ...


def capabilities_of(translator: Translator) -> Capabilities:
    """The capabilities a translator declares (none if it declares none)."""
    declared = getattr(translator, "capabilities", None)
    return declared if isinstance(declared, Capabilities) else NO_CAPABILITIES


@contextmanager
def reporting_batches(
    translator: Translator, callback: Callable[[int, int], None]
) -> Iterator[None]:
    """`callback(sentences, source_tokens)` after each batch the translator decodes while
    inside (a translator that does not declare `reports_batches` reports nothing)."""
    if not capabilities_of(translator).reports_batches:
        yield
        return
    reporter: Any = translator
    reporter.batch_done = callback
    try:
        yield
    finally:
        reporter.batch_done = None


def translate_scored(
    translator: Translator, sentences: list[str], avoid_repeats: bool = False
) -> list[tuple[str, float | None]]:
    """Translations with the model's confidence where the translator scores (else None);
    `avoid_repeats` is asked only of a translator that declares it."""
    if not sentences:
        return []
    capabilities = capabilities_of(translator)
    if capabilities.scores or (avoid_repeats and capabilities.avoids_repeats):
        scoring: Any = translator
        repeats = avoid_repeats and capabilities.avoids_repeats
        return list(scoring.translate_with_confidence(sentences, avoid_repeats=repeats))
    return [(text, None) for text in translator.translate(sentences)]


def translate_alternatives(
    translator: Translator, sentences: list[str], count: int
) -> list[list[str]]:
    """Up to `count` translations of each sentence, best first (the engine's n-best where it
    declares `alternatives`, else its one translation)."""
    if not sentences:
        return []
    if capabilities_of(translator).alternatives:
        ranked: Any = translator
        return [list(found) for found in ranked.translate_alternatives(sentences, count)]
    return [[text] for text in translator.translate(sentences)]


def confidence_of(log_probs: Sequence[float]) -> float:
    """A translation's confidence in [0, 1]: exp of the mean log-probability of its tokens,
    end-of-sentence included (the geometric mean of the token probabilities)."""
    import math

    if not log_probs:
        return 0.0
    return math.exp(sum(log_probs) / len(log_probs))


def output_token_limit(input_tokens: int, model_limit: int) -> int:
    """Most tokens a translation may have: enough for French -> English, never a runaway loop."""
    return min(model_limit, OUTPUT_TOKENS_PER_INPUT_TOKEN * input_tokens + MIN_OUTPUT_TOKENS)


def token_batches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Group indices into batches of at most `max_tokens` padded tokens, longest first.

    Sorting by length keeps padding (wasted work) small; the longest batch comes first so a
    memory problem shows up at once rather than at the end of a long run.
    """
    order = sorted(range(len(lengths)), key=lambda index: lengths[index], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        width = max(longest, lengths[index])
        if current and width * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, width = [], lengths[index]
        current.append(index)
        longest = width
    if current:
        batches.append(current)
    return batches


def even_batches(lengths: Sequence[int], workers: int) -> list[list[int]]:
    """A small job as at most `workers` length-sorted batches, as even as can be.

    Decoding time follows each batch's longest sentence, so a job that fits in a few batches
    finishes soonest when every worker gets one batch, the longest sentences together, and the
    largest padded size (longest x count) is as small as possible: the smallest budget for
    which `token_batches` makes no more than `workers` batches (binary search).
    """
    if not lengths:
        return []
    low, high = max(lengths), max(lengths) * len(lengths)
    while low < high:
        middle = (low + high) // 2
        if len(token_batches(lengths, middle)) <= workers:
            high = middle
        else:
            low = middle + 1
    return token_batches(lengths, low)


def pick_device(requested: str, cuda_devices: int) -> str:
    """`auto` -> `cuda:0` when a GPU is visible, else `cpu`; a missing GPU is an error."""
    if requested == "cpu" or (requested == "auto" and cuda_devices == 0):
        return "cpu"
    if requested == "auto":
        return "cuda:0"
    if cuda_devices == 0:
        raise DeviceError(
            f"--device {requested}: no CUDA GPU is visible", "use --device cpu or auto"
        )
    index = int(requested.split(":", 1)[1]) if ":" in requested else 0
    if index >= cuda_devices:
        raise DeviceError(
            f"--device {requested}: only {cuda_devices} CUDA device(s) exist",
            "use --device cuda:0 or auto",
        )
    return f"cuda:{index}"


class BatchedBackend:
    """What both backends share: settings, provenance, batch budget, output bounds."""

    name: str
    default_batch_tokens: int  # tokens x beams; each backend's measured best
    capabilities = Capabilities(
        scores=True, avoids_repeats=True, reports_batches=True, alternatives=True
    )
    batch_done: Callable[[int, int], None] | None = None  # see `reporting_batches`

    def __init__(
        self, spec: ResolvedModel, device: str, options: TranslateOptions, beams: int, limit: int
    ) -> None:
        self.spec = spec
        self.device = device
        self.options = options
        self.batch_tokens = options.max_batch_tokens or self.default_batch_tokens
        self.beams = beams
        self.model_limit = limit

    def _provenance(self, **engine: Any) -> dict[str, Any]:
        """The common provenance fields, then the engine's own."""
        return {
            "id": self.spec.id,
            "revision": self.spec.revision,
            "backend": self.name,
            "device": self.device,
            **engine,
            "beams": self.beams,
            "max_batch_tokens": self.batch_tokens,
            "translate_news": __version__,
        }

    def _report(self, batch: list[int], lengths: list[int]) -> None:
        """A batch is decoded: tell whoever watches (a progress bar)."""
        if self.batch_done is not None:
            self.batch_done(len(batch), sum(lengths[index] for index in batch))

    def _batches(self, lengths: list[int], most_tokens: int | None = None) -> list[list[int]]:
        """Length-sorted batches within the budget (beam hypotheses count as tokens)."""
        budget = self.batch_tokens // self.beams
        if most_tokens is not None:
            budget = min(budget, most_tokens)
        return token_batches(lengths, max(1, budget))

    def _output_bounds(self, input_lengths: list[int]) -> tuple[list[int], list[int]]:
        """(fewest, most) output tokens per sentence, end-of-sentence excluded.

        Each sentence gets its own bound (`output_token_limit`). Benchmarks override this to
        force output lengths.
        """
        return [0] * len(input_lengths), [
            output_token_limit(length, self.model_limit) for length in input_lengths
        ]
