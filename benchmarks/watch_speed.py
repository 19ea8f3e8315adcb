"""`translate-news watch` speed: articles per second from two local feeds, side by side with
a folder run over the same pages saved to disk, then a second poll with nothing new.

Two feeds of `--items` items each (default 100) are served from 127.0.0.1 by this script,
each item linking to a page of 15 newstest2014 sentences; the model has the exact
opus-mt-fr-en architecture with random weights (CTranslate2 int8, `--threads` 2, outputs
forced to 1.1x the input tokens, as in translate_speed.py). The goal: watch >= 0.8x the
folder run's articles per second (fetching hidden behind translation), and a second `--once`
with nothing new in under a second of its own work.

    python benchmarks/watch_speed.py [--items 100] [--beams 1]
"""

from __future__ import annotations

import argparse
import http.server
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from translate_speed import SHARED, ForcedCTranslate2, build_model


def make_site(count: int) -> dict[str, bytes]:
    lines = [line.strip() for line in
             (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
             if line.strip()]  # fmt: skip
    routes: dict[str, bytes] = {}
    for feed in ("un", "deux"):
        items = []
        for number in range(count):
            start = (number + (count if feed == "deux" else 0)) * 15
            chosen = [lines[(start + k) % len(lines)] for k in range(15)]
            title, body = chosen[0], "".join(f"<p>{s}</p>" for s in chosen[1:])
            path = f"/{feed}/{number}.html"
            routes[path] = (
                f"<html><head><title>{title}</title></head><body><article>"
                f"<h1>{title}</h1>{body}</article></body></html>"
            ).encode()
            items.append(f"<item><title>{title}</title><link>{path}</link><guid>{path}</guid>"
                         f"<pubDate>Tue, 01 Dec 2026 08:{number % 60:02d}:00 GMT</pubDate>"
                         "</item>")  # fmt: skip
        routes[f"/{feed}.xml"] = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{feed}</title><link>/</link>{''.join(items)}</channel></rss>"
        ).encode()
    return routes


def serve(routes: dict[str, bytes]) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", f'"{hash(body)}"')
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from translate_news import (
        FolderOptions,
        ModelOptions,
        Request,
        TranslateOptions,
        translate_folder,
    )
    from translate_news.watch.run import WatchOptions, watch_once

    work = Path(tempfile.mkdtemp(prefix="translate-news-watch-"))
    os.environ["TRANSLATE_NEWS_CACHE"] = str(work / "cache")
    try:
        build_model(work / "model")
        options = ModelOptions(model=str(work / "model"), threads=args.threads, device="cpu")
        decoding = TranslateOptions(beams=args.beams)
        translator = ForcedCTranslate2.load(options, decoding)
        routes = make_site(args.items)
        url, server = serve(routes)
        pages = work / "pages"
        for path, body in routes.items():
            if path.endswith(".html"):
                target = pages / path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(body)
        request = Request(model=options, translate=decoding, mode="both")
        articles = 2 * args.items
        started = time.perf_counter()
        report = translate_folder([pages], work / "folder-out", translator, request,
                                  folder_options=FolderOptions(use_memory=False))  # fmt: skip
        folder_s = time.perf_counter() - started
        assert report.done == articles, report.summary_line()
        feeds = [f"{url}/un.xml", f"{url}/deux.xml"]
        watching = WatchOptions(delay_s=0.0)
        started = time.perf_counter()
        first = watch_once(feeds, work / "watch-out", lambda: translator, request, watching)
        watch_s = time.perf_counter() - started
        assert first.new == articles and not first.failed, first.summary_line()
        started = time.perf_counter()
        second = watch_once(feeds, work / "watch-out", lambda: translator, request, watching)
        again_s = time.perf_counter() - started
        assert second.new == 0, second.summary_line()
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n2 feeds x {args.items} items (15 newstest sentences each), random-weight "
          f"opus-mt-fr-en, CTranslate2 int8, beams {args.beams}, {args.threads} threads, "
          "mode both, pages on 127.0.0.1")  # fmt: skip
    print(
        f"folder run over the saved pages: {articles / folder_s:.2f} articles/s ({folder_s:.1f} s)"
    )
    print(
        f"watch --once (fetching the feeds and pages): {articles / watch_s:.2f} articles/s "
        f"({watch_s:.1f} s): {folder_s / watch_s:.2f}x the folder run"
    )
    print(f"second --once, nothing new: {again_s:.2f} s")


if __name__ == "__main__":
    main()
