"""MarianMT through transformers and torch: the reference backend."""

from __future__ import annotations

from typing import Any

from ..models import ResolvedModel, load_marian
from ..options import ModelOptions, TranslateOptions, available_cpus
from ..text.normalize import encodable
from .base import NO_REPEATS, BatchedBackend, confidence_of, pick_device
from .registry import Backend


def resolve_device(requested: str) -> str:
    """The torch device for `--device` (see `pick_device`)."""
    import torch

    return pick_device(requested, torch.cuda.device_count() if torch.cuda.is_available() else 0)


def device_and_dtype(model_options: ModelOptions) -> tuple[str, str]:
    """The device and torch dtype name `TransformersTranslator.load` picks: fp16 on CUDA."""
    device = resolve_device(model_options.device)
    return device, "float16" if device.startswith("cuda") else "float32"


class TransformersTranslator(BatchedBackend):
    """Batched, length-sorted `generate` on a MarianMTModel (fp16 on CUDA, fp32 on CPU)."""

    name = "transformers"
    default_batch_tokens = 4096  # tokens x beams; measured best, see benchmarks/

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        spec: ResolvedModel,
        device: str,
        options: TranslateOptions,
    ) -> None:
        beams = options.beams or model.generation_config.num_beams or 1
        limit = min(model.config.max_position_embeddings, tokenizer.model_max_length)
        super().__init__(spec, device, options, beams, limit)
        self.tokenizer = tokenizer
        self.model = model
        self.pad_id = tokenizer.pad_token_id

    @classmethod
    def load(cls, model_options: ModelOptions, options: TranslateOptions) -> TransformersTranslator:
        """Resolve, load and place the model on its device."""
        import torch

        spec = model_options.resolved()
        device, dtype = device_and_dtype(model_options)
        if device == "cpu":
            torch.set_num_threads(model_options.threads or available_cpus())
        tokenizer, model = load_marian(spec)
        model = model.to(device=device, dtype=getattr(torch, dtype)).eval()
        return cls(tokenizer, model, spec, device, options)

    def count_tokens(self, text: str) -> int:
        """Source tokens, end-of-sentence included."""
        return len(self.tokenizer(encodable(text)).input_ids)

    def provenance(self) -> dict[str, Any]:
        """Model, backend, device and decoding settings behind every translation."""
        return self._provenance(
            dtype=str(self.model.dtype).removeprefix("torch."),
            transformers=_package_version("transformers"),
        )

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate in token-sized batches sorted by length; results in input order."""
        return [text for text, _ in self._translate(sentences, {}, scored=False)]

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float]]:
        """Translations and the model's confidence in each (`confidence_of`): the output is
        scored by the same model, teacher-forced, so both engines measure it alike.
        `avoid_repeats`: the second try for a looping output (NO_REPEATS settings)."""
        extra = dict(NO_REPEATS) if avoid_repeats else {}
        return [(text, float(score)) for text, score in self._translate(sentences, extra, True)]

    def translate_alternatives(self, sentences: list[str], count: int) -> list[list[str]]:
        """The `count` best translations of each sentence, best first (a beam search at least
        `count` wide)."""
        if not sentences:
            return []
        token_ids = self.tokenizer(sentences).input_ids
        lengths = [len(ids) for ids in token_ids]
        found: list[list[str]] = [[] for _ in sentences]
        for batch in self._batches(lengths):
            ids = [token_ids[index] for index in batch]
            outputs = self._generate(ids, {}, False, max(self.beams, count), count)
            for row, index in enumerate(batch):
                found[index] = [text for text, _ in outputs[row * count : (row + 1) * count]]
        return found

    def _translate(
        self, sentences: list[str], extra: dict[str, Any], scored: bool
    ) -> list[tuple[str, float]]:
        if not sentences:
            return []
        token_ids = self.tokenizer(sentences).input_ids
        results: list[tuple[str, float]] = [("", 0.0)] * len(sentences)
        lengths = [len(ids) for ids in token_ids]
        for batch in self._batches(lengths):
            outputs = self._generate([token_ids[index] for index in batch], extra, scored)
            for index, output in zip(batch, outputs, strict=True):
                results[index] = output
            self._report(batch, lengths)
        return results

    def _generate(
        self,
        batch_ids: list[list[int]],
        extra: dict[str, Any],
        scored: bool,
        beams: int | None = None,
        returned: int = 1,
    ) -> list[tuple[str, float]]:
        """(text, confidence) of the `returned` best outputs of each row, row by row."""
        import torch

        beams = beams or self.beams
        width = max(len(ids) for ids in batch_ids)
        input_ids = torch.full((len(batch_ids), width), self.pad_id, dtype=torch.long)
        attention_mask = torch.zeros((len(batch_ids), width), dtype=torch.long)
        for row, ids in enumerate(batch_ids):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            attention_mask[row, : len(ids)] = 1
        shortest, longest = self._output_bounds([len(ids) for ids in batch_ids])
        bounds = _LengthBounds(shortest, longest, beams, self.model.config.eos_token_id)
        with torch.inference_mode():
            generated = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=attention_mask.to(self.device),
                num_beams=beams,
                num_return_sequences=returned,
                # For an encoder-decoder model max_length counts decoder tokens, start included;
                # passing max_new_tokens instead makes transformers warn about the config's 512.
                max_length=max(longest) + 2,
                logits_processor=[bounds],
                **extra,
            )
            texts = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            if not scored:
                return [(text, 0.0) for text in texts]
            scores = self._confidences(input_ids, attention_mask, generated)
        return list(zip(texts, scores, strict=True))

    def _confidences(self, input_ids: Any, attention_mask: Any, generated: Any) -> list[float]:
        """Teacher-forced log-probabilities of each generated sequence, end token included."""
        import torch

        decoder_input, labels = generated[:, :-1], generated[:, 1:]
        logits = self.model(
            input_ids=input_ids.to(self.device),
            attention_mask=attention_mask.to(self.device),
            decoder_input_ids=decoder_input,
        ).logits.float()
        picked = torch.log_softmax(logits, dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
        eos = self.model.config.eos_token_id
        ended_before = torch.cumsum((labels == eos).long(), dim=1) - (labels == eos).long()
        keep = ended_before == 0  # every token up to and including the first end token
        return [
            confidence_of(row[mask].tolist())
            for row, mask in zip(picked.cpu(), keep.cpu(), strict=True)
        ]


class _LengthBounds:
    """Logits processor: no </s> before a row's minimum, only </s> once it reaches its maximum."""

    def __init__(self, shortest: list[int], longest: list[int], beams: int, eos_id: int) -> None:
        import torch

        self.shortest = torch.tensor(shortest).repeat_interleave(beams)
        self.longest = torch.tensor(longest).repeat_interleave(beams)
        self.eos_id = eos_id

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        produced = input_ids.shape[1] - 1  # the decoder start token is not output
        too_short = (self.shortest > produced).to(scores.device)
        scores[too_short, self.eos_id] = -torch.inf
        must_end = (self.longest <= produced).to(scores.device)
        if must_end.any():
            scores[must_end] = -torch.inf
            scores[must_end, self.eos_id] = 0.0
        return scores


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return None


def _load(model_options: ModelOptions, options: TranslateOptions) -> TransformersTranslator:
    return TransformersTranslator.load(model_options, options)


BACKEND = Backend(
    "transformers", _load, plan=device_and_dtype, auto_rank=2
)  # the reference, and where `auto` falls back
