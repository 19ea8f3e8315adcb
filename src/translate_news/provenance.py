"""How a translation was made: the typed record every result and folder report carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


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

    def as_dict(self) -> dict[str, Any]:
        """The whole record, as the JSON `model` object."""
        return dict(self.record)
