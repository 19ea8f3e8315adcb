"""`translate-news watch`: feeds and pages served from 127.0.0.1 by the test, each behaviour
asserted with its exact lines."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FAULT_CLI, FakeTranslator, tree
from translate_news.cli import app

runner = CliRunner()
E = "translate-news: error: "
W = "translate-news: warning: "
PARAGRAPHS = [
    "Le président est arrivé hier à Bichkek pour le sommet de l'Organisation de coopération.",
    "Les dirigeants ont parlé de sécurité régionale et de commerce pendant toute la journée.",
    "Une déclaration commune doit être publiée ce soir, selon plusieurs diplomates présents.",
]


def page(title: str, paragraphs: list[str], canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()  # fmt: skip


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8") -> bytes:
    """(title, link, pubDate) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><pubDate>{when}</pubDate>"
        f"<description>{PARAGRAPHS[0]} ({t})</description></item>"
        for t, link, when in items
    )
    text = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
            f"<title>Le Quotidien</title><link>/</link>{entries}</channel></rss>")  # fmt: skip
    return text.encode(encoding, "xmlcharrefreplace")


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>L'Hebdo</title><id>urn:hebdo</id>
<updated>2026-12-01T09:00:00Z</updated>
<entry><title>Les agriculteurs manifestent</title><link href="/atom/1"/><id>urn:1</id>
<updated>2026-12-01T09:00:00Z</updated><summary>Des tracteurs bloquent les routes.</summary></entry>
</feed>"""
RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://x/"><title>La Lettre</title><link>http://x/</link></channel>
<item rdf:about="/rdf/1"><title>Le budget est vot\xc3\xa9</title><link>/rdf/1</link>
<dc:date>2026-12-01T07:30:00Z</dc:date><description>Le Parlement a vot\xc3\xa9.</description></item>
</rdf:RDF>"""

DAY = "Tue, 01 Dec 2026 08:00:00 GMT"


