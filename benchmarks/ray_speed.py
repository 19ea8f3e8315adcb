"""What the Ray engine costs on one small machine: Ray vs the local engine, same folder.

200 articles built as in batch_speed.py, the exact opus-mt-fr-en architecture with random
weights, outputs forced to 1.1x the input tokens, CTranslate2 int8, greedy. Rows, each in its
own process: the local engine with 2 threads; the Ray engine with 2 CPU actors of 1 thread on
a local Ray instance (started inside the timed run, as a laptop user would; its start-up is
printed apart). Expect overhead, not gain: both rows use the same 2 cores.

    python benchmarks/ray_speed.py [--articles 200] [--beams 1]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from batch_speed import build_articles
from translate_news import FolderOptions, ModelOptions, TranslateOptions, translate_folder
from translate_news.options import RayOptions
from translate_news.text.cleaning import prepare_article
from translate_news.text.normalize import to_model_input
from translate_speed import ForcedCTranslate2, build_model, forced_length, run_child

HERE = Path(__file__).resolve().parent


def count_tokens(model_dir: Path, articles: Path) -> tuple[int, int]:
    """(distinct sentences, forced output tokens) of the folder: the work both rows do."""
    translator = ForcedCTranslate2.load(ModelOptions(model=str(model_dir)), TranslateOptions())
    units: list[str] = []
    for path in sorted(articles.rglob("*.txt")):
        article = prepare_article(path.read_text(), count_tokens=translator.count_tokens)
        units += [to_model_input(u.source) for u in article.units() if u.status == "translated"]
    unique = list(dict.fromkeys(units))
    return len(unique), sum(forced_length(translator.count_tokens(s)) for s in unique)


def run_row(row: str, model_dir: Path, articles: Path, out: Path, beams: int) -> dict:
    options = TranslateOptions(beams=beams)
    folder = FolderOptions(use_memory=False)
    started = time.perf_counter()
    if row == "local":
        load = functools.partial(
            ForcedCTranslate2.load, ModelOptions(model=str(model_dir), threads=2), options
        )
        report = translate_folder([articles], out, load=load, folder_options=folder)
        ray_start = 0.0
    else:
        import ray

        # The actors unpickle ForcedCTranslate2 from this folder's translate_speed module.
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": {"PYTHONPATH": str(HERE)}},
        )
        ray_start = time.perf_counter() - started
        load = functools.partial(
            ForcedCTranslate2.load, ModelOptions(model=str(model_dir), threads=1), options
        )
        report = translate_folder(
            [articles],
            out,
            load=load,
            folder_options=folder,
            engine="ray",
            ray_options=RayOptions(workers=2),
        )
    seconds = time.perf_counter() - started
    assert not report.failed and report.done > 0, report.summary_line()
    return {"row": row, "seconds": seconds, "ray_start_s": ray_start, "done": report.done}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--articles-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.row:
        result = run_row(args.row, args.model_dir, args.articles_dir, args.out, args.beams)
        print(json.dumps(result))
        return
    workdir = Path(tempfile.mkdtemp(prefix="translate-news-ray-"))
    os.environ["TRANSLATE_NEWS_CACHE"] = str(workdir / "cache")
    model_dir = workdir / "opus-mt-fr-en-random"
    try:
        build_model(model_dir)
        articles = workdir / "articles"
        build_articles(articles, args.articles)
        sentences, tokens = count_tokens(model_dir, articles)  # also converts for CTranslate2
        results = []
        for row in ("local", "ray"):
            arguments = [
                "--row", row, "--model-dir", str(model_dir), "--articles-dir", str(articles),
                "--out", str(workdir / f"out-{row}"), "--beams", str(args.beams),
            ]  # fmt: skip
            results.append(run_child(__file__, arguments, row))
            print(f"  done {row}: {results[-1]['seconds']:.1f} s", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{args.articles} articles ({sentences} distinct sentences, {tokens} forced output "
        f"tokens), CTranslate2 int8, beams {args.beams}, this machine's 2 cores"
    )
    print(f"{'engine':<32}{'seconds':>9}{'tokens/s':>10}")
    names = {"local": "local, 2 threads", "ray": "ray, 2 actors x 1 thread"}
    for r in results:
        print(f"{names[r['row']]:<32}{r['seconds']:>9.1f}{tokens / r['seconds']:>10.0f}")
    local, ray = (r["seconds"] for r in results)
    start_up = results[1]["ray_start_s"]
    print(f"ray / local throughput: {local / ray:.2f}x (Ray start-up {start_up:.1f} s)")
    print(f"per-actor throughput on this machine: {tokens / ray / 2:.0f} tokens/s")


if __name__ == "__main__":
    main()
