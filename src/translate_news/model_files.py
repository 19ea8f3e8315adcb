"""Whether a model folder holds what loading needs, readable and whole: each problem one
line naming the file and the fix (a cache damaged by a full disk, a half-copied folder)."""

from __future__ import annotations

from pathlib import Path

from .errors import ModelUnavailableError

_MODEL_FOLDER_FIX = "pass a folder with config.json, weights, source.spm, target.spm and vocab.json"


def check_model_folder(folder: Path) -> None:
    """One clear line when a folder is not a usable MarianMT model (before any library
    fails on it with a traceback): files present, config readable, vocabulary the size of
    the embedding matrix."""
    import json

    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(
            f"{folder}: not a MarianMT model folder (no config.json)", _MODEL_FOLDER_FIX
        )
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelUnavailableError(
            f"{folder}: config.json cannot be read ({error})", _MODEL_FOLDER_FIX
        ) from error
    if not isinstance(config, dict) or config.get("model_type") != "marian":
        kind = config.get("model_type") if isinstance(config, dict) else None
        raise ModelUnavailableError(
            f"{folder}: not a MarianMT model (model_type {kind!r})", _MODEL_FOLDER_FIX
        )
    weights = ("model.safetensors", "pytorch_model.bin")
    missing = [
        name for name in ("source.spm", "target.spm", "vocab.json") if not (folder / name).is_file()
    ]
    if not any((folder / name).is_file() for name in weights):
        missing.append("model.safetensors or pytorch_model.bin")
    if missing:
        raise ModelUnavailableError(
            f"{folder}: the model folder lacks {', '.join(missing)}", _MODEL_FOLDER_FIX
        )
    _check_readable_files(folder)
    if config.get("separate_vocabs"):
        return
    try:
        tokens = len(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise ModelUnavailableError(
            f"{folder}: vocab.json cannot be read ({error})", _MODEL_FOLDER_FIX
        ) from error
    if tokens != config.get("vocab_size"):
        raise ModelUnavailableError(
            f"{folder}: vocab.json has {tokens} tokens but the model's embeddings have "
            f"{config.get('vocab_size')} rows (config.json vocab_size)",
            "use the vocab.json that was trained with these weights",
        )


_REFETCH_FIX = "fetch the model again (translate-news models download) or restore the file"


def _check_readable_files(folder: Path) -> None:
    """What each engine reads besides config.json, checked the way it will read it: the
    tokenizers load, the weights are as long as their header says, the generation config
    is JSON. A damaged file is then one true line instead of a library's traceback."""
    import json

    import sentencepiece

    for name in ("source.spm", "target.spm"):
        try:
            sentencepiece.SentencePieceProcessor(model_file=str(folder / name))
        except (RuntimeError, OSError) as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            raise ModelUnavailableError(
                f"{folder / name}: not a sentencepiece model ({reason})", _REFETCH_FIX
            ) from error
    generation = folder / "generation_config.json"
    if generation.is_file():
        try:
            json.loads(generation.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelUnavailableError(
                f"{generation}: cannot be read as JSON ({error})", _REFETCH_FIX
            ) from error
    weights = folder / "model.safetensors"
    if weights.is_file():
        problem = _safetensors_problem(weights)
        if problem is not None:
            raise ModelUnavailableError(f"{weights}: {problem}", _REFETCH_FIX)


def _safetensors_problem(path: Path) -> str | None:
    """Why a safetensors file is damaged (truncated, bad header), or None. Reads only its
    header: 8 bytes of length, a JSON table of tensors and their byte offsets."""
    import json
    import struct

    size = path.stat().st_size
    with path.open("rb") as stream:
        start = stream.read(8)
        if len(start) < 8:
            return f"truncated ({size} bytes)"
        (header_length,) = struct.unpack("<Q", start)
        if header_length > size - 8:
            return f"truncated (its header needs {header_length:,} bytes, {size - 8:,} remain)"
        try:
            header = json.loads(stream.read(header_length))
        except ValueError:
            return "its header is not valid"
    if not isinstance(header, dict):
        return "its header is not valid"
    ends = [
        entry["data_offsets"][1]
        for key, entry in header.items()
        if key != "__metadata__" and isinstance(entry, dict) and "data_offsets" in entry
    ]
    needed = 8 + header_length + max(ends, default=0)
    if size < needed:
        return f"truncated ({size:,} of {needed:,} bytes)"
    return None
