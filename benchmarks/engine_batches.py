"""The engine alone at several batch sizes: what merging requests can gain at most.

    python benchmarks/engine_batches.py [--sentences 128] [--sizes 128 64 16 8 1]

The first `--sentences` newstest2014 sentences go through the random-weight opus-mt-fr-en
model (CTranslate2 int8, greedy, 2 threads, outputs forced to 1.1x the input tokens, as in
translate_speed.py) in consecutive batches of each size; prints the seconds for all of them.
A server whose clients each send one sentence can batch no more sentences than it has
requests in flight, so the row for that size bounds it.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from translate_speed import SHARED, ForcedCTranslate2, build_model


def main() -> None:
    from translate_news import ModelOptions, TranslateOptions

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=128)
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 64, 16, 8, 1])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="translate-news-batches-"))
    try:
        build_model(work / "model")
        options = ModelOptions(model=str(work / "model"), threads=2, device="cpu")
        engine = ForcedCTranslate2.load(options, TranslateOptions(beams=1))
        lines = [line.strip() for line in
                 (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
                 if line.strip()][: args.sentences]  # fmt: skip
        engine.translate(lines[:8])  # warm up
        timings = {}
        for size in args.sizes:
            started = time.perf_counter()
            for start in range(0, len(lines), size):
                engine.translate(lines[start : start + size])
            timings[size] = time.perf_counter() - started
        largest = timings[max(args.sizes)]
        for size, seconds in timings.items():
            print(f"batches of {size:>4}: {seconds:6.2f} s  ({largest / seconds:.2f}x the "
                  f"largest batches' speed)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
