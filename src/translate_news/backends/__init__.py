"""Translation backends behind one seam (`Translator`) and the loader that picks one."""

from __future__ import annotations

from ..options import ModelOptions, TranslateOptions
from .base import Translator


def load_translator(
    model_options: ModelOptions | None = None, translate_options: TranslateOptions | None = None
) -> Translator:
    """Load the model once and return a ready translator (transformers/MarianMT backend)."""
    from .transformers_backend import TransformersTranslator

    return TransformersTranslator.load(
        model_options or ModelOptions(), translate_options or TranslateOptions()
    )


__all__ = ["Translator", "load_translator"]
