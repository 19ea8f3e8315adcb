"""Fetching an http(s) URL: its body, final address and media type.

Fetching is the standard library's urllib with an overall deadline and a size cap:
a server that trickles bytes or sends a huge body fails with one clear line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..options import DEFAULT_MAX_BYTES

FETCH_TIMEOUT_S = 20.0
PAGE_FIX = "pass the address of a news article page, or save the page and pass the file"
_USER_AGENT = "translate-news (+https://pypi.org/project/translate-news/)"


def is_url(source: str) -> bool:
    """Whether an input argument is an http(s) address."""
    return source.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    """What a GET brought back: the body (None when the server said 304 Not Modified), the
    final URL after redirects, its media type, and its validators for the next conditional
    GET."""

    body: bytes | None
    url: str
    media_type: str
    etag: str | None = None
    last_modified: str | None = None


def fetch_url(
    url: str,
    timeout_s: float = FETCH_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    public_only: bool = False,
) -> tuple[bytes, str, str]:
    """GET a page: (body, final URL after redirects, media type). Errors are InputErrors.

    One deadline covers connecting, the headers, the body and every redirect: a server that
    trickles any of them is cut off when it passes. `public_only`: every connection (each
    redirect's too) goes to a public address only (see addresses.py).
    """
    fetched = fetch(url, timeout_s, max_bytes, public_only)
    assert fetched.body is not None  # no validators sent: never 304
    return fetched.body, fetched.url, fetched.media_type


def fetch(
    url: str,
    timeout_s: float = FETCH_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    public_only: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    on_redirect: Callable[[str], None] | None = None,
) -> Fetched:
    """`fetch_url`, conditional: with the validators of an earlier answer, a server whose
    page has not changed answers 304 and `Fetched.body` is None. `on_redirect` is called
    with each address redirected to, before it is asked (a polite fetcher waits there)."""
    import http.client
    import urllib.error
    import urllib.request

    headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(timeout_s)
    try:
        request = urllib.request.Request(url, headers=headers)
        opener = _web_opener(deadline, url if public_only else None, on_redirect)
        with opener.open(request, timeout=timeout_s) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            inflate = _inflater(response.headers.get("Content-Encoding"), url)
            body = _read_body(response, max_bytes, url, inflate)
            if deadline.expired:  # what arrived before the socket was shut may look whole
                raise _timed_out(url, timeout_s)
            return Fetched(
                body,
                response.geturl(),
                _media_type(response.headers, body),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except InputError:
        if deadline.expired:  # the body ended because the deadline shut the socket
            raise _timed_out(url, timeout_s) from None
        raise
    except urllib.error.HTTPError as error:
        if error.code == 304 and (etag or last_modified):
            return Fetched(None, url, "", etag, last_modified)
        raise InputError(
            f"{url}: the server answered HTTP {error.code} {error.reason}",
            "check the address (or try again later)",
        ) from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        if deadline.expired or isinstance(_reason(error), TimeoutError):
            raise _timed_out(url, timeout_s) from error
        raise _fetch_error(url, error) from error
    finally:
        deadline.cancel()


def _reason(error: BaseException) -> BaseException:
    import urllib.error

    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        return error.reason
    return error


def _fetch_error(url: str, error: BaseException) -> InputError:
    """One line for what went wrong on the wire."""
    import http.client
    import urllib.error

    cause = _reason(error)
    if isinstance(cause, http.client.IncompleteRead):
        return _incomplete(url)
    if isinstance(cause, http.client.HTTPException | ValueError):
        detail = type(cause).__name__ if not str(cause) else f"{type(cause).__name__}: {cause}"
        return InputError(
            f"{url}: the server's answer is not valid HTTP ({_short(detail)})",
            "check the address, or save the page in a browser and pass the file",
        )
    if isinstance(error, urllib.error.URLError):
        return InputError(
            f"{url}: cannot be reached ({_short(str(error.reason))})",
            "check the address and the network",
        )
    return InputError(
        f"{url}: cannot be fetched ({_short(str(error))})", "check the address and the network"
    )


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Deadline:
    """An overall time limit for one fetch: when it passes, every socket opened for it (the
    first request and each redirect) is shut down, so a read in progress returns at once.
    Per-read socket timeouts alone cannot do this: a byte a second never times out."""

    def __init__(self, seconds: float) -> None:
        import threading

        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (a small positive number once passed, for socket timeouts)."""
        return max(0.01, self.end - time.monotonic())

    def watch(self, sock: Any) -> None:
        """Shut `sock` down when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        """Stop the timer (the fetch is over)."""
        self._timer.cancel()


def _shut(sock: Any) -> None:
    import contextlib
    import socket

    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _web_opener(
    deadline: _Deadline,
    public_for: str | None = None,
    on_redirect: Callable[[str], None] | None = None,
) -> Any:
    """A urllib opener whose redirects stay on the web (urllib alone also follows ftp://) and
    whose connections all answer to `deadline` (and, with `public_for`, the URL asked for,
    reach public addresses only)."""
    import http.client
    import urllib.request

    from .addresses import public_connection

    def vetted(connection: Any) -> None:
        connection.timeout = deadline.remaining()
        if public_for is not None:
            connection._create_connection = public_connection(public_for)

    class WebRedirects(urllib.request.HTTPRedirectHandler):
        max_redirections = 5

        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            if not is_url(newurl):
                raise InputError(
                    f"{req.full_url}: redirects to {newurl}, which is not a web page",
                    "pass the final address of the article",
                )
            if on_redirect is not None:
                on_redirect(newurl)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    class Watched(http.client.HTTPConnection):
        def connect(self) -> None:
            vetted(self)
            super().connect()
            deadline.watch(self.sock)

    class WatchedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            vetted(self)
            super().connect()
            deadline.watch(self.sock)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(Watched, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(WatchedTLS, req, context=self._context)

    return urllib.request.build_opener(WebRedirects, Http, Https)


def _media_type(headers: Any, body: bytes) -> str:
    """The declared media type; without a Content-Type header, sniffed from the body (a page
    sent bare is HTML more often than not, and its markup must not be translated)."""
    if headers.get("Content-Type") is not None:
        return str(headers.get_content_type())
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    markup = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--")
    if head.startswith(markup) or b"<p>" in head or b"<div" in head:
        return "text/html"
    return "text/plain"


def _inflater(encoding: str | None, url: str) -> Any:
    """A zlib decompressor for a gzip or deflate body; None for an uncompressed one."""
    import zlib

    name = (encoding or "identity").strip().lower()
    if name in ("identity", ""):
        return None
    if name in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # | 32: gzip or zlib header, detected
    raise InputError(
        f"{url}: the server sent the page with the {name} content encoding, not gzip",
        "save the page in a browser and pass the file",
    )


def _read_body(response: Any, max_bytes: int, url: str, inflate: Any = None) -> bytes:
    """The body, decompressed as it arrives, so a gzip bomb stops at the cap: never inflated
    past `max_bytes` + 1. A body shorter than its Content-Length, or a compressed stream that
    stops before its end, is refused as incomplete rather than translated in part."""
    import zlib

    chunks: list[bytes] = []
    received = 0
    while True:
        chunk = response.read1(65536)
        if not chunk:
            break
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, max_bytes + 1 - received)
            except zlib.error as error:
                raise InputError(
                    f"{url}: the page's compressed body is damaged ({error})",
                    "try again later, or save the page in a browser and pass the file",
                ) from error
        received += len(chunk)
        if received > max_bytes:
            raise _too_large(url, max_bytes)
        chunks.append(chunk)
    if getattr(response, "length", None) or (inflate is not None and not inflate.eof):
        raise _incomplete(url)
    return b"".join(chunks)


def _incomplete(url: str) -> InputError:
    return InputError(
        f"{url}: the page arrived incomplete (the connection ended early)", "try again later"
    )


def _timed_out(url: str, timeout_s: float) -> InputError:
    return InputError(
        f"{url}: no complete answer within {timeout_s:g} s", "check the address or try later"
    )


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(
        f"{url}: the page is over {max_bytes:,} bytes, too large for a news article",
        "save the article's text to a file and pass the file",
    )
