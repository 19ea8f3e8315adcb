"""`translate-news models list | download`: the maintenance commands."""

from __future__ import annotations

import typer

from ..options import ModelOptions
from .bundles import Model, Revision
from .common import Command, Group, error_boundary

models_app = typer.Typer(
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    help="The translation models: list them, or download one for offline use.",
)


@models_app.command("list", cls=Command)
def list_command() -> None:
    """List the models in models.txt (alias, hub id, pinned revision, downloaded or not)."""
    with error_boundary():
        list_models()


@models_app.command("download", cls=Command)
def download_command(model: Model = None, revision: Revision = None) -> None:
    """Download a model (default: the default one) for offline use."""
    with error_boundary():
        download(ModelOptions(model=model, revision=revision))


def list_models() -> None:
    from ..models import list_models as statuses

    typer.echo("alias\thub id\trevision\tstatus\tpurpose")
    for status in statuses():
        entry = status.entry
        cached = "cached" if status.cached else "not downloaded"
        default = " (default)" if status.default else ""
        typer.echo(
            f"{entry.alias}\t{entry.hub_id}\t{entry.revision}\t{cached}\t{entry.purpose}{default}"
        )


def download(model_options: ModelOptions) -> None:
    from ..models import model_folder

    spec = model_options.resolved()
    model_folder(spec, asked=True)
    typer.echo(f"translate-news: {spec.describe()} is ready for offline use")
