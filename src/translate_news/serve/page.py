"""The web page at `/`: paste an article or a URL (or drop a file), read it in English.

The page is three static files of this package (HTML, CSS, JS), served with a Content
Security Policy that allows nothing but them and calls to this server: no external asset, no
inline script, and the article's text is only ever set as text (never as markup).
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from .app import Service

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATIC = {
    "/": ("page.html", "text/html; charset=utf-8"),
    "/page.css": ("page.css", "text/css; charset=utf-8"),
    "/page.js": ("page.js", "text/javascript; charset=utf-8"),
}


def _asset(name: str) -> bytes:
    return files(__package__).joinpath("static", name).read_bytes()


def router(_service: Service) -> Any:
    """The page's routes."""
    from fastapi import APIRouter
    from fastapi.responses import Response

    routes = APIRouter(include_in_schema=False)

    def serve(name: str, media_type: str) -> Any:
        body = _asset(name)

        async def asset() -> Any:
            return Response(body, media_type=media_type, headers=SECURITY_HEADERS)

        return asset

    for path, (name, media_type) in STATIC.items():
        routes.add_api_route(path, serve(name, media_type), methods=["GET"])
    return routes
