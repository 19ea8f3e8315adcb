"""`translate-news serve`: the model loaded once, for a whole desk, over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..options import (
    DEFAULT_MAX_BYTES,
    FolderOptions,
    ModelOptions,
    Request,
    TranslateOptions,
)
from .bundles import (
    Backend,
    BatchTokens,
    Beams,
    ComputeType,
    Device,
    MaxBytes,
    Memory,
    MinConfidence,
    Model,
    Names,
    NoMemory,
    Revision,
    Threads,
    Verbose,
)
from .common import error_boundary, our_log_lines, read_names, warn

if TYPE_CHECKING:
    from ..serve.settings import ServeSettings

SERVICE_PANEL = "Service"
LIMITS_PANEL = "Limits"

Host = Annotated[
    str,
    typer.Option(
        help="Address to listen on; 127.0.0.1 (this machine only) unless you mean to share it, "
        "e.g. 0.0.0.0 for the desk's network.",
        rich_help_panel=SERVICE_PANEL,
    ),
]
Port = Annotated[int, typer.Option(help="Port to listen on.", rich_help_panel=SERVICE_PANEL)]
ApiKeys = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--api-keys",
        metavar="FILE",
        help="Require an API key: one a line, optionally with its limits "
        "(KEY rate=60 chars=20000 batch=50).",
        rich_help_panel=LIMITS_PANEL,
    ),
]
Rate = Annotated[
    int, typer.Option(help="Requests a minute per key (or client).", rich_help_panel=LIMITS_PANEL)
]
CharLimit = Annotated[
    int, typer.Option(help="Characters a text or article.", rich_help_panel=LIMITS_PANEL)
]
BatchLimit = Annotated[
    int, typer.Option(help="Texts in one `q` array.", rich_help_panel=LIMITS_PANEL)
]
Queue = Annotated[
    int,
    typer.Option(help="Requests waiting for the model before 503.", rich_help_panel=LIMITS_PANEL),
]
AllowUrls = Annotated[
    bool,
    typer.Option(
        "--allow-urls", help="Fetch articles by URL (public addresses only).",
        rich_help_panel=LIMITS_PANEL,
    ),
]  # fmt: skip
AllowPrivateUrls = Annotated[
    bool,
    typer.Option(
        "--allow-private-urls",
        help="With --allow-urls: private and local addresses too (an intranet).",
        rich_help_panel=LIMITS_PANEL,
    ),
]
NoMerge = Annotated[
    bool,
    typer.Option(
        "--no-merge",
        help="One request at a time on the model (for measuring what merging gains).",
        rich_help_panel=SERVICE_PANEL,
    ),
]


def serve(
    host: Host = "127.0.0.1",
    port: Port = 5000,
    api_keys: ApiKeys = None,
    rate: Rate = 120,
    char_limit: CharLimit = 50_000,
    batch_limit: BatchLimit = 100,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    queue: Queue = 64,
    allow_urls: AllowUrls = False,
    allow_private_urls: AllowPrivateUrls = False,
    no_merge: NoMerge = False,
    min_confidence: MinConfidence = None,
    names: Names = None,
    model: Model = None,
    revision: Revision = None,
    device: Device = "auto",
    backend: Backend = "auto",
    compute_type: ComputeType = None,
    beams: Beams = None,
    threads: Threads = None,
    batch_tokens: BatchTokens = None,
    memory: Memory = None,
    no_memory: NoMemory = False,
    verbose: Verbose = False,
) -> None:
    """Serve the model over HTTP: a web page at /, the LibreTranslate API (/translate), the
    article API (/v1/articles), /health, /metrics and /docs."""
    with our_log_lines(verbose), error_boundary():
        from ..errors import UsageError

        _check_extra()
        from ..serve.settings import Limits, ServeSettings

        if allow_private_urls and not allow_urls:
            raise UsageError("--allow-private-urls without --allow-urls", "add --allow-urls")
        model_options = ModelOptions(
            model=model, revision=revision, device=device, threads=threads, backend=backend,
            compute_type=compute_type,
        )  # fmt: skip
        translate_options = TranslateOptions(
            beams=beams, max_batch_tokens=batch_tokens, min_confidence=min_confidence,
            names=read_names(names),
        )  # fmt: skip
        settings = ServeSettings(
            host=host, port=port, limits=Limits(rate, char_limit, batch_limit),
            max_bytes=max_bytes, allow_urls=allow_urls, allow_private_urls=allow_private_urls,
            queue_size=queue, merge=not no_merge,
        )  # fmt: skip
        if api_keys is not None:
            settings = settings.with_keys(api_keys)
        memory_options = FolderOptions(use_memory=not no_memory, memory_path=memory)
        run_service(settings, Request(model=model_options, translate=translate_options),
                    memory_options)  # fmt: skip


def _check_extra() -> None:
    """The service's packages are an extra: say so in one line when they are missing."""
    import importlib.util

    from ..errors import TranslateNewsError

    missing = [name for name in ("fastapi", "uvicorn", "prometheus_client", "multipart")
               if importlib.util.find_spec(name) is None]  # fmt: skip
    if missing:
        raise TranslateNewsError(
            f"translate-news serve needs the [serve] extra ({', '.join(missing)} missing)",
            "pip install 'translate-news[serve]' (in a checkout: pip install -e '.[serve]')",
        )


def run_service(settings: ServeSettings, request: Request, memory_options: FolderOptions) -> None:
    """Start the service and block until it is stopped."""
    from ..folders.engines import LazyTranslator
    from ..folders.runner import translator_factory
    from ..serve.app import Service
    from ..serve.server import serve as serve_forever

    # loaded (with its translation memory) on the model worker's thread, as a folder run loads
    factory = translator_factory(None, request.model, request.translate)
    loader = LazyTranslator(factory, memory_options, warn)
    service = Service(settings, request, loader.get)
    keys = "" if service.settings.keys is None else f", {len(service.settings.keys)} API key(s)"
    typer.echo(
        f"translate-news: serving on http://{service.settings.host}:{service.settings.port}"
        f"{keys}; the model loads now (Ctrl-C to stop)",
        err=True,
    )
    try:
        serve_forever(service)
    finally:
        loader.close()
