"""How a translation was made, in words: one place reads the provenance record."""

from __future__ import annotations

from typing import Any


def precision_of(model: dict[str, Any]) -> str | None:
    """The numeric precision: CTranslate2's compute type, or the torch dtype."""
    return model.get("compute_type") or model.get("dtype")


def model_name(model: dict[str, Any]) -> str:
    """`id@revision` for a hub model, the folder alone for a local one."""
    revision = model.get("revision")
    return f"{model.get('id')}@{revision}" if revision else str(model.get("id"))


def describe_model(model: dict[str, Any]) -> str:
    """`id@revision (backend, device, precision, beams N)`."""
    return (
        f"{model_name(model)} ({model.get('backend')}, {model.get('device')}, "
        f"{precision_of(model) or '?'}, beams {model.get('beams')})"
    )
