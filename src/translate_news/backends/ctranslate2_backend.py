"""MarianMT through CTranslate2: int8 on CPU, float16 on CUDA, same decoding as transformers.

The Hugging Face model is converted once with CTranslate2's own converter into a cache folder
keyed by model, revision and quantization. A conversion is built in a temporary folder and
renamed into place when complete, so a crash or two concurrent runs never leave a broken one;
a folder without its completion marker, or that fails to load, is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ConversionError, ModelUnavailableError, UsageError
from ..models import (
    ResolvedModel,
    beams_of,
    cache_root,
    model_folder,
    quiet_weight_loading,
)
from ..options import ModelOptions, TranslateOptions, available_cpus
from ..text.normalize import encodable
from .base import NO_REPEATS, BatchedBackend, confidence_of, even_batches, pick_device
from .registry import Backend

MARKER = "translate_news.json"  # written last: its presence means the conversion is complete
# Tokenizer and decoding settings travel with the conversion (config.json is CTranslate2's own).
COPIED_FILES = {
    "source.spm": "source.spm",
    "target.spm": "target.spm",
    "config.json": "hf_config.json",
    "generation_config.json": "generation_config.json",
}

log = logging.getLogger("translate_news")


def cpu_thread_layout(threads: int) -> dict[str, int]:
    """Workers x threads each: on few cores, one single-threaded worker per core wins.

    Measured on 2 cores (benchmarks/translate_speed.py): 2 workers x 1 thread decode 1.5x
    (beam 4) and 1.3x (greedy) the tokens/s of 1 worker x 2 threads. Workers are capped at 4
    because each holds its own decoding state (memory grows with them).
    """
    workers = min(threads, 4)
    return {"inter_threads": workers, "intra_threads": max(1, threads // workers)}


def default_compute_type(device: str) -> str:
    """int8 on CPU (fastest there), float16 on CUDA."""
    return "float16" if device.startswith("cuda") else "int8"


def _conversion_key(spec: ResolvedModel, folder: Path, quantization: str) -> str:
    if spec.is_local:  # a local folder can change: key it by its files' sizes and times
        stats = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())
        origin = f"{spec.id}|{stats}"
    else:  # a hub snapshot folder is named by its commit hash
        origin = f"{spec.id}@{folder.name}"
    digest = hashlib.sha256(f"{origin}|{quantization}".encode()).hexdigest()[:16]
    readable = Path(spec.id).name if spec.is_local else spec.id.replace("/", "--")
    return f"{readable}-{quantization}-{digest}"


def _is_complete(folder: Path) -> bool:
    return (folder / MARKER).is_file() and (folder / "model.bin").is_file()


def converted_model(spec: ResolvedModel, quantization: str, rebuild: bool = False) -> Path:
    """The CTranslate2 conversion of `spec` at `quantization`, converting it on first use."""
    source = model_folder(spec)
    target = cache_root() / "ctranslate2" / _conversion_key(spec, source, quantization)
    if rebuild or (target.exists() and not _is_complete(target)):
        shutil.rmtree(target, ignore_errors=True)
    if _is_complete(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting %s for CTranslate2 (%s), once", spec.describe(), quantization)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _convert(source, building, quantization)
        (building / MARKER).write_text(
            json.dumps({"model": spec.id, "snapshot": str(source), "quantization": quantization}),
            encoding="utf-8",
        )
        try:
            building.rename(target)
        except OSError:
            if not _is_complete(target):  # not a concurrent run that finished first
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def _convert(source: Path, destination: Path, quantization: str) -> None:
    from ctranslate2.converters import TransformersConverter

    try:
        with quiet_weight_loading():
            TransformersConverter(str(source)).convert(
                str(destination), quantization=quantization, force=True
            )
    except Exception as error:  # the converter raises many kinds
        raise ConversionError(
            f"{source}: CTranslate2 cannot convert this model ({type(error).__name__}: {error})",
            "use --backend transformers",
        ) from error
    for name, copy in COPIED_FILES.items():
        if (source / name).is_file():
            shutil.copy2(source / name, destination / copy)


def device_and_compute_type(model_options: ModelOptions) -> tuple[str, str]:
    """The device and compute type `CTranslate2Translator.load` picks for these options."""
    import ctranslate2

    device = pick_device(model_options.device, ctranslate2.get_cuda_device_count())
    return device, model_options.compute_type or default_compute_type(device)


# Target tokens per scoring batch. Scoring computes the log-probabilities of the whole
# vocabulary at every target position at once (59,514 floats a token for opus-mt): at the
# decoding budget of 2,048 tokens that is 490 MB for one batch (README: Benchmarks).
SCORE_BATCH_TOKENS = 64


class CTranslate2Translator(BatchedBackend):
    """Token-sized, length-sorted batches through `ctranslate2.Translator.translate_batch`."""

    name = "ctranslate2"
    default_batch_tokens = 2048  # tokens x beams; measured best, see benchmarks/

    def __init__(
        self,
        translator: Any,
        folder: Path,
        spec: ResolvedModel,
        device: str,
        compute_type: str,
        options: TranslateOptions,
        workers: int = 1,
    ) -> None:
        import sentencepiece

        generation = _read_json(folder / "generation_config.json")
        config = _read_json(folder / "hf_config.json")
        beams = options.beams or beams_of(generation, config)
        limit = int(config.get("max_position_embeddings", 512))
        super().__init__(spec, device, options, beams, limit)
        self.translator = translator
        self.compute_type = compute_type
        self.length_penalty = float(generation.get("length_penalty", 1.0))
        self.source_spm = sentencepiece.SentencePieceProcessor(
            model_file=str(folder / "source.spm")
        )
        self.target_spm = sentencepiece.SentencePieceProcessor(
            model_file=str(folder / "target.spm")
        )
        self.eos = "</s>"
        self.workers = workers

    @classmethod
    def load(cls, model_options: ModelOptions, options: TranslateOptions) -> CTranslate2Translator:
        """Resolve, convert (once) and load the model."""
        import ctranslate2

        spec = model_options.resolved()
        device, compute_type = device_and_compute_type(model_options)
        kind, _, index = device.partition(":")
        settings = {
            "device": kind,
            "device_index": int(index or 0),
            "compute_type": compute_type,
            **cpu_thread_layout(model_options.threads or available_cpus() if kind == "cpu" else 1),
        }
        folder = converted_model(spec, compute_type)
        try:
            translator = ctranslate2.Translator(str(folder), **settings)
        except (RuntimeError, ValueError) as error:
            if "compute type" in str(error) or "not support" in str(error):
                raise UsageError(
                    f"--compute-type {compute_type} is not supported on {device}: {error}",
                    "choose another --compute-type (int8 or float32 on CPU)",
                ) from error
            folder = converted_model(spec, compute_type, rebuild=True)  # a corrupt cache
            try:
                translator = ctranslate2.Translator(str(folder), **settings)
            except (RuntimeError, ValueError) as again:
                raise ModelUnavailableError(
                    f"{spec.describe()}: CTranslate2 cannot load its conversion ({again})",
                    "use --backend transformers",
                ) from again
        workers = settings["inter_threads"]
        return cls(translator, folder, spec, device, compute_type, options, workers)

    def count_tokens(self, text: str) -> int:
        """Source tokens, end-of-sentence included."""
        return len(self.source_spm.encode(encodable(text))) + 1

    def provenance(self) -> dict[str, Any]:
        """Model, backend, device and decoding settings behind every translation."""
        import ctranslate2

        return self._provenance(
            compute_type=self.compute_type,
            length_penalty=self.length_penalty,
            ctranslate2=ctranslate2.__version__,
        )

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate in token-sized batches sorted by length; results in input order.

        Batches are submitted asynchronously, so that each CPU worker (`inter_threads`)
        decodes its own batch.
        """
        return [self._detokenize(pieces) for pieces in self._translate(sentences, {})[1]]

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float]]:
        """Translations and the model's confidence in each (`confidence_of`): the output is
        scored by the same model, teacher-forced, so both engines measure it alike.
        `avoid_repeats`: the second try for a looping output (NO_REPEATS settings)."""
        sources, outputs = self._translate(sentences, dict(NO_REPEATS) if avoid_repeats else {})
        texts = [self._detokenize(pieces) for pieces in outputs]
        scored = self.translator.score_batch(
            sources, outputs, max_batch_size=SCORE_BATCH_TOKENS, batch_type="tokens"
        )
        return [
            (text, confidence_of(result.log_probs))
            for text, result in zip(texts, scored, strict=True)
        ]

    def translate_alternatives(self, sentences: list[str], count: int) -> list[list[str]]:
        """The `count` best translations of each sentence, best first (a beam search at least
        `count` wide)."""
        if not sentences:
            return []
        tokens = [[*self.source_spm.encode(s, out_type=str), self.eos] for s in sentences]
        shortest, longest = self._output_bounds([len(t) for t in tokens])
        beams = max(self.beams, count)
        found = self.translator.translate_batch(
            tokens,
            beam_size=beams,
            num_hypotheses=count,
            length_penalty=self.length_penalty,
            max_decoding_length=max(longest),
            min_decoding_length=min(shortest),
            max_batch_size=max(1, self.batch_tokens // beams),
            batch_type="tokens",
        )
        return [
            [self._detokenize(pieces[:limit]) for pieces in result.hypotheses]
            for result, limit in zip(found, longest, strict=True)
        ]

    def _translate(
        self, sentences: list[str], extra: dict[str, Any]
    ) -> tuple[list[list[str]], list[list[str]]]:
        """Source pieces and output pieces (end token excluded) of each sentence."""
        if not sentences:
            return [], []
        tokens = [[*self.source_spm.encode(s, out_type=str), self.eos] for s in sentences]
        lengths = [len(t) for t in tokens]
        batches = self.plan_batches(lengths)
        pending = [self._submit([tokens[index] for index in batch], extra) for batch in batches]
        results: list[list[str]] = [[] for _ in sentences]
        for batch, (futures, limits) in zip(batches, pending, strict=True):
            for index, future, limit in zip(batch, futures, limits, strict=True):
                # The bound is per call: cut each sentence at its own (exact for greedy).
                results[index] = future.result().hypotheses[0][:limit]
            self._report(batch, lengths)
        return tokens, results

    def plan_batches(self, lengths: list[int]) -> list[list[int]]:
        """Length-sorted batches for the workers (`inter_threads`), submitted together.

        A handful of sentences (a summary) is latency-bound: a decoding step costs about
        6.7 ms plus 0.7 ms a hypothesis here, so the number of steps on the busiest worker
        decides, and one even batch per worker is best (the example's summary, random-weight
        opus-mt-fr-en, 2 workers, beam 4: 1.3 -> 1.1 s). More sentences are work-bound: the
        budget's batches, capped so that a small article still spreads over every worker
        (even batches measured 10-15% slower on the full example article).
        """
        if len(lengths) <= 2 * self.workers:
            return even_batches(lengths, self.workers)
        return self._batches(lengths, math.ceil(sum(lengths) / self.workers))

    def _submit(self, batch: list[list[str]], extra: dict[str, Any]) -> tuple[list[Any], list[int]]:
        shortest, longest = self._output_bounds([len(tokens) for tokens in batch])
        futures = self.translator.translate_batch(
            batch,
            beam_size=self.beams,
            length_penalty=self.length_penalty,
            max_decoding_length=max(longest),
            min_decoding_length=min(shortest),
            asynchronous=True,
            **extra,
        )
        return futures, longest

    def _detokenize(self, pieces: list[str]) -> str:
        # As MarianTokenizer does: the shared vocabulary holds source pieces the target
        # sentencepiece model does not know, and it leaves their word marks in place.
        return self.target_spm.decode_pieces(pieces).replace("\u2581", " ").strip()


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def ctranslate2_installed() -> bool:
    """Whether the ctranslate2 package can be imported."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def _load(model_options: ModelOptions, options: TranslateOptions) -> CTranslate2Translator:
    if not ctranslate2_installed():
        raise ModelUnavailableError(
            "--backend ctranslate2: the ctranslate2 package is not installed",
            "pip install ctranslate2, or use --backend transformers",
        )
    return CTranslate2Translator.load(model_options, options)


BACKEND = Backend(
    "ctranslate2",
    _load,
    installed=ctranslate2_installed,
    plan=device_and_compute_type,
    auto_rank=1,  # the fast engine first; a model it cannot convert goes to the next
    gives_way_on=(ConversionError,),
)
