"""The feeds to follow: URLs given as arguments, or a `--feeds` file (one URL a line with `#`
comments, or an OPML export from a feed reader)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..inputs.url import is_url

FIX = "write one feed URL a line (# for comments), or export OPML from your feed reader"


def read_sources(path: Path) -> list[str]:
    """The feed URLs of a `--feeds` file, in order, without repeats."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the feeds ({error.strerror})", FIX) from error
    if data.lstrip().startswith(b"<"):
        urls = _opml(data, path)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: is not UTF-8 text", FIX) from error
        urls = []
        for number, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if not is_url(line):
                raise InputError(f"{path}:{number}: {line!r} is not an http(s) URL", FIX)
            urls.append(line)
    if not urls:
        raise InputError(f"{path}: holds no feed", FIX)
    return list(dict.fromkeys(urls))


def _opml(data: bytes, path: Path) -> list[str]:
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        raise InputError(f"{path}: not an OPML file ({error})", FIX) from error
    return [
        url for outline in root.iter("outline")
        if is_url(url := (outline.get("xmlUrl") or "").strip())
    ]  # fmt: skip


def check_sources(urls: list[str]) -> list[str]:
    """Feed URLs given as arguments: http(s) only."""
    for url in urls:
        if not is_url(url):
            raise InputError(f"{url}: is not an http(s) feed URL", "pass the feed's address")
    return list(dict.fromkeys(urls))
