"""Folder runs: one folder run vs a loop over the single-file path vs one big batch.

Articles are built from newstest2014.fra (then newstest2012.fra): 15 sentences each, the first
as headline, the rest in paragraphs of 3 to 5. The model has the exact opus-mt-fr-en
architecture with random weights, outputs forced to 1.1x the input tokens (as in
translate_speed.py). Each row runs in its own process, so peak RSS is the row's own.

    python benchmarks/batch_speed.py [--articles 200] [--beams 1] [--threads 2]

Rows: `per-file` calls translate_file + render + write for each article with one loaded
translator (the single-file path in a loop); `folder` is translate_folder on the folder (no
translation memory, so the model does every sentence); `one-batch` sends every distinct
sentence of every article to the translator in one call (the ideal). Then the folder run's
peak RSS at 50 and at 500 articles.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from translate_news import FolderOptions, ModelOptions, TranslateOptions, translate_folder
from translate_news.folders.atomic import write_atomic
from translate_news.renderers import render
from translate_news.text.cleaning import prepare_article
from translate_news.text.normalize import to_model_input
from translate_speed import (
    SHARED,
    ForcedCTranslate2,
    build_model,
    forced_length,
    peak_rss_mib,
    run_child,
)

SENTENCES_PER_ARTICLE = 15


def build_articles(folder: Path, count: int, pool: int | None = None) -> None:
    """`count` articles of 15 newstest sentences.

    With `pool`, article k reuses the sentences of article k % pool, each tagged with k (so
    none is a duplicate the pipeline would translate once): sets of any size then have the
    same sentence-length mix, which, not the number of files, sets the engine's peak memory.
    """
    lines: list[str] = []
    for name in ("newstest2014.fra", "newstest2012.fra"):
        text = (SHARED / name).read_text(encoding="utf-8")
        lines += [line.strip() for line in text.splitlines() if line.strip()]
    folder.mkdir(parents=True)
    for number in range(count):
        start = (number % pool if pool else number) * SENTENCES_PER_ARTICLE
        chosen = [lines[(start + k) % len(lines)] for k in range(SENTENCES_PER_ARTICLE)]
        if pool:
            chosen = [f"{sentence} ({number})" for sentence in chosen]
        paragraphs, rest = [chosen[0]], chosen[1:]
        size = 3
        while rest:
            paragraphs.append(" ".join(rest[:size]))
            rest = rest[size:]
            size = 3 + (size - 2) % 3  # 3, 4, 5, 3, ...
        day = folder / f"day{number % 10:02d}"
        day.mkdir(exist_ok=True)
        (day / f"article{number:04d}.txt").write_text("\n\n".join(paragraphs) + "\n")


def run_row(row: str, model_dir: Path, articles: Path, out: Path, args: argparse.Namespace) -> dict:
    options = ModelOptions(model=str(model_dir), threads=args.threads, device="cpu")
    translator = ForcedCTranslate2.load(options, TranslateOptions(beams=args.beams))
    paths = sorted(articles.rglob("*.txt"))
    units = []
    for path in paths:
        article = prepare_article(path.read_text(), count_tokens=translator.count_tokens)
        units += [to_model_input(u.source) for u in article.units() if u.status == "translated"]
    unique = list(dict.fromkeys(units))
    tokens = sum(forced_length(translator.count_tokens(s)) for s in unique)
    started = time.perf_counter()
    if row == "per-file":
        from translate_news import translate_file

        out.mkdir()
        for path in paths:
            result = translate_file(path, translator)
            write_atomic(out / f"{path.stem}.en.txt", render(result, "text"))
    elif row == "folder":
        report = translate_folder(
            [articles], out, translator, folder_options=FolderOptions(use_memory=False)
        )
        assert report.done == len(paths) and not report.failed, report.summary_line()
    else:
        translator.translate(unique)
    seconds = time.perf_counter() - started
    return {
        "row": row,
        "articles": len(paths),
        "sentences": len(unique),
        "tokens": tokens,
        "seconds": seconds,
        "tokens_per_s": tokens / seconds,
        "peak_rss_mib": peak_rss_mib(),
    }


def _child(args: argparse.Namespace, row: str, articles: Path, out: Path) -> dict:
    arguments = [
        "--row", row, "--model-dir", str(args.model_dir), "--articles-dir", str(articles),
        "--out", str(out), "--beams", str(args.beams), "--threads", str(args.threads),
    ]  # fmt: skip
    return run_child(__file__, arguments, row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rss-articles", default="50,500", help="folder-run RSS rows")
    parser.add_argument("--skip-speed", action="store_true", help="only the RSS rows")
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--articles-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.row:  # child process: one row
        print(json.dumps(run_row(args.row, args.model_dir, args.articles_dir, args.out, args)))
        return
    import os

    workdir = Path(tempfile.mkdtemp(prefix="translate-news-batch-"))
    os.environ["TRANSLATE_NEWS_CACHE"] = str(workdir / "cache")
    args.model_dir = workdir / "opus-mt-fr-en-random"
    try:
        build_model(args.model_dir)
        ForcedCTranslate2.load(ModelOptions(model=str(args.model_dir)), TranslateOptions())
        main_set = workdir / f"articles{args.articles}"
        build_articles(main_set, args.articles)
        results = []
        for row in () if args.skip_speed else ("per-file", "folder", "one-batch"):
            results.append(_child(args, row, main_set, workdir / f"out-{row}"))
            print(f"  done {row}: {results[-1]['tokens_per_s']:.0f} tokens/s", flush=True)
        rss = []
        counts = [int(n) for n in args.rss_articles.split(",")]
        for count in counts:  # the same sentence mix at every size
            articles = workdir / f"rss{count}"
            build_articles(articles, count, pool=min(counts))
            rss.append(_child(args, "folder", articles, workdir / f"out-rss{count}"))
            print(f"  done folder x{count}: {rss[-1]['peak_rss_mib']:.0f} MiB", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _report(args, results, rss)


def _report(args: argparse.Namespace, results: list[dict], rss: list[dict]) -> None:
    print("folder run peak RSS: " + ", ".join(
        f"{r['articles']} articles {r['peak_rss_mib']:.0f} MiB" for r in rss))  # fmt: skip
    if not results:
        return
    base = results[0]["tokens_per_s"]
    print(
        f"\n{args.articles} articles x {SENTENCES_PER_ARTICLE} newstest sentences, CTranslate2 "
        f"int8, beams {args.beams}, {args.threads} threads, outputs forced to 1.1x input tokens"
    )
    print(f"{'row':<11}{'sentences':>10}{'tokens':>8}{'seconds':>9}{'tokens/s':>10}"
          f"{'vs per-file':>12}{'RSS MiB':>9}")  # fmt: skip
    for r in results:
        print(
            f"{r['row']:<11}{r['sentences']:>10}{r['tokens']:>8}{r['seconds']:>9.1f}"
            f"{r['tokens_per_s']:>10.0f}{r['tokens_per_s'] / base:>11.2f}x"
            f"{r['peak_rss_mib']:>9.0f}"
        )
    folder, batch = results[1]["tokens_per_s"], results[2]["tokens_per_s"]
    print(f"folder run / one big batch: {folder / batch:.2f}x")


if __name__ == "__main__":
    main()
