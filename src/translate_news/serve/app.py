"""The service: one model worker, the limits, and the FastAPI application over them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..backends import Translator
from ..document import Result
from ..errors import TranslateNewsError
from ..options import Request
from .batcher import Busy, ModelWorker, NotReady, Progress
from .metrics import Metrics
from .params import ApiError
from .settings import RateLimiter, ServeSettings

log = logging.getLogger("translate_news")
T = TypeVar("T")


@dataclass
class Service:
    """What the routes share: the settings, the base request (model, decoding, checks, as
    given to `serve`), the model worker, the rate limiter and the metrics."""

    settings: ServeSettings
    request: Request
    load: Callable[[], Translator]
    worker: ModelWorker = field(init=False)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    metrics: Metrics = field(init=False)

    def __post_init__(self) -> None:
        self.metrics = Metrics(lambda: self.worker.depth())
        self.worker = ModelWorker(
            self.load,
            queue_size=self.settings.queue_size,
            merge=self.settings.merge,
            merge_window_s=self.settings.merge_window_s,
            on_batch=self._batch_done,
        )

    def _batch_done(self, report: Any) -> None:
        self.metrics.batch(report)
        log.info(
            "batch: %d request(s), %d sentence(s), %d tokens in %.3f s",
            report.requests, report.sentences, report.tokens, report.seconds,
        )  # fmt: skip

    @property
    def translator(self) -> Translator:
        """The loaded translator, or a 503 while it loads (or if it failed to)."""
        if self.worker.translator is None:
            raise _unavailable(NotReady(self.worker.load_error or "the model is still loading"))
        return self.worker.translator

    async def prepare(self, function: Callable[..., T], *args: Any) -> T:
        """Run CPU work that comes before the model (reading, segmenting) off the event
        loop; our errors become a 400 with their one line."""
        from starlette.concurrency import run_in_threadpool

        try:
            return await run_in_threadpool(function, *args)
        except TranslateNewsError as error:
            raise ApiError(400, error.one_line()) from error

    async def translate(self, results: list[Result], progress: Progress | None = None) -> None:
        """Translate prepared results in the shared batches (503 when the queue is full)."""
        if not results:
            return
        try:
            future = self.worker.submit(results, self.request.translate, progress)
        except (Busy, NotReady) as error:
            raise _unavailable(error) from error
        await asyncio.wrap_future(future)

    async def on_model(self, function: Callable[[Translator], T]) -> T:
        """Run `function(translator)` on the model thread, alone (n-best alternatives)."""
        try:
            future = self.worker.call(function)
        except (Busy, NotReady) as error:
            raise _unavailable(error) from error
        return await asyncio.wrap_future(future)


def _unavailable(error: Exception) -> ApiError:
    if isinstance(error, NotReady):
        return ApiError(503, f"the model is not ready: {error.reason}", {"Retry-After": "5"})
    return ApiError(503, "the server is busy; try again shortly", {"Retry-After": "1"})


def create_app(service: Service) -> Any:
    """The FastAPI application of `service` (its model worker is started by `serve`)."""
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, Response
    from starlette.exceptions import HTTPException

    from ..version import __version__
    from . import articles, libretranslate, page
    from .guard import Guard

    app = FastAPI(
        title="translate-news",
        version=__version__,
        description="French news in English: the LibreTranslate API, and whole articles "
        "(translation, summary, sentences to check).",
    )

    @app.exception_handler(ApiError)
    async def api_error(_request: Any, error: ApiError) -> Any:
        return JSONResponse({"error": error.message}, error.status, headers=error.headers)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Any, error: HTTPException) -> Any:
        return JSONResponse({"error": str(error.detail)}, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Any, error: RequestValidationError) -> Any:
        first = error.errors()[0] if error.errors() else {"msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return JSONResponse({"error": f"Invalid request: {where} {first['msg']}".strip()}, 400)

    @app.exception_handler(Exception)
    async def crashed(_request: Any, error: Exception) -> Any:
        log.error("translate-news: an unexpected error answered 500", exc_info=error)
        return JSONResponse({"error": "internal error (the server log says more)"}, 500)

    @app.get("/health", tags=["service"])
    async def health() -> Any:
        """Whether the model is loaded (200) or not yet / failed (503)."""
        worker = service.worker
        if worker.translator is not None:
            return {"status": "ok", "model": "loaded", "queue": worker.depth()}
        reason = worker.load_error or "loading"
        return JSONResponse({"status": "unavailable", "model": reason}, 503)

    @app.get("/metrics", tags=["service"])
    async def metrics() -> Any:
        """Prometheus metrics."""
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(service.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(libretranslate.router(service))
    app.include_router(articles.router(service))
    app.include_router(page.router(service))
    app.add_middleware(
        Guard,
        max_bytes=service.settings.max_bytes,
        body_timeout_s=service.settings.body_timeout_s,
        metrics=service.metrics,
    )
    return app
