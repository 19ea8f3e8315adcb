"""The `confidence` check: the model scored its translation under `--min-confidence`."""

from __future__ import annotations

from ..document import Flag
from . import Check, Checked


def check_confidence(pair: Checked) -> list[Flag]:
    """A flag when the engine gave a confidence and it is under the threshold asked for."""
    threshold, confidence = pair.min_confidence, pair.confidence
    if threshold is None or confidence is None or confidence >= threshold:
        return []
    return [Flag("confidence", f"the model's confidence {confidence:.2f} is under {threshold:g}")]


CHECK = Check("confidence", check_confidence)