class Site:
    """The feeds and pages of the test, changeable between polls; counts what it served."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.url = ""

    def add(self, path: str, body: bytes, media_type: str = "text/html; charset=utf-8",
            status: int = 200, **headers: str) -> None:  # fmt: skip
        self.routes[path] = (status, media_type, body, headers)


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            served.requests.append((self.path, dict(self.headers)))
            status, media_type, body, headers = served.routes.get(
                self.path, (404, "text/html", b"<html>not found</html>", {}))  # fmt: skip
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield served
    server.shutdown()


def news_site(site: Site) -> None:
    site.add("/a/1.html", page("Un sommet à Bichkek", PARAGRAPHS))
    site.add("/a/2.html", page("La réforme des retraites", [
        "Le gouvernement présente aujourd'hui sa réforme des retraites au conseil des ministres.",
        "Les syndicats appellent à une journée de grève nationale jeudi prochain dans le pays.",
    ]))  # fmt: skip
    site.add("/feed.xml", rss([("Un sommet &#224; Bichkek", "/a/1.html", DAY),
                               ("La r&#233;forme des retraites", "/a/2.html",
                                "Tue, 01 Dec 2026 10:00:00 GMT")]),
             "application/rss+xml", ETag='"v1"')  # fmt: skip


def watch(site: Site, out: Path, *args: str) -> object:
    return runner.invoke(app, ["watch", *args, "-o", str(out), "--once", "--delay", "0",
                               "--no-memory"])  # fmt: skip


def test_a_feed_becomes_articles_and_a_digest(site: Site, tmp_path: Path, use_fake) -> None:
    news_site(site)
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/feed.xml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"translate-news: {out}: 2 new, 0 updated, 0 duplicate, 0 failed\n"
    assert sorted(tree(out)) == [
        "127.0.0.1/2026-12-01/la-reforme-des-retraites.en.html",
        "127.0.0.1/2026-12-01/un-sommet-a-bichkek.en.html", "digest/2026-12-01.html",
        "digest/2026-12-01.jsonl", "digest/2026-12-01.md", "watch-state.json",
    ]  # fmt: skip
    digest = (out / "digest/2026-12-01.md").read_text(encoding="utf-8")
    assert digest.splitlines()[:6] == [
        "# English digest, 2026-12-01",
        "",
        "## Le Quotidien",
        "",
        "### [EN<La réforme des retraites>]"
        "(../127.0.0.1/2026-12-01/la-reforme-des-retraites.en.html)",
        "",
    ]  # fmt: skip  (newest first)
    assert "Le Quotidien · 2026-12-01 10:00:00 UTC · 1 sentence to check" in digest
    entries = [json.loads(line) for line in (out / "digest/2026-12-01.jsonl").open()]
    assert [e["headline"] for e in entries] == ["EN<La réforme des retraites>",
                                                "EN<Un sommet à Bichkek>"]  # fmt: skip
    assert entries[1]["summary"][0].startswith("EN<")
    html = (out / "127.0.0.1/2026-12-01/un-sommet-a-bichkek.en.html").read_text()
    assert "EN&lt;Le président est arrivé hier à Bichkek" in html


def test_a_progress_bar_counts_articles_on_a_terminal(
    site: Site, tmp_path: Path, fake_translator: FakeTranslator, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate_news.folders.progress import ConsoleProgress
    from translate_news.options import Request
    from translate_news.watch.run import WatchOptions, watch_once

    news_site(site)
    progress = ConsoleProgress(unit="articles")
    progress.show_bar = True  # as on a terminal
    feeds, request = [f"{site.url}/feed.xml"], Request(mode="both")
    report = watch_once(feeds, tmp_path / "out", lambda: fake_translator, request,
                        WatchOptions(delay_s=0), progress=progress)  # fmt: skip
    assert report.new == 2
    shown = capsys.readouterr().err
    assert "2/2 articles · 7 sentences" in shown, shown  # 2 headlines, 3 + 2 sentences


def test_a_redirect_to_another_host_waits_that_hosts_turn(site: Site) -> None:
    from translate_news.watch.fetching import PoliteFetcher

    port = site.url.rsplit(":", 1)[1]
    other = f"http://localhost:{port}"  # the same test server under another host name
    site.add("/a/1.html", page("Un sommet", PARAGRAPHS))
    site.add("/go", b"", status=302, Location=f"{other}/a/1.html")
    waits: list[float] = []
    fetcher = PoliteFetcher(delay_s=30, sleep=waits.append)
    fetcher.fetch(f"{other}/a/1.html")  # localhost's turn taken: the next waits ~30 s
    fetched = fetcher.fetch(f"{site.url}/go")  # 127.0.0.1's first request: no wait, but...
    fetcher.close()
    assert fetched.url == f"{other}/a/1.html"
    assert len(waits) == 1 and 29 < waits[0] <= 30  # ...its redirect to localhost waited


def test_verbose_says_each_fetch_and_output(site: Site, tmp_path: Path, use_fake) -> None:
    news_site(site)
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/feed.xml", "-v")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    fetched = [line for line in lines if " bytes (" in line]
    assert len(fetched) == 3  # the feed, then its two pages
    assert fetched[0].startswith(f"translate-news: {site.url}/feed.xml: application/rss+xml, ")
    written = [line for line in lines if line.endswith(".en.html")]
    assert sorted(written) == sorted(
        f"translate-news: {site.url}/a/{n}.html: {out}/127.0.0.1/2026-12-01/{slug}.en.html"
        for n, slug in ((1, "un-sommet-a-bichkek"), (2, "la-reforme-des-retraites"))
    )


def test_a_second_poll_asks_conditionally_and_finds_nothing_new(
    site: Site, tmp_path: Path, use_fake
) -> None:
    news_site(site)
    out = tmp_path / "out"
    watch(site, out, f"{site.url}/feed.xml")
    before = tree(out)
    site.requests.clear()
    again = watch(site, out, f"{site.url}/feed.xml")
    assert again.stderr == f"translate-news: {out}: 0 new, 0 updated, 0 duplicate, 0 failed\n"
    assert [(path, headers.get("If-None-Match")) for path, headers in site.requests] == [
        ("/feed.xml", '"v1"')]  # fmt: skip
    assert tree(out) == before


def test_feed_kinds_and_encodings(site: Site, tmp_path: Path, use_fake) -> None:
    site.add("/atom.xml", ATOM, "application/atom+xml")
    site.add("/rdf.xml", RDF, "application/rdf+xml")
    site.add("/cp1252.xml", rss([("L'&#233;t&#233; &amp; l'hiver \u2019", "/a/9.html", DAY)],
                                "windows-1252"), "application/rss+xml")  # fmt: skip
    site.add("/feed.gz", gzip.compress(rss([("Compress\u00e9", "/a/8.html", DAY)])),
             "application/rss+xml", **{"Content-Encoding": "gzip"})  # fmt: skip
    site.add("/moved", b"", status=302, Location="/moved2")
    site.add("/moved2", b"", status=301, Location="/atom.xml")
    out = tmp_path / "out"
    feeds = [f"{site.url}/{name}" for name in ("atom.xml", "rdf.xml", "cp1252.xml", "feed.gz")]
    result = watch(site, out, *feeds, f"{site.url}/moved")
    assert result.exit_code == 0, result.stderr
    entries = [json.loads(line) for line in (out / "digest/2026-12-01.jsonl").open()]
    assert sorted(e["headline_fr"] for e in entries) == [
        "Compressé",
        "L'été & l'hiver \u2019",
        "Le budget est voté",
        "Les agriculteurs manifestent",
    ]
    urls = sorted(e["url"] for e in entries)
    assert urls == [
        f"{site.url}/a/8.html",
        f"{site.url}/a/9.html",
        f"{site.url}/atom/1",
        f"{site.url}/rdf/1",
    ]  # fmt: skip  (relative links made absolute)
    # the pages do not exist: each article comes from its feed's text, said once each
    assert all(e["from_feed"] for e in entries)
    assert result.stderr.count(W) == 4
    assert (
        W + f"{site.url}/atom/1: the server answered HTTP 404 Not Found; the feed's text is "
        "used instead\n" in result.stderr
    )
    assert result.stderr.endswith(
        "4 new, 0 updated, 1 duplicate, 4 from the feed's text, 0 failed\n"
    )  # the moved atom


def test_bad_sources_are_one_line_each_and_the_others_go_on(
    site: Site, tmp_path: Path, use_fake
) -> None:
    news_site(site)
    site.add("/broken.xml", b"this is not a feed {", "application/rss+xml")
    site.add("/page.html", page("Pas un flux", PARAGRAPHS))
    site.add("/huge.xml", b"<rss>" + b" " * 3000 + b"</rss>", "application/rss+xml")
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/broken.xml", f"{site.url}/page.html",
                   f"{site.url}/gone.xml", f"{site.url}/huge.xml", f"{site.url}/feed.xml",
                   "--max-bytes", "2000")  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        E + f"{site.url}/broken.xml: not an RSS, Atom or RDF feed (syntax error); fix: check "
        "the feed's address (an RSS, Atom or RDF feed, not a web page)",
        E + f"{site.url}/page.html: is a web page, not a feed; fix: check the feed's address "
        "(an RSS, Atom or RDF feed, not a web page)",
        E + f"{site.url}/gone.xml: the server answered HTTP 404 Not Found; fix: check the "
        "address (or try again later)",
        E + f"{site.url}/huge.xml: the page is over 2,000 bytes, too large for a news article; "
        "fix: save the article's text to a file and pass the file",
    ]  # fmt: skip
    assert lines[-1] == f"translate-news: {out}: 2 new, 0 updated, 0 duplicate, 4 failed"


def test_one_wire_story_in_two_feeds_is_one_article(site: Site, tmp_path: Path, use_fake) -> None:
    site.add("/a/1.html", page("Sommet : les dirigeants à Bichkek", PARAGRAPHS))
    site.add("/b/7.html", page("Les chefs d'État réunis au Kirghizistan", PARAGRAPHS))
    site.add("/one.xml", rss([("Sommet", "/a/1.html", DAY)]), "application/rss+xml")
    site.add("/two.xml", rss([("Chefs", "/b/7.html", "Tue, 01 Dec 2026 08:05:00 GMT")]),
             "application/rss+xml")  # fmt: skip
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/one.xml", f"{site.url}/two.xml")
    assert result.stderr.endswith("1 new, 0 updated, 1 duplicate, 0 failed\n"), result.stderr
    entries = [json.loads(line) for line in (out / "digest/2026-12-01.jsonl").open()]
    assert len(entries) == 1 and entries[0]["also"] == [f"{site.url}/b/7.html"]
    assert f"also in {site.url}/b/7.html" in (out / "digest/2026-12-01.md").read_text()


def test_an_article_updated_between_polls_is_a_new_version(
    site: Site, tmp_path: Path, use_fake
) -> None:
    news_site(site)
    out = tmp_path / "out"
    watch(site, out, f"{site.url}/feed.xml")
    site.add(
        "/a/1.html",
        page(
            "Un sommet à Bichkek",
            [
                *PARAGRAPHS,
                "Mise à jour : la déclaration a été signée par tous les dirigeants présents.",
            ],
        ),
    )
    site.add("/feed.xml", rss([("Un sommet &#224; Bichkek", "/a/1.html",
                                "Tue, 01 Dec 2026 12:00:00 GMT")]),
             "application/rss+xml", ETag='"v2"')  # fmt: skip
    again = watch(site, out, f"{site.url}/feed.xml")
    assert again.stderr.endswith("0 new, 1 updated, 0 duplicate, 0 failed\n"), again.stderr
    day = out / "127.0.0.1/2026-12-01"
    assert sorted(p.name for p in day.iterdir()) == [
        "la-reforme-des-retraites.en.html", "un-sommet-a-bichkek-v2.en.html",
        "un-sommet-a-bichkek.en.html"]  # fmt: skip
    entries = [json.loads(line) for line in (out / "digest/2026-12-01.jsonl").open()]
    assert (entries[0]["headline"], entries[0]["version"]) == ("EN<Un sommet à Bichkek>", 2)


def test_an_entry_marked_updated_is_fetched_again(site: Site, tmp_path: Path, use_fake) -> None:
    """Atom's <updated> moves on (text and date of the entry unchanged): the page is fetched
    again; a changed page is a new version, the same page is nothing new."""

    def atom(updated: str) -> bytes:
        return ATOM.replace(b"<updated>2026-12-01T09:00:00Z</updated><summary>",
                            f"<published>2026-12-01T09:00:00Z</published><updated>{updated}"
                            "</updated><summary>".encode())  # fmt: skip

    site.add("/atom/1", page("Les agriculteurs manifestent", PARAGRAPHS))
    site.add("/atom.xml", atom("2026-12-01T09:00:00Z"), "application/atom+xml")
    out = tmp_path / "out"
    first = watch(site, out, f"{site.url}/atom.xml")
    assert first.stderr.endswith("1 new, 0 updated, 0 duplicate, 0 failed\n"), first.stderr
    site.add("/atom.xml", atom("2026-12-01T11:00:00Z"), "application/atom+xml")
    calls = len(use_fake.calls)
    same = watch(site, out, f"{site.url}/atom.xml")  # fetched again: the same text
    assert same.stderr.endswith("0 new, 0 updated, 0 duplicate, 0 failed\n"), same.stderr
    assert len(use_fake.calls) == calls  # nothing translated again
    assert sum(path == "/atom/1" for path, _ in site.requests) == 2
    update = "Mise à jour : les barrages sont levés dans tout le département ce soir."
    site.add("/atom/1", page("Les agriculteurs manifestent", [*PARAGRAPHS, update]))
    site.add("/atom.xml", atom("2026-12-01T12:00:00Z"), "application/atom+xml")
    changed = watch(site, out, f"{site.url}/atom.xml")
    assert changed.stderr.endswith("0 new, 1 updated, 0 duplicate, 0 failed\n"), changed.stderr


def test_an_item_linking_a_pdf_is_read_as_a_document(site: Site, tmp_path: Path, use_fake) -> None:
    from documents import articles, build_pdf

    article = articles()[2]
    pdf = build_pdf(tmp_path / "c.pdf", article["paragraphs"], title="Communique du ministere",
                    header="Service de presse", page_numbers=True)  # fmt: skip
    assert pdf.pages >= 2
    site.add("/c.pdf", pdf.path.read_bytes(), "application/pdf")
    site.add("/feed.xml", rss([("Communiqu&#233;", "/c.pdf", DAY)]), "application/rss+xml")
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/feed.xml")
    assert result.stderr.endswith("1 new, 0 updated, 0 duplicate, 0 failed\n"), result.stderr
    entries = [json.loads(line) for line in (out / "digest/2026-12-01.jsonl").open()]
    assert entries[0]["headline"] == "EN<Communique du ministere>"  # the PDF's, not the feed's
    page = next(out.glob("127.0.0.1/*/*.en.html")).read_text(encoding="utf-8")
    assert "EN&lt;Service de presse" not in page and "EN&lt;Page 1" not in page  # furniture


def test_match_keeps_articles_naming_a_term(site: Site, tmp_path: Path, use_fake) -> None:
    news_site(site)
    terms = tmp_path / "terms.txt"
    terms.write_text("# the beat\nBichkek\n", encoding="utf-8")
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/feed.xml", "--match", str(terms))
    assert result.stderr.endswith(
        "1 new, 0 updated, 0 duplicate, 1 without a --match term, 0 failed\n"
    )
    digest = (out / "digest/2026-12-01.html").read_text(encoding="utf-8")
    assert "<mark>Bichkek</mark>" in digest and "retraites" not in digest


def test_an_item_without_a_link_is_read_from_the_feed(site: Site, tmp_path: Path, use_fake) -> None:
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Brèves</title>'
            "<item><title>Brève sans lien</title><pubDate>Tue, 01 Dec 2026 09:00:00 GMT"
            "</pubDate><description>Le conseil municipal a voté le budget hier soir."
            "</description></item></channel></rss>")  # fmt: skip
    site.add("/nolink.xml", feed.encode(), "application/rss+xml")
    out = tmp_path / "out"
    result = watch(site, out, f"{site.url}/nolink.xml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(
        "1 new, 0 updated, 0 duplicate, 1 from the feed's text, 0 failed\n"
    )
    assert sorted(tree(out))[0] == "127.0.0.1/2026-12-01/breve-sans-lien.en.html"
    again = watch(site, out, f"{site.url}/nolink.xml")  # known by its text: not new again
    assert again.stderr.endswith("0 new, 0 updated, 0 duplicate, 0 failed\n")


def test_usage_errors(tmp_path: Path) -> None:
    none = runner.invoke(app, ["watch", "-o", str(tmp_path / "o"), "--once"])
    assert (none.exit_code, none.stderr) == (2, E + "no feed to follow; fix: pass feed URLs, "
                                             "or --feeds FILE\n")  # fmt: skip
    bad = runner.invoke(app, ["watch", "ftp://x/feed", "--once"])
    assert bad.stderr == (
        E + "ftp://x/feed: is not an http(s) feed URL; fix: pass the feed's address\n"
    )
    every = runner.invoke(app, ["watch", "http://x/f", "--every", "soon"])
    assert every.stderr == E + "--every soon: not a duration; fix: pass --every 15m (or 30s, 1h)\n"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://a/feed\nnot-a-url\n", encoding="utf-8")
    listed = runner.invoke(app, ["watch", "--feeds", str(feeds), "--once"])
    assert listed.stderr.startswith(E + f"{feeds}:2: 'not-a-url' is not an http(s) URL")


def test_feeds_files_and_opml(tmp_path: Path) -> None:
    from translate_news.watch.sources import read_sources

    listed = tmp_path / "feeds.txt"
    listed.write_text("# morning\nhttp://a/rss  # Le Monde\n\nhttp://b/atom\nhttp://a/rss\n")
    assert read_sources(listed) == ["http://a/rss", "http://b/atom"]
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
                    '<outline xmlUrl="http://a/rss" text="A"/><outline xmlUrl="https://c/f"/>'
                    "</outline></body></opml>")  # fmt: skip
    assert read_sources(opml) == ["http://a/rss", "https://c/f"]


def test_kill_9_then_once_gives_what_an_uninterrupted_run_gives(site: Site, tmp_path: Path) -> None:
    items = []
    for number in range(6):
        site.add(f"/p/{number}.html", page(f"Article numéro {number}", [
            f"{p} ({number})" for p in PARAGRAPHS]))  # fmt: skip
        items.append((f"Article num&#233;ro {number}", f"/p/{number}.html",
                      f"Tue, 01 Dec 2026 0{number}:00:00 GMT"))  # fmt: skip
    site.add("/feed.xml", rss(items), "application/rss+xml", ETag='"k"')
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796000000", "FAULT_DELAY": "0.5"}
    command = [sys.executable, "-c", FAULT_CLI, "watch", f"{site.url}/feed.xml", "--once",
               "--delay", "0", "--no-memory", "-q"]  # fmt: skip
    whole = tmp_path / "whole"
    subprocess.run([*command, "-o", str(whole)], env=env, check=True, timeout=120)
    killed = tmp_path / "killed"
    chance = random.Random(7)
    for _ in range(5):
        process = subprocess.Popen([*command, "-o", str(killed)], env=env)
        time.sleep(chance.uniform(1.0, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = subprocess.run([*command, "-o", str(killed)], env=env, timeout=120)
    assert finished.returncode == 0
    assert tree(killed) == tree(whole)


def test_translate_each_pairs_items_and_skips_bad_ones(tmp_path: Path) -> None:
    from translate_news import PageText, translate_each
    from translate_news.inputs import default_patterns

    good = PageText("Titre\n\nUne phrase.\n")
    missing = tmp_path / "missing.txt"
    errors = []
    pairs = list(
        translate_each(
            [good, missing, PageText("Deux.\n")],
            FakeTranslator(),
            on_error=lambda item, error: errors.append((item, error.what)),
        )
    )
    assert [(item, result.article.title is not None) for item, result in pairs] == [
        (good, True), (PageText("Deux.\n"), False)]  # fmt: skip
    assert errors == [(missing, f"{missing}: no such file")]
    assert "*.rss" not in default_patterns()  # feeds are watched, not translated as folders


@pytest.mark.browser
def test_the_digest_in_a_real_browser(site: Site, tmp_path: Path, use_fake) -> None:
    import re as regex

    from conftest import browser

    news_site(site)
    out = tmp_path / "out"
    watch(site, out, f"{site.url}/feed.xml")
    digest = out / "digest/2026-12-01.html"
    dom = browser("--dump-dom", digest.as_uri())
    assert dom.returncode == 0, dom.stderr
    headlines = regex.findall(r'<h3><a href="([^"]+)">([^<]+)</a></h3>', dom.stdout)
    assert [title for _, title in headlines] == [
        "EN&lt;La réforme des retraites&gt;", "EN&lt;Un sommet à Bichkek&gt;"]  # fmt: skip
    for link, _ in headlines:  # each links to its bilingual page, which exists
        assert (digest.parent / link).resolve().is_file(), link
    artefacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artefacts.mkdir(exist_ok=True)
    for width in (1400, 390):
        shot = artefacts / f"digest-{width}.png"
        shot.unlink(missing_ok=True)
        taken = browser(f"--screenshot={shot}", f"--window-size={width},1000", digest.as_uri())
        assert taken.returncode == 0, taken.stderr
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
