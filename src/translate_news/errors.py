"""Typed errors. Each message says what happened and how to fix it, on one line."""

from __future__ import annotations

ERROR_PREFIX = "translate-news: error: "  # how the CLI starts every error line
WARNING_PREFIX = "translate-news: warning: "


class TranslateNewsError(Exception):
    """Base class: a failure the user can act on. The CLI prints it on one line."""

    exit_code = 1

    def __init__(self, what: str, fix: str | None = None) -> None:
        self.what = what
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as printed by the CLI: `what; fix: ...`."""
        text = self.what if self.fix is None else f"{self.what}; fix: {self.fix}"
        return " ".join(text.split())


def first_line(error: BaseException, limit: int | None = None) -> str:
    """A library's exception as a short reason for our one line: its first line (at most
    `limit` characters), or its class name when it says nothing."""
    text = str(error).strip()
    return text.splitlines()[0][:limit] if text else type(error).__name__


class InputError(TranslateNewsError):
    """An input cannot be read as French text (missing, binary, empty, undecodable)."""


def empty_input(label: str) -> InputError:
    """The one error for an input with nothing to translate."""
    return InputError(f"{label}: input is empty", "pass a file that contains an article")


class ModelUnavailableError(TranslateNewsError):
    """The model is neither cached nor downloadable, or a local folder is not a model."""


class ConversionError(ModelUnavailableError):
    """CTranslate2 cannot convert a model (the transformers backend may still load it)."""


class DeviceError(TranslateNewsError):
    """The requested device does not exist on this machine."""


class OutputError(TranslateNewsError):
    """The output cannot be written (or would overwrite an input).

    `fatal`: no later output can be written either (a full or read-only disk, the output folder
    gone), so a folder run stops at this file instead of failing every file after it.
    """

    def __init__(self, what: str, fix: str | None = None, *, fatal: bool = False) -> None:
        super().__init__(what, fix)
        self.fatal = fatal


class UsageError(TranslateNewsError):
    """Options that contradict each other or are out of range."""

    exit_code = 2
