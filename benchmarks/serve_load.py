"""`translate-news serve` under load: tokens/s and latency at 1, 4, 16 and 64 clients.

The server runs in its own process with a model of the exact opus-mt-fr-en architecture and
random weights (CTranslate2 int8, 2 threads, outputs forced to 1.1x the input tokens, as in
translate_speed.py); HTTP clients (threads, one keep-alive session each) on 127.0.0.1 in this
process send single newstest2014 sentences (LibreTranslate's /translate) and whole articles
(15 newstest sentences, /v1/articles). Side by side, in the same run:

- the same sentences and articles through the in-process folder run (the batch baseline);
- the same server with merging turned off (`--no-merge`: one request at a time on the model).

Every request carries a marker `[R<n>]` that the server's engine (the same forced-length
engine, plus one step) copies to the end of the translation of the sentence that holds it, so
each answer is checked against its own request: a lost, swapped or mismatched answer is
counted (random weights give no English to compare; and the same input in a differently
composed batch may decode differently, so comparing with an earlier answer would not do).

Then a soak: `--soak` requests (default 10,000) from 32 clients, the 512 shortest newstest2014
sentences in turn: errors, lost and mismatched answers are counted, and the server's RSS is
read after each thousand requests (first against last).

    python benchmarks/serve_load.py [--sentences 256] [--articles 16] [--soak 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from batch_speed import build_articles
from translate_speed import SHARED, ForcedCTranslate2, build_model, forced_length

LEVELS = (1, 4, 16, 64)
MARKER = re.compile(r"\[R\d+\]")


class TaggedCTranslate2(ForcedCTranslate2):
    """The forced-length engine; a sentence holding a marker gets it at the end of its
    translation (the check that each answer is its own request's)."""

    def translate(self, sentences: list[str]) -> list[str]:
        return [
            _tagged(text, s)
            for text, s in zip(super().translate(sentences), sentences, strict=True)
        ]

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float]]:
        found = super().translate_with_confidence(sentences, avoid_repeats)
        return [
            (_tagged(text, s), score) for (text, score), s in zip(found, sentences, strict=True)
        ]


def _tagged(text: str, source: str) -> str:
    marker = MARKER.search(source)
    return f"{text} {marker.group()}" if marker else text


def marked(text: str, number: int) -> str:
    return f"{text} [R{number}]"


def mismatched(request: dict[str, Any], answer: Any, number: int) -> bool:
    """Whether an answer is not its request's: its one marker must be the request's."""
    if "translatedText" in answer:
        text = answer["translatedText"]
    else:  # an article: the English of its sentences (their French holds the marker too)
        text = " ".join(s["target"] or "" for p in answer["paragraphs"] for s in p)
    return MARKER.findall(text) != [f"[R{number}]"]


def serve_child(args: argparse.Namespace) -> None:
    """The server process: the forced-length engine behind `translate-news serve`."""
    from translate_news import ModelOptions, Request, TranslateOptions
    from translate_news.serve.app import Service
    from translate_news.serve.server import serve
    from translate_news.serve.settings import Limits, ServeSettings

    options = ModelOptions(model=str(args.model_dir), threads=args.threads, device="cpu")
    decoding = TranslateOptions(beams=args.beams)
    settings = ServeSettings(
        port=args.port, merge=not args.no_merge, queue_size=256,

        limits=Limits(requests_per_minute=1_000_000, characters=100_000, texts=1000),
    )  # fmt: skip
    service = Service(settings, Request(model=options, translate=decoding),
                      lambda: TaggedCTranslate2.load(options, decoding))  # fmt: skip
    serve(service)


class Server:
    """A server process on a free port of 127.0.0.1."""

    def __init__(self, args: argparse.Namespace, merge: bool) -> None:
        import requests

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [sys.executable, __file__, "--serve", "--port", str(self.port),
                   "--model-dir", str(args.model_dir), "--threads", str(args.threads),
                   "--beams", str(args.beams),
                   *([] if merge else ["--no-merge"])]  # fmt: skip
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.2)

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) / 1024 for line in status.splitlines()
                    if line.startswith("VmRSS:"))  # fmt: skip

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(60)


