"""Reading a request as LibreTranslate does (JSON, a form, or the query string), and the
checks every API call passes first: its API key and its client's rate."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from .settings import Limits, RateLimiter, ServeSettings, known_key


class ApiError(Exception):
    """An answer `{"error": message}` with an HTTP status (LibreTranslate's shape)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_utf8(what: str = "the request body") -> ApiError:
    return ApiError(400, f"Invalid request: {what} is not valid UTF-8")


async def parameters(request: Any) -> dict[str, Any]:
    """The request's parameters: the query string's, then the body's (JSON object,
    urlencoded or multipart form), as LibreTranslate merges them."""
    params: dict[str, Any] = dict(request.query_params)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        form = await request.form()
        params.update({key: value for key, value in form.multi_items()})
        return params
    body = await request.body()
    if not body:
        return params
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8() from None
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            data = json.loads(text)
        except ValueError:
            raise ApiError(400, "Invalid JSON format") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format")
        params.update(data)
    else:
        for name, value in reversed(parse_qsl(text, keep_blank_values=True)):
            params[name] = value  # a repeated field: its first value, as LibreTranslate reads
    return params


def client_of(request: Any) -> str:
    """The client's address (what rates are counted by when no key is needed)."""
    return request.client.host if request.client else "-"


def admitted(
    settings: ServeSettings, limiter: RateLimiter, params: dict[str, Any], client: str
) -> Limits:
    """Check the API key (where keys are required) and the client's rate; the client's
    limits. A wrong key is 403, a missing one 400 (as LibreTranslate answers), over the rate
    429. The key itself is never logged nor echoed."""
    given = params.get("api_key")
    key: str | None = None
    if settings.keys is not None:
        if not given:
            raise ApiError(
                400, "Please contact the server operator to get an API key (pass api_key)"
            )
        key = known_key(settings.keys, str(given))
        if key is None:
            raise ApiError(403, "Invalid API key")
    limits = settings.limits_of(key)
    if not limiter.allow(key or client, limits.requests_per_minute):
        raise ApiError(
            429,
            f"Slowdown: {limits.requests_per_minute} requests per minute",
            {"Retry-After": "60"},
        )
    return limits


def integer(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    """An integer parameter, or a 400 naming it."""
    value = params.get(name, default)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Invalid request: {name} parameter is not a number") from None
    if isinstance(value, bool) or number < 0:
        raise ApiError(400, f"Invalid request: {name} parameter is not a number")
    return number
