"""Web pages: an HTML file or an http(s) URL -> the article's text and metadata.

Extraction is trafilatura's (main text, title, date, author; navigation, ads and comments
left out). Fetching is the standard library's urllib with an overall deadline and a size cap:
a server that trickles bytes or sends a huge body fails with one clear line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FETCH_TIMEOUT_S = 20.0
MAX_PAGE_BYTES = 10_000_000
PAGE_FIX = "pass the address of a news article page, or save the page and pass the file"
_USER_AGENT = "translate-news (+https://pypi.org/project/translate-news/)"
METADATA_FIELDS = ("title", "author", "date", "sitename", "url")


@dataclass(frozen=True)
class PageText:
    """An article's text (headline, blank line, paragraphs) and what the page says of it."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def is_url(source: str) -> bool:
    """Whether an input argument is an http(s) address."""
    return source.lower().startswith(("http://", "https://"))


def extract_article(page: bytes | str, label: str, url: str | None = None) -> PageText:
    """The main article of an HTML page: headline first, one paragraph a block."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise InputError(f"{label}: no article text found in the page", PAGE_FIX)
    metadata = {name: getattr(document, name, None) for name in METADATA_FIELDS}
    if url is not None:
        metadata["url"] = url
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    title = (metadata.get("title") or "").strip()
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title
    head = [title] if title else []
    return PageText("\n\n".join([*head, *paragraphs]) + "\n", metadata)


def fetch_url(
    url: str, timeout_s: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_PAGE_BYTES
) -> tuple[bytes, str, str]:
    """GET a page: (body, final URL after redirects, media type). Errors are InputErrors."""
    import urllib.error
    import urllib.request

    headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout_s
    opener = _web_opener()
    try:
        with opener.open(request, timeout=timeout_s) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            inflate = _inflater(response.headers.get("Content-Encoding"), url)
            body = _read_until(response, deadline, max_bytes, url, timeout_s, inflate)
            media_type = response.headers.get_content_type()
            return body, response.geturl(), media_type
    except urllib.error.HTTPError as error:
        raise InputError(
            f"{url}: the server answered HTTP {error.code} {error.reason}",
            "check the address (or try again later)",
        ) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(url, timeout_s) from error
        raise InputError(
            f"{url}: cannot be reached ({error.reason})", "check the address and the network"
        ) from error
    except TimeoutError as error:
        raise _timed_out(url, timeout_s) from error
    except OSError as error:
        raise InputError(
            f"{url}: cannot be fetched ({error})", "check the address and the network"
        ) from error


def _web_opener() -> Any:
    """A urllib opener whose redirects stay on the web (urllib alone also follows ftp://)."""
    import urllib.request

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
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(WebRedirects)


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


def _read_until(
    response: Any, deadline: float, max_bytes: int, url: str, timeout: float, inflate: Any = None
) -> bytes:
    """The body, decompressed as it arrives, so a gzip bomb stops at the cap: never inflated
    past `max_bytes` + 1."""
    import zlib

    chunks: list[bytes] = []
    received = 0
    while True:
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunk = response.read1(65536)  # what has arrived: a trickle cannot outlast the deadline
        if not chunk:
            return b"".join(chunks)
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


def _timed_out(url: str, timeout_s: float) -> InputError:
    return InputError(
        f"{url}: no complete answer within {timeout_s:g} s", "check the address or try later"
    )


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(
        f"{url}: the page is over {max_bytes:,} bytes, too large for a news article",
        "save the article's text to a file and pass the file",
    )