def drive(url: str, clients: int, requests_: list[tuple[str, dict]]) -> dict[str, Any]:
    """Send `requests_` (path, JSON body) from `clients` threads; latencies, answers (by
    index), errors and the answers that are not their request's (request n holds [Rn])."""
    import requests

    pending = iter(enumerate(requests_))
    lock = threading.Lock()
    latencies: list[float] = []
    answers: dict[int, Any] = {}
    errors: list[str] = []

    def client() -> None:
        session = requests.Session()
        while True:
            with lock:
                item = next(pending, None)
            if item is None:
                return
            index, (path, body) = item
            started = time.perf_counter()
            try:
                answer = session.post(url + path, json=body, timeout=600)
                ok = answer.status_code == 200
                value = answer.json() if ok else None
            except Exception as error:  # counted, not raised: the soak reports them
                ok, value = False, repr(error)
            seconds = time.perf_counter() - started
            with lock:
                latencies.append(seconds)
                if ok:
                    answers[index] = value
                else:
                    errors.append(f"{index}: {value}")

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    wall = time.perf_counter() - started
    wrong = sum(mismatched(requests_[index][1], answer, index) for index, answer in answers.items())
    lost = len(requests_) - len(answers) - len(errors)
    return {"wall": wall, "latencies": latencies, "answers": answers, "errors": errors,
            "mismatched": wrong, "lost": lost}  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def folder_baseline(args: argparse.Namespace, texts: list[str], work: Path) -> float:
    """Seconds for the in-process folder run over `texts`, one file each."""
    from translate_news import FolderOptions, ModelOptions, TranslateOptions, translate_folder

    folder = work / f"folder-{len(texts)}"
    folder.mkdir()
    for number, text in enumerate(texts):
        (folder / f"{number:05d}.txt").write_text(text + "\n", encoding="utf-8")
    options = ModelOptions(model=str(args.model_dir), threads=args.threads, device="cpu")
    translator = ForcedCTranslate2.load(options, TranslateOptions(beams=args.beams))
    started = time.perf_counter()
    report = translate_folder([folder], work / f"out-{len(texts)}", translator,
                              folder_options=FolderOptions(use_memory=False))  # fmt: skip
    assert report.done == len(texts) and not report.failed, report.summary_line()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--soak", type=int, default=10_000)
    parser.add_argument("--soak-clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-merge", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_child(args)
        return
    work = Path(tempfile.mkdtemp(prefix="translate-news-serve-"))
    os.environ["TRANSLATE_NEWS_CACHE"] = str(work / "cache")
    args.model_dir = work / "opus-mt-fr-en-random"
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    from translate_news import ModelOptions, TranslateOptions

    build_model(args.model_dir)
    probe = ForcedCTranslate2.load(ModelOptions(model=str(args.model_dir)), TranslateOptions())
    lines = [line.strip() for line in
             (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
             if line.strip()]  # fmt: skip
    sentences = lines[: args.sentences]
    build_articles(work / "articles", args.articles)
    articles = [path.read_text(encoding="utf-8").strip()
                for path in sorted((work / "articles").rglob("*.txt"))]  # fmt: skip

    def tokens(texts: list[str]) -> int:
        from translate_news.text.cleaning import prepare_article

        units = [u.source for text in texts for u in
                 prepare_article(text, count_tokens=probe.count_tokens).units()
                 if u.status == "translated"]  # fmt: skip
        return sum(forced_length(probe.count_tokens(u)) for u in dict.fromkeys(units))

    workloads = {
        "sentence": (sentences, [("/translate", {"q": marked(s, n), "source": "fr",
                                                 "target": "en"})
                                 for n, s in enumerate(sentences)]),
        "article": (articles, [("/v1/articles", {"text": marked(a, n)})
                               for n, a in enumerate(articles)]),
    }  # fmt: skip
    rows: list[dict[str, Any]] = []
    for kind, (texts, _) in workloads.items():
        seconds = folder_baseline(args, texts, work)
        rows.append({"kind": kind, "setup": "folder run", "clients": "-",
                     "tokens_per_s": tokens(texts) / seconds})  # fmt: skip
        print(f"  folder run, {kind}s: {rows[-1]['tokens_per_s']:.0f} tokens/s", flush=True)
    levels = [int(n) for n in args.levels.split(",")]
    shortest = sorted(lines, key=len)[:512]
    for setup, merge in (("server", True), ("server, no merge", False)):
        server = Server(args, merge)
        try:
            for kind, (texts, requests_) in workloads.items():
                for clients in levels:
                    ran = drive(server.url, clients, requests_)
                    assert not ran["errors"], ran["errors"][:3]
                    assert not ran["mismatched"] and not ran["lost"], ran["mismatched"]
                    lat = ran["latencies"]
                    rows.append({
                        "kind": kind, "setup": setup,
                        "clients": clients, "tokens_per_s": tokens(texts) / ran["wall"],
                        "p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95),
                        "p99": percentile(lat, 0.99),
                    })  # fmt: skip
                    print(f"  {rows[-1]['setup']}, {kind}s, {clients} clients: "
                          f"{rows[-1]['tokens_per_s']:.0f} tokens/s", flush=True)  # fmt: skip
            if setup == "server" and args.soak:
                soak = run_soak(server, args, shortest)
        finally:
            server.stop()
    report(args, rows, soak if args.soak else None)


def run_soak(server: Server, args: argparse.Namespace, sentences: list[str]) -> dict[str, Any]:
    """`args.soak` requests from `args.soak_clients` clients, a thousand at a time, each answer
    checked against its request; the server's RSS after each thousand."""
    done, errors, wrong, lost, rss = 0, 0, 0, 0, []
    started = time.perf_counter()
    while done < args.soak:
        count = min(1000, args.soak - done)
        chosen = [sentences[(done + k) % len(sentences)] for k in range(count)]
        ran = drive(server.url, args.soak_clients,
                    [("/translate", {"q": marked(s, k), "source": "fr", "target": "en"})
                     for k, s in enumerate(chosen)])  # fmt: skip
        errors += len(ran["errors"])
        lost += ran["lost"]
        wrong += ran["mismatched"]
        rss.append(server.rss_mib())
        done += count
        print(f"  soak: {done} requests, RSS {rss[-1]:.0f} MiB", flush=True)
    return {"requests": done, "errors": errors, "mismatched": wrong, "lost": lost,
            "rss": rss, "seconds": time.perf_counter() - started}  # fmt: skip


def report(args: argparse.Namespace, rows: list[dict[str, Any]], soak: dict | None) -> None:
    print(
        f"\nrandom-weight opus-mt-fr-en, CTranslate2 int8, beams {args.beams}, "
        f"{args.threads} threads, outputs forced to 1.1x input tokens; clients on 127.0.0.1"
    )
    print(f"{'load':<9}{'setup':<21}{'clients':>8}{'tokens/s':>10}{'vs folder':>10}"
          f"{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}")  # fmt: skip
    folder = {row["kind"]: row["tokens_per_s"] for row in rows if row["setup"] == "folder run"}
    for row in rows:
        latency = "".join(f"{row[k]:>8.2f}" if k in row else f"{'-':>8}"
                          for k in ("p50", "p95", "p99"))  # fmt: skip
        print(f"{row['kind']:<9}{row['setup']:<21}{row['clients']!s:>8}"
              f"{row['tokens_per_s']:>10.0f}{row['tokens_per_s'] / folder[row['kind']]:>9.2f}x"
              f"{latency}")  # fmt: skip
    for kind in folder:
        merged = next((r for r in rows if r["kind"] == kind and r["setup"] == "server"
                       and r["clients"] == 16), None)  # fmt: skip
        alone = next((r for r in rows if r["kind"] == kind and r["setup"] == "server, no merge"
                      and r["clients"] == 16), None)  # fmt: skip
        if merged and alone:
            print(f"{kind}s at 16 clients: {merged['tokens_per_s'] / folder[kind]:.2f}x the "
                  f"folder run, {merged['tokens_per_s'] / alone['tokens_per_s']:.2f}x the "
                  "unmerged server")  # fmt: skip
    if soak:
        first, last = soak["rss"][0], soak["rss"][-1]
        print(
            f"soak: {soak['requests']} requests from {args.soak_clients} clients in "
            f"{soak['seconds']:.0f} s: {soak['errors']} errors, {soak['lost']} lost, "
            f"{soak['mismatched']} mismatched; server RSS after the first thousand "
            f"{first:.0f} MiB, after the last {last:.0f} MiB ({last / first - 1:+.1%})"
        )
    print(json.dumps({"rows": rows, "soak": soak}))


if __name__ == "__main__":
    main()
