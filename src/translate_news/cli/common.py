"""What every command shares: help panels, one-line usage errors, the error boundary."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import ERROR_PREFIX, WARNING_PREFIX, TranslateNewsError

OUTPUT_PANEL = "Output"
SUMMARY_PANEL = "Summary"
MODEL_PANEL = "Model and speed"
FOLDERS_PANEL = "Folders"
CLUSTER_PANEL = "Cluster (Ray)"
MAINTENANCE_PANEL = "Maintenance"
EXAMPLES = (
    "[bold]Examples[/bold]\n\n"
    "  translate-news article.txt                 [dim]# English on stdout[/dim]\n\n"
    "  translate-news article.txt --summary       [dim]# the key sentences in English[/dim]\n\n"
    "  translate-news news/ -o news-en/           [dim]# a folder, resumably[/dim]\n\n"
    "[bold]Other commands[/bold]\n\n"
    "  translate-news watch FEED_URL -o news-en/  [dim]# feeds into a daily digest[/dim]\n\n"
    "  translate-news serve                       [dim]# a web page and API for the desk[/dim]\n\n"
    "  translate-news models list                 [dim]# the models of models.txt[/dim]\n\n"
    "  translate-news models download [-m NAME]   [dim]# fetch one for offline use[/dim]"
)


def formats() -> tuple[str, ...]:
    """The output formats, for help texts (built-in renderers, no plug-in lookup)."""
    from ..renderers import RENDERERS

    return RENDERERS.names(plugins=False)


def usage_error_line(error: Exception) -> str | None:
    """Click's usage error as our one line (None for any other exception). By class name:
    Typer vendors its own copy of Click (typer._click) in recent releases."""
    kinds = {kind.__name__ for kind in type(error).__mro__}
    if "UsageError" not in kinds:
        return None
    if "NoSuchOption" in kinds:
        what = f"no such option: {getattr(error, 'option_name', '?')}"
    else:
        message = " ".join(error.format_message().split()).rstrip(".")  # type: ignore[attr-defined]
        what = message[:1].lower() + message[1:]
    return ERROR_PREFIX + f"{what}; fix: see `translate-news --help` for the options"


def plain_flags(params: list[Any]) -> list[Any]:
    """Plain flags (--summary, --help, ...) shown without a `<bool>` type, INPUT without
    `<list[str]>`."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        if isinstance(param, typer.core.TyperArgument):
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
    return params


class Command(TyperCommand):
    """A command whose mistakes are one line, with plain flags in its help."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return plain_flags(super().get_params(ctx))

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """Command-line mistakes are one line in our format (Click draws a five-line box, and
        its "possible options" guess is often far off), exit 2."""
        try:
            return super().parse_args(ctx, args)
        except Exception as error:
            line = usage_error_line(error)
            if line is None:
                raise
            typer.echo(line, err=True)
            ctx.exit(2)


class Group(TyperGroup):
    """A command group whose mistakes (an unknown command) are one line too, exit 2."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return plain_flags(super().get_params(ctx))

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:
            line = usage_error_line(error)
            if line is None:
                raise
            typer.echo(
                line.replace("--help` for the options", "--help` for the commands"), err=True
            )
            ctx.exit(2)


@contextmanager
def error_boundary() -> Iterator[None]:
    """The one place errors become what a user reads: ours as their line and exit code, a
    package missing from the environment (torch, say) as the line that says how to install
    it, Ctrl-C as `interrupted` (exit 130). Anything else is a bug, and its traceback shows."""
    try:
        yield
    except TranslateNewsError as error:
        raise fail(error) from None
    except ModuleNotFoundError as error:
        missing = TranslateNewsError(
            f"the Python package {error.name or '?'!r} is not installed",
            "install translate-news with its dependencies (see the README's set-up command)",
        )
        raise fail(missing) from None
    except KeyboardInterrupt:
        typer.echo("translate-news: interrupted", err=True)
        raise typer.Exit(130) from None


def fail(error: TranslateNewsError) -> typer.Exit:
    """Our error as its one line on stderr, and the exit it asks for."""
    typer.echo(ERROR_PREFIX + error.one_line(), err=True)
    return typer.Exit(error.exit_code)


def warn(line: str) -> None:
    """A warning line on stderr, in our format."""
    typer.echo(WARNING_PREFIX + line, err=True)


def read_names(path: Path | None) -> dict[str, tuple[str, ...]] | None:
    """--names FILE: the user's French -> English name forms (None without the option)."""
    from ..checks.names import read_glossary

    return None if path is None else read_glossary(path)


def version_callback(value: bool) -> None:
    """--version: print it and exit."""
    if value:
        from ..version import __version__  # importlib.metadata: only when asked

        typer.echo(f"translate-news {__version__}")
        raise typer.Exit()


@contextmanager
def our_log_lines(verbose: bool) -> Iterator[None]:
    """With -v, the package's own INFO lines (not third-party libraries') on stderr, for this
    command only (the CLI also runs in-process, e.g. under a test runner)."""
    if not verbose:
        yield
        return
    from ..folders.progress import our_log_lines_to

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("translate-news: %(message)s"))
    with our_log_lines_to(handler):
        yield
