"""The article API: a French article (text, URL or file) in, the translation, summary or
both out, in the JSON contract of `-f json` (or HTML, markdown, text), optionally streamed
with progress for the web page."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from fastapi import APIRouter
from fastapi import Request as HttpRequest
from fastapi.responses import Response, StreamingResponse

from ..document import PageText, Result
from ..errors import UsageError
from ..options import MODES, OutputOptions, Request, SummaryOptions
from .app import Service
from .params import ApiError, admitted, client_of, integer, parameters

MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
ACCEPTED = {"application/json": "json", "text/html": "html", "text/markdown": "markdown",
            "text/plain": "text"}  # fmt: skip
DOWNLOADS = ("html", "markdown", "json")  # what the web page offers to save


def router(service: Service) -> Any:
    """The article routes of `service`."""
    routes = APIRouter(prefix="/v1", tags=["articles"])
    settings = service.settings

    @routes.post(
        "/articles",
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "text": {"type": "string"}, "url": {"type": "string"},
                        "mode": {"enum": list(MODES)}, "sentences": {"type": "integer"},
                        "ratio": {"type": "number"}, "words": {"type": "integer"},
                        "format": {"enum": list(MEDIA_TYPES)}, "stream": {"type": "boolean"},
                        "api_key": {"type": "string"}}}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "mode": {"enum": list(MODES)}}}},
                }
            }
        },
    )  # fmt: skip
    async def article(request: HttpRequest) -> Any:
        """Translate an article given as `text`, a `url` (when the server allows it) or an
        uploaded `file` (txt, html). `mode`: full, summary or both (`sentences`, `ratio` or
        `words` for the summary's length). The answer is the `-f json` contract, or
        `format` (or Accept) html, markdown or text; `stream=true` gives NDJSON progress
        lines, then the result with its downloads."""
        params = await parameters(request)
        limits = admitted(settings, service.limiter, params, client_of(request))
        wanted = _format(params, request.headers.get("accept", ""))
        article_request = _request(service.request, params, wanted)
        page, label = await _page(service, params)
        if len(page.text) > limits.characters:
            raise ApiError(
                400,
                f"Invalid request: the article ({len(page.text)} characters) exceeds the "
                f"character limit ({limits.characters})",
            )
        translator = service.translator
        result = await service.prepare(_prepared, page, label, translator, article_request)
        if _true(params.get("stream")):
            return StreamingResponse(
                _progress_lines(service, result), media_type="application/x-ndjson"
            )
        await service.translate([result])
        return Response(_render(result, wanted), media_type=MEDIA_TYPES[wanted])

    @routes.get("/models")
    async def models() -> Any:
        """The model this server translates with, and the models it knows (models.txt)."""
        from ..models import load_model_list

        loaded = service.worker.translator
        return {
            "loaded": None if loaded is None else loaded.provenance(),
            "models": [
                {"alias": entry.alias, "id": entry.hub_id, "revision": entry.revision,
                 "purpose": entry.purpose}
                for entry in load_model_list()
            ],
        }  # fmt: skip

    return routes


def _true(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes")


def _format(params: dict[str, Any], accept: str) -> str:
    asked = params.get("format")
    if asked is None:
        for part in accept.split(","):
            media_type = part.split(";")[0].strip().lower()
            if media_type in ACCEPTED:
                return ACCEPTED[media_type]
        return "json"
    if asked not in MEDIA_TYPES:
        raise ApiError(400, f"{asked} format is not supported (json, html, markdown, text)")
    return str(asked)


def _request(base: Request, params: dict[str, Any], wanted: str) -> Request:
    mode = str(params.get("mode") or "full")
    if mode not in MODES:
        raise ApiError(400, f"Invalid request: mode must be one of {', '.join(MODES)}")
    summary = None
    if mode != "full":
        ratio = params.get("ratio")
        try:
            summary = SummaryOptions(
                sentences=integer(params, "sentences"),
                ratio=None if ratio in (None, "") else float(ratio),
                words=integer(params, "words"),
            )
        except (TypeError, ValueError):
            raise ApiError(400, "Invalid request: ratio parameter is not a number") from None
        except UsageError as error:  # two lengths, a ratio out of range
            raise ApiError(400, f"Invalid request: {error.one_line()}") from error
    return replace(base, mode=mode, summary=summary, output=OutputOptions(format=wanted))


async def _page(service: Service, params: dict[str, Any]) -> tuple[PageText, str]:
    """The article the request holds: `text`, an uploaded `file`, or a `url`."""
    from ..inputs import decode_document, only_article, read_url

    settings = service.settings
    upload, text, url = params.get("file"), params.get("text"), params.get("url")
    if upload is not None and not isinstance(upload, str):
        data = await upload.read()
        name = upload.filename or "upload.txt"
        pages = await service.prepare(decode_document, data, name, None, settings.max_bytes)
        return only_article(pages, name), name
    if isinstance(text, str) and text.strip():
        return PageText(text), "text"
    if isinstance(url, str) and url.strip():
        if not settings.allow_urls:
            raise ApiError(
                403, "this server does not fetch URLs; fix: paste the article's text, or "
                "start the server with --allow-urls",
            )  # fmt: skip
        public_only = not settings.allow_private_urls
        pages = await service.prepare(read_url, url, None, settings.max_bytes, public_only)
        return only_article(pages, url), url
    if text is not None and not isinstance(text, str):
        raise ApiError(400, "Invalid request: text must be a string")
    raise ApiError(400, "Invalid request: pass the article as text, url or file")


def _prepared(page: PageText, label: str, translator: Any, request: Request) -> Result:
    from ..pipeline import prepare_page

    return prepare_page(page, translator, request, source=label)


def _render(result: Result, wanted: str) -> str:
    from ..renderers import render

    return render(result, wanted)


async def _progress_lines(service: Service, result: Result) -> Any:
    """NDJSON: `{"progress": {"done", "total"}}` lines while the model works, then
    `{"result": <json contract>, "downloads": {format: text}}` (or `{"error": ...}`)."""
    from ..renderers import result_to_dict

    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[int, int]] = asyncio.Queue()

    def progress(done: int, total: int) -> None:
        loop.call_soon_threadsafe(events.put_nowait, (done, total))

    total = sum(1 for unit in result.article.units() if unit.status == "translated")
    yield _line({"progress": {"done": 0, "total": total}})
    try:
        work = asyncio.ensure_future(service.translate([result], progress))
        while not work.done():
            getter = asyncio.ensure_future(events.get())
            await asyncio.wait({work, getter}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                done, of = getter.result()
                yield _line({"progress": {"done": done, "total": of}})
            else:
                getter.cancel()
        work.result()
    except ApiError as error:
        yield _line({"error": error.message})
        return
    downloads = {name: _render(result, name) for name in DOWNLOADS}
    yield _line({"progress": {"done": total, "total": total}})
    yield _line({"result": result_to_dict(result), "downloads": downloads})


def _line(value: dict[str, Any]) -> bytes:
    return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
