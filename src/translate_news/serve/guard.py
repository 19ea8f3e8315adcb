"""What every request passes through, below the routes: the body cap, the body's time
limit, the metrics, and an access log line that never holds a body or a query string (a
LibreTranslate client may put the text to translate in the query)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from .metrics import Metrics

log = logging.getLogger("translate_news.access")


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class Guard:
    """ASGI middleware (see the module doc)."""

    def __init__(self, app: Any, max_bytes: int, body_timeout_s: float, metrics: Metrics) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.body_timeout_s = body_timeout_s
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length", b"")
        try:
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise BodyTooLarge
            await self.app(scope, self._limited(receive), sending)
        except BodyTooLarge:
            if not status["sent"]:
                await _error(sending, 413, f"the request body is over {self.max_bytes:,} bytes")
        except BodyTooSlow:
            if not status["sent"]:
                await _error(
                    sending, 408, f"the request body did not arrive within {self.body_timeout_s} s"
                )
        finally:
            seconds = time.perf_counter() - started
            endpoint = _endpoint(scope)
            self.metrics.answered(endpoint, status["code"], seconds)
            client = scope.get("client") or ("-", 0)
            log.info(
                '%s "%s %s" %d %.3fs', client[0], scope["method"], scope["path"],
                status["code"], seconds,
            )  # fmt: skip

    def _limited(self, receive: Any) -> Any:
        seen, complete = 0, False

        async def limited() -> dict[str, Any]:
            nonlocal seen, complete
            if complete:  # later calls wait for the client to go (a streamed answer)
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout_s)
            except asyncio.TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
                complete = not message.get("more_body", False)
            return message

        return limited


def _endpoint(scope: dict[str, Any]) -> str:
    """The route's path template (bounded label values), or `other`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "other"


async def _error(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
