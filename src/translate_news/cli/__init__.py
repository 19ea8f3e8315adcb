"""The command line: a Typer command group whose default command is `translate`.

`translate-news article.txt` is `translate-news translate article.txt`: any first argument
that is not a command name goes to `translate`. `translate-news models list | download` are
the maintenance commands. Each command is a thin call into the package's public API; the
typed errors become one line and an exit code here, and nowhere else.
"""

from __future__ import annotations

import typer

from .common import EXAMPLES, Command, Group
from .models import models_app
from .serve import serve
from .translate import translate
from .watch import watch

DEFAULT_COMMAND = "translate"
_IMPLIED = "translate_news.implied_command"
_COMPLETION_OPTIONS = ("install_completion", "show_completion")


class DefaultGroup(Group):
    """Arguments that do not start with a command name are the default command's."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        default = self.commands[DEFAULT_COMMAND]
        for param in [p for p in self.params if p.name in _COMPLETION_OPTIONS]:
            self.params.remove(param)  # --install-completion: the default command's option
            default.params.append(param)
        if not args or args[0] not in self.commands:
            args = [DEFAULT_COMMAND, *args]
            ctx.meta[_IMPLIED] = True
        return super().parse_args(ctx, args)


class _DefaultContext(typer.Context):
    """The default command's context: its usage line reads `translate-news [OPTIONS] ...`
    when the command name was implied, as the user typed it."""

    @property
    def command_path(self) -> str:
        if self.parent is not None and self.meta.get(_IMPLIED):
            return self.parent.command_path
        return super().command_path


class _DefaultCommand(Command):
    context_class = _DefaultContext


app = typer.Typer(
    cls=DefaultGroup,
    # The group keeps no option of its own: `--help` and the completion options go to the
    # default command (see DefaultGroup). Typer coerces each option a command parses through
    # pydantic, whose import would double the time of `translate-news --help`.
    add_completion=True,
    add_help_option=False,
    pretty_exceptions_enable=False,
    help="Translate French news articles into English (MarianMT opus-mt-fr-en).",
)
app.command(DEFAULT_COMMAND, cls=_DefaultCommand, epilog=EXAMPLES)(translate)
app.add_typer(models_app, name="models")
app.command("serve", cls=Command)(serve)
app.command("watch", cls=Command)(watch)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
