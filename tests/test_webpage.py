"""HTML files and URLs: only the article goes through; fetching fails with one clear line."""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, FakeTranslator, browser
from translate_news import Request, render, translate_file
from translate_news.cli import app
from translate_news.errors import InputError
from translate_news.inputs import read_source
from translate_news.inputs.html import extract_article
from translate_news.inputs.url import fetch_url

PAGE = (DATA / "page_fr.html").read_bytes()
ARTICLE_TEXT = (
    "Sommet de l'OCS : Xi Jinping reçoit Vladimir Poutine à Tianjin\n\n"
    "Le président chinois Xi Jinping a accueilli lundi une vingtaine de dirigeants étrangers à "
    "Tianjin, dans le nord de la Chine, pour le sommet de l'Organisation de coopération de "
    "Shanghai.\n\n"
    "Parmi eux figuraient le président russe Vladimir Poutine et le Premier ministre indien "
    "Narendra Modi. Les discussions ont porté sur la sécurité régionale et le commerce.\n\n"
    "Selon les analystes, ce sommet marque la volonté de Pékin de présenter une alternative à "
    "l'ordre mondial dominé par les États-Unis.\n"
)


def test_only_the_article_of_a_page_goes_through() -> None:
    page = extract_article(PAGE, "page.html")
    assert page.text == ARTICLE_TEXT  # no menu, byline, "most read", comments, scripts, footer
    assert page.metadata["author"] == "Marie Dupont"
    assert page.metadata["date"] == "2025-09-01"


def test_a_page_without_an_article_is_refused() -> None:
    with pytest.raises(InputError, match=r"page\.html: no article text found in the page"):
        extract_article(b"<html><body><script>var a = 1;</script></body></html>", "page.html")


def test_html_file_through_the_pipeline(tmp_path: Path, fake_translator: FakeTranslator) -> None:
    path = tmp_path / "article.html"
    path.write_bytes(PAGE)
    result = translate_file(path, fake_translator)
    assert result.article.title is not None
    assert result.article.title.source == (
        "Sommet de l'OCS : Xi Jinping reçoit Vladimir Poutine à Tianjin"
    )
    assert result.article.title.target == (  # the model sees Moses-normalised punctuation
        "EN<Sommet de l'OCS: Xi Jinping reçoit Vladimir Poutine à Tianjin>"
    )
    assert len(list(result.article.sentences())) == 4
    assert result.metadata is not None and result.metadata["author"] == "Marie Dupont"
    markdown = render(result, "markdown")
    assert markdown.startswith(
        "# EN<Sommet de l'OCS: Xi Jinping reçoit Vladimir Poutine à Tianjin>\n\n"
        "*Marie Dupont · 2025-09-01*\n\nEN<Le président chinois"
    )


