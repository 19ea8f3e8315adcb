"""Checks of a translation: which sentences a reader should verify against the French.

A Check record per check, one module each (numbers, untranslated, repetition, length, names,
confidence), found in a registry: a new check is one module with a `CHECK` here, or a plug-in
in the `translate_news.checks` entry points. Each is a pure function of what it sees (the
French, the English, the model's confidence, the user's settings) and returns flags with a
short reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Flag
from ..registry import Registry

if TYPE_CHECKING:
    from .names import Glossary

REPAIRED = "repaired"  # the flag of a sentence translated again, after a `retry` check's flag


@dataclass(frozen=True)
class Checked:
    """What a check sees of one sentence: its French and English, the model's confidence
    (None where the engine gives none), and the user's settings."""

    source: str
    target: str
    confidence: float | None = None
    names: Glossary | None = None  # the user's French -> English names (`--names`)
    min_confidence: float | None = None  # `--min-confidence`


@dataclass(frozen=True)
class Check:
    """A check: `run` returns its flags (each `Flag(name, detail)`). `retry`: a sentence it
    flags is translated once more with settings that avoid repeats, the second output kept
    when this check no longer flags it."""

    name: str
    run: Callable[[Checked], list[Flag]]
    retry: bool = False


CHECKS: Registry[Check] = Registry(
    "check",
    __name__,
    ("numbers", "untranslated", "repetition", "length", "names", "confidence"),
    "a check of",
)


def run_checks(pair: Checked) -> list[Flag]:
    """Every registered check's flags for one sentence, in registration order."""
    return [flag for check in CHECKS.records() for flag in check.run(pair)]


def retry_flag(flags: list[Flag]) -> Flag | None:
    """The first flag that asks for a second translation, if any."""
    retrying = {check.name for check in CHECKS.records() if check.retry}
    return next((flag for flag in flags if flag.check in retrying), None)


def check_translation(
    source: str,
    target: str,
    names: Glossary | None = None,
    confidence: float | None = None,
    min_confidence: float | None = None,
) -> list[Flag]:
    """Every check's flags for one French sentence and its English (machine or human).

    `names`: a glossary of French -> English name forms (e.g. from `read_glossary`) for the
    `names` check, on top of the built-in one; `confidence` with `min_confidence`: the
    `confidence` check.
    """
    return run_checks(Checked(source, target, confidence, names, min_confidence))


__all__ = [
    "CHECKS",
    "REPAIRED",
    "Check",
    "Checked",
    "Flag",
    "check_translation",
    "retry_flag",
    "run_checks",
]
