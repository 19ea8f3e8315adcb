"""Running the service: uvicorn on the address asked (127.0.0.1 by default), a time limit
on each request's headers (a client trickling them is cut off, so it holds no connection
slot for long), and on SIGTERM: stop accepting, let requests in flight finish (a bounded
wait), stop the model worker, exit 0."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any

from .app import Service, create_app

log = logging.getLogger("translate_news")


def header_timed_protocol(seconds: float) -> type:
    """uvicorn's h11 protocol, closing a connection whose request line and headers have
    not all arrived `seconds` after it opened (or after its previous answer)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimedProtocol(H11Protocol):
        _header_timer: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(seconds, self._headers_due)

        def _headers_due(self) -> None:
            if self.conn.their_state in (h11.IDLE,) and not self.transport.is_closing():
                log.info("translate-news: closed a connection that sent no request in %s s",
                         seconds)  # fmt: skip
                self.transport.close()

    return HeaderTimedProtocol


def make_server(service: Service, on_ready: Callable[[], None] | None = None) -> Any:
    """A uvicorn server for `service` (not started)."""
    import uvicorn

    settings = service.settings
    config = uvicorn.Config(
        create_app(service),
        host=settings.host,
        port=settings.port,
        http=header_timed_protocol(settings.header_timeout_s),
        ws="none",
        lifespan="off",
        access_log=False,  # ours (guard.py) leaves out query strings, where text may be
        log_level="warning",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=int(settings.shutdown_timeout_s),
        limit_concurrency=max(64, settings.queue_size * 4),
        server_header=False,
    )
    return uvicorn.Server(config)


def serve(service: Service) -> None:
    """Load the model, serve until SIGTERM or Ctrl-C, then stop cleanly."""
    service.worker.start()
    server = make_server(service)
    # uvicorn re-raises the signal it stopped on once it has shut down; with this handler
    # in place that ends in a normal exit (0) rather than death by SIGTERM.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
        service.worker.stop(service.settings.shutdown_timeout_s)