HOSTILE_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Le piège</title><script>document.title = "pwned-head"</script></head><body><article>
<h1>Le piège</h1>
<p>Le rédacteur a écrit &lt;script&gt;document.title="pwned-text"&lt;/script&gt; dans son
article, puis &lt;img src=x onerror="document.title='pwned-attr'"&gt; pour voir.</p>
<p>Une image <img src="x" onerror="document.title='pwned-img'"> suivait, puis un script
<script>document.title = "pwned-body"</script> et un lien
<a href="javascript:document.title='pwned-link'">ici</a>, au milieu du texte de l'article.</p>
<p>Le président a conclu la réunion à Paris en promettant une nouvelle loi avant l'été.</p>
</article></body></html>""".encode()


_LATIN1_PAGE_WITHOUT_CHARSET = PAGE.decode().replace('<meta charset="utf-8">', "").encode("cp1252")


@functools.cache
def _bomb() -> bytes:
    """100 MB of zeros, gzip-compressed to about 100 KB."""
    return gzip.compress(b"\0" * 100_000_000, compresslevel=9)


ATTACKS: dict[str, Callable[[], tuple[str, str | None, bytes]]] = {
    "/gzip-bomb": lambda: ("text/html", "gzip", _bomb()),
    "/gzipped": lambda: ("text/html; charset=utf-8", "gzip", gzip.compress(PAGE)),
    "/damaged-gzip": lambda: ("text/html", "gzip", b"\x1f\x8b\x08\x00" + b"\xff" * 200),
    "/brotli": lambda: ("text/html", "br", b"\x8b\x03\x80" + PAGE),
    "/no-charset": lambda: (
        "text/html",
        None,
        PAGE.decode().replace("utf-8", "x").encode("cp1252"),
    ),
    "/wrong-charset": lambda: ("text/html; charset=utf-8", None, PAGE.decode().encode("cp1252")),
    "/plain-wrong-charset": lambda: (
        "text/plain; charset=utf-8",
        None,
        "Le président est arrivé à Orléans.\n".encode("cp1252"),
    ),
    "/hostile": lambda: ("text/html; charset=utf-8", None, HOSTILE_PAGE),
}


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def _send(self, status: int, media_type: str, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()  # (the client may give up first, as the timeout tests want)

    def _route(self) -> None:
        if self.path == "/article":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path in ("/to-ftp", "/to-file"):
            self.send_response(302)
            target = "ftp://127.0.0.1/secret" if self.path == "/to-ftp" else "file:///etc/passwd"
            self.send_header("Location", target)
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/plain":
            body = "Un titre\n\nLe président est arrivé hier.\n".encode()
            self._send(200, "text/plain; charset=utf-8", body)
        elif self.path == "/image":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        elif self.path == "/huge":
            self._send(200, "text/html", b"<p>" + b"x" * 5000 + b"</p>", length=False)
        elif self.path == "/huge-declared":
            self._send(200, "text/html", b"<p>" + b"x" * 5000 + b"</p>")
        elif self.path in ATTACKS:
            media_type, encoding, body = ATTACKS[self.path]()
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/silent":
            time.sleep(3)
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_article_and_redirect(server: str) -> None:
    page = read_source(f"{server}/moved")
    assert page.text == ARTICLE_TEXT
    assert page.metadata["url"] == f"{server}/article"  # where the redirect led


def test_url_plain_text(server: str) -> None:
    assert read_source(f"{server}/plain").text == "Un titre\n\nLe président est arrivé hier.\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "{url}: the server answered HTTP 404 Not Found; fix: check the address"),
        ("/image", "{url}: is image/png, not a web page or text; fix: pass the address"),
    ],
)
def test_url_errors(server: str, path: str, message: str) -> None:
    url = server + path
    with pytest.raises(InputError) as caught:
        read_source(url)
    assert caught.value.one_line().startswith(message.format(url=url))


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_url_size_cap(server: str, path: str) -> None:
    with pytest.raises(InputError, match="the page is over 1,000 bytes, too large"):
        fetch_url(server + path, max_bytes=1000)


@pytest.mark.parametrize("path", ["/silent", "/trickle"])
def test_url_timeout(server: str, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"no complete answer within 1 s; fix: check the address"):
        fetch_url(server + path, timeout_s=1)
    assert time.monotonic() - started < 2.5


def test_unreachable_url() -> None:
    with pytest.raises(InputError, match=r"http://127.0.0.1:9/x: cannot be reached"):
        read_source("http://127.0.0.1:9/x")


def test_cli_url_to_json_and_error_line(server: str, use_fake: FakeTranslator) -> None:
    result = CliRunner().invoke(app, [f"{server}/article", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == f"{server}/article"
    assert data["metadata"]["url"] == f"{server}/article"
    assert data["metadata"]["author"] == "Marie Dupont"
    assert "Commentaires" not in result.stdout and "Accueil" not in result.stdout
    missing = CliRunner().invoke(app, [f"{server}/missing"])
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"translate-news: error: {server}/missing: the server answered HTTP 404 Not Found; "
        "fix: check the address (or try again later)\n"
    )


def test_folder_run_reads_html_pages(tmp_path: Path, fake_translator: FakeTranslator) -> None:
    from translate_news import FolderOptions, OutputOptions, translate_folder

    root = tmp_path / "pages"
    root.mkdir()
    (root / "sommet.html").write_bytes(PAGE)
    (root / "brief.txt").write_text("Bref\n\nLe président est arrivé hier.\n", encoding="utf-8")
    report = translate_folder(
        [root],
        tmp_path / "out",
        fake_translator,
        Request(output=OutputOptions(format="html")),
        folder_options=FolderOptions(use_memory=False),
    )
    assert (report.done, report.failed) == (2, [])
    page = (tmp_path / "out" / "sommet.en.html").read_text(encoding="utf-8")
    assert '<p class="meta">Marie Dupont · 2025-09-01</p>' in page
    assert "Commentaires" not in page and "Accueil" not in page
    assert (tmp_path / "out" / "brief.en.html").is_file()


def test_redirects_stay_on_the_web(server: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(server + "/to-ftp")  # urllib alone would follow it
    assert caught.value.one_line() == (
        f"{server}/to-ftp: redirects to ftp://127.0.0.1/secret, which is not a web page; "
        "fix: pass the final address of the article"
    )
    with pytest.raises(InputError, match=r"Redirection to url 'file:///etc/passwd' is not allowed"):
        read_source(server + "/to-file")  # urllib refuses this one itself


def test_a_redirect_loop_ends(server: str) -> None:
    with pytest.raises(InputError, match=r"/loop: the server answered HTTP 302"):
        read_source(server + "/loop")


def test_a_gzip_bomb_is_refused_at_the_cap_without_inflating_it(server: str) -> None:
    _bomb()  # compressed before timing
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(InputError) as caught:
            read_source(f"{server}/gzip-bomb", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.one_line() == (
        f"{server}/gzip-bomb: the page is over 1,000,000 bytes, too large for a news article; "
        "fix: save the article's text to a file and pass the file"
    )
    assert peak < 8_000_000  # the cap and a chunk, never the 100 MB it inflates to
    assert time.monotonic() - started < 5


def test_compressed_pages_are_read_and_odd_encodings_refused(server: str) -> None:
    assert read_source(f"{server}/gzipped").text == ARTICLE_TEXT
    with pytest.raises(InputError) as damaged:
        read_source(f"{server}/damaged-gzip")
    assert damaged.value.one_line().startswith(
        f"{server}/damaged-gzip: the page's compressed body is damaged ("
    )
    with pytest.raises(InputError) as brotli:
        read_source(f"{server}/brotli")
    assert brotli.value.one_line() == (
        f"{server}/brotli: the server sent the page with the br content encoding, not gzip; "
        "fix: save the page in a browser and pass the file"
    )


@pytest.mark.parametrize("path", ["/no-charset", "/wrong-charset"])
def test_a_missing_or_wrong_charset_still_reads_the_french(server: str, path: str) -> None:
    assert read_source(server + path).text == ARTICLE_TEXT


def test_plain_text_with_a_wrong_charset_is_detected(server: str) -> None:
    assert (
        read_source(f"{server}/plain-wrong-charset").text == "Le président est arrivé à Orléans.\n"
    )


@pytest.mark.browser
def test_a_hostile_page_stays_inert_in_the_bilingual_view(
    server: str, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    page = tmp_path / "hostile.en.html"
    result = CliRunner().invoke(app, [f"{server}/hostile", "-f", "html", "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    written = page.read_text(encoding="utf-8")
    assert "pwned" in written  # the article's words are all there, as text
    assert "onerror=" not in written.replace("onerror=&quot;", "")  # only escaped, as text
    assert written.count("<script") == 1  # the view's own (hash-allowed) script, nothing else
    assert "javascript:" not in written
    dom = browser("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    title = dom.stdout.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "pwned" not in title  # no script of the page ran
    assert "<img" not in dom.stdout
