"""Build MarianMT models with random weights, for tests and benchmarks (no download).

A sentencepiece model is trained on the given French and English text, a `MarianConfig` of
the requested size is filled with seeded random weights, and everything is saved in the
layout of a Helsinki-NLP opus-mt repository. `install_in_hf_cache` places such a folder where
huggingface_hub caches a hub id, so the real loading path (hub id -> cache) is exercised.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

# Helsinki-NLP/opus-mt-fr-en, as in its config.json.
OPUS_MT_FR_EN_ARCHITECTURE: dict[str, Any] = {
    "vocab_size": 59514,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "activation_function": "swish",
    "max_position_embeddings": 512,
    "scale_embedding": True,
    "static_position_embeddings": True,
    "share_encoder_decoder_embeddings": True,
}
TINY_ARCHITECTURE: dict[str, Any] = {
    "d_model": 16,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 32,
    "decoder_ffn_dim": 32,
    "activation_function": "swish",
    "max_position_embeddings": 512,
    "scale_embedding": True,
    "static_position_embeddings": True,
    "share_encoder_decoder_embeddings": True,
}
SPECIAL_TOKENS = ("</s>", "<unk>")  # ids 0 and 1, as in opus-mt; <pad> is the last id


def train_sentencepiece(lines: Iterable[str], vocab_size: int) -> bytes:
    """Train a unigram sentencepiece model and return its serialized bytes."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()]),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(model_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=model_bytes)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def build_marian_model(
    folder: Path,
    source_lines: list[str],
    target_lines: list[str],
    architecture: dict[str, Any] | None = None,
    spm_vocab_size: int = 400,
    seed: int = 0,
) -> Path:
    """Save a random-weight MarianMT model with its tokenizer files into `folder`."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    architecture = dict(architecture or TINY_ARCHITECTURE)
    folder.mkdir(parents=True, exist_ok=True)
    source_spm = train_sentencepiece(source_lines, spm_vocab_size)
    target_spm = train_sentencepiece(target_lines, spm_vocab_size)
    (folder / "source.spm").write_bytes(source_spm)
    (folder / "target.spm").write_bytes(target_spm)
    vocab: dict[str, int] = {token: i for i, token in enumerate(SPECIAL_TOKENS)}
    for piece in _pieces(source_spm) + _pieces(target_spm):
        vocab.setdefault(piece, len(vocab))
    size = max(architecture.get("vocab_size", 0), len(vocab) + 1)
    while len(vocab) < size - 1:  # filler so that ids match the real vocabulary size
        vocab[f"<filler_{len(vocab)}>"] = len(vocab)
    pad_id = len(vocab)
    vocab["<pad>"] = pad_id
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    architecture["vocab_size"] = pad_id + 1
    config = MarianConfig(
        **architecture,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=0,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad_id,
    )
    model.save_pretrained(folder)
    tokenizer = MarianTokenizer(
        str(folder / "source.spm"),
        str(folder / "target.spm"),
        str(folder / "vocab.json"),
        source_lang="fr",
        target_lang="en",
    )
    tokenizer.save_pretrained(folder)
    return folder


def install_in_hf_cache(folder: Path, hf_home: Path, repo_id: str, revision: str = "main") -> Path:
    """Copy a model folder into the Hugging Face cache layout under `hf_home` for `repo_id`."""
    repo_dir = hf_home / "hub" / f"models--{repo_id.replace('/', '--')}"
    commit = hashlib.sha1(f"{repo_id}@{revision}".encode()).hexdigest()
    snapshot = repo_dir / "snapshots" / commit
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(folder, snapshot)
    (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
    (repo_dir / "refs" / revision).write_text(commit)
    return snapshot


class MarkingTranslator:
    """A stand-in translator: `EN<sentence>`, exact and instant (tests, Ray plumbing checks).

    Records each call; `delay_s` slows every call down and `pid_folder` gets one empty file per
    process that builds one, so tests can find (and kill) the Ray actors that hold it;
    `unavailable` makes building one fail as a model that cannot load does.
    """

    name = "fake"

    def __init__(
        self, delay_s: float = 0.0, pid_folder: str | None = None, unavailable: str | None = None
    ) -> None:
        if unavailable is not None:
            from .errors import ModelUnavailableError

            raise ModelUnavailableError(unavailable, "run translate-news models download")
        self.calls: list[list[str]] = []
        self.delay_s = delay_s
        if pid_folder is not None:
            import os

            (Path(pid_folder) / str(os.getpid())).touch()

    def translate(self, sentences: list[str]) -> list[str]:
        """`EN<s>` for each sentence."""
        import time

        self.calls.append(list(sentences))
        if self.delay_s:
            time.sleep(self.delay_s)
        return [f"EN<{sentence}>" for sentence in sentences]

    def count_tokens(self, text: str) -> int:
        """Words, plus the end of sentence."""
        return len(text.split()) + 1

    PROVENANCE: ClassVar[dict[str, Any]] = {
        "id": "fake/model",
        "revision": "main",
        "backend": "fake",
        "device": "cpu",
        "beams": 1,
    }

    def provenance(self) -> dict[str, Any]:
        """A fixed provenance."""
        return dict(self.PROVENANCE)


@contextmanager
def backends_replaced_by(
    make: Callable[[], Any], provenance: dict[str, Any] | None = None
) -> Iterator[None]:
    """Every backend (so `auto` too) loads `make()` while inside: registered through the same
    seam as the real ones, restored on the way out. Planned without loading, as real backends
    are: the engine is `provenance`'s (else that of one `make()`)."""
    from dataclasses import replace

    from .backends import BACKENDS
    from .provenance import Made

    def engine(*_: Any) -> dict[str, Any]:
        return Made(provenance or make().provenance()).engine()

    saved = BACKENDS.records()
    try:
        for record in saved:
            BACKENDS.register(replace(record, load=lambda *_: make(), engine=engine))
        yield
    finally:
        for record in saved:
            BACKENDS.register(record)
