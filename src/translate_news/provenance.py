"""How a translation was made: the typed record every result and folder report carries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# Fields of a record that do not change a translation: batch size, threads, our own version.
_NOT_DECIDING = {"max_batch_tokens", "translate_news", "threads", "inter_threads", "intra_threads"}


@dataclass(frozen=True)
class Made:
    """The model and engine behind a result, from the translator's provenance.

    The fields every engine reports are typed properties; `as_dict()` is the whole record
    (versions, batch size, decoding settings), the JSON `model` object unchanged.
    """

    record: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", MappingProxyType(dict(self.record)))

    @property
    def id(self) -> str | None:
        """Hub id, or the folder of a local model."""
        return self.record.get("id")

    @property
    def revision(self) -> str | None:
        """The hub revision (None for a local folder)."""
        return self.record.get("revision")

    @property
    def backend(self) -> str | None:
        """`ctranslate2` or `transformers` (or a registered one)."""
        return self.record.get("backend")

    @property
    def device(self) -> str | None:
        """`cpu`, `cuda`, `cuda:N`."""
        return self.record.get("device")

    @property
    def beams(self) -> int | None:
        """Beam size (1: greedy)."""
        return self.record.get("beams")

    @property
    def precision(self) -> str | None:
        """The numeric precision: CTranslate2's compute type, or the torch dtype."""
        return self.record.get("compute_type") or self.record.get("dtype")

    @property
    def version(self) -> str:
        """The translate-news version that made it."""
        return str(self.record.get("translate_news", "?"))

    def name(self) -> str:
        """`id@revision` for a hub model, the folder alone for a local one."""
        return f"{self.id}@{self.revision}" if self.revision else str(self.id)

    def describe(self) -> str:
        """`id@revision (backend, device, precision, beams N)`."""
        return (
            f"{self.name()} ({self.backend}, {self.device}, {self.precision or '?'}, "
            f"beams {self.beams})"
        )

    def engine(self) -> dict[str, Any]:
        """The engine as a folder run's key records it (see `Request.key`)."""
        return {
            "id": self.id,
            "revision": self.revision,
            "backend": self.backend,
            "device": self.device,
            "precision": self.precision,
            "beams": self.beams,
        }

    def translation_key(self) -> str:
        """What decides one sentence's translation (the translation memory's key): every
        field but batch size, threads and our version, the device by type (cuda:0 and cuda:1
        translate alike), as a stable string."""
        deciding = {k: v for k, v in self.record.items() if k not in _NOT_DECIDING}
        deciding["device"] = str(deciding.get("device", "")).split(":", 1)[0]
        return json.dumps(deciding, sort_keys=True, ensure_ascii=False)

    def as_dict(self) -> dict[str, Any]:
        """The whole record, as the JSON `model` object."""
        return dict(self.record)
