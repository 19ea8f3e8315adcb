"""Translation speed: the naive way vs this project's pipeline, side by side in one run.

Builds (in a temporary folder) a model with the exact architecture of opus-mt-fr-en and random
weights, and a sentencepiece vocabulary trained on newstest2012. Every output is forced to
ceil(1.1 x input tokens), so random weights do the same amount of work as a real model.
Each row runs in its own process so that peak RSS is that row's own.

    python benchmarks/translate_speed.py [--sentences 200] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from translate_news import TranslateOptions
from translate_news.backends.transformers_backend import TransformersTranslator

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ROWS = ("naive-beam4", "pipeline-beam4", "pipeline-greedy")


def forced_length(input_tokens: int) -> int:
    return math.ceil(1.1 * input_tokens)


class ForcedLengths(TransformersTranslator):
    """The project's transformers backend with every output forced to `forced_length`."""

    def _output_bounds(self, input_lengths: list[int]) -> tuple[list[int], list[int]]:
        forced = [forced_length(n) for n in input_lengths]
        return forced, forced


def build_model(folder: Path) -> None:
    from translate_news.testing import OPUS_MT_FR_EN_ARCHITECTURE, build_marian_model

    def lines(name: str) -> list[str]:
        return (SHARED / name).read_text(encoding="utf-8").splitlines()

    build_marian_model(
        folder,
        lines("newstest2012.fra"),
        lines("newstest2012.eng"),
        architecture=OPUS_MT_FR_EN_ARCHITECTURE,
        spm_vocab_size=8000,
    )


def run_row(
    row: str, model_dir: Path, sentences: list[str], threads: int, batch_tokens: int
) -> dict[str, Any]:
    import torch

    from translate_news import ModelOptions

    torch.set_num_threads(threads)

    started = time.perf_counter()
    translator = ForcedLengths.load(
        ModelOptions(model=str(model_dir), device="cpu", threads=threads),
        TranslateOptions(beams=1 if row.endswith("greedy") else 4, max_batch_tokens=batch_tokens),
    )
    load_seconds = time.perf_counter() - started
    tokens = sum(forced_length(translator.count_tokens(s)) for s in sentences)
    started = time.perf_counter()
    if row == "naive-beam4":
        tokenizer, model = translator.tokenizer, translator.model
        with torch.inference_mode():
            for sentence in sentences:
                encoded = tokenizer(sentence, return_tensors="pt")
                length = forced_length(encoded.input_ids.shape[1])
                model.generate(**encoded, num_beams=4, min_new_tokens=length, max_new_tokens=length)
    else:
        translator.translate(sentences)
    seconds = time.perf_counter() - started
    return {
        "row": row,
        "tokens": tokens,
        "seconds": seconds,
        "tokens_per_s": tokens / seconds,
        "load_s": load_seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def help_wall_time(repeats: int = 5) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "translate_news", "--help"], capture_output=True, check=True
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--batch-tokens", type=int, default=TranslateOptions.max_batch_tokens)
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    lines = (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
    sentences = [line for line in lines if line.strip()][: args.sentences]
    if args.row:  # child process: one row
        print(
            json.dumps(
                run_row(args.row, args.model_dir, sentences, args.threads, args.batch_tokens)
            )
        )
        return
    workdir = Path(tempfile.mkdtemp(prefix="translate-news-bench-"))
    try:
        started = time.perf_counter()
        build_model(workdir / "opus-mt-fr-en-random")
        print(f"built random-weight opus-mt-fr-en in {time.perf_counter() - started:.0f} s")
        results = []
        for row in args.rows.split(","):
            model_dir = workdir / "opus-mt-fr-en-random"
            command = [
                sys.executable, __file__, "--row", row, "--model-dir", str(model_dir),
                "--sentences", str(args.sentences), "--threads", str(args.threads),
                "--batch-tokens", str(args.batch_tokens),
            ]  # fmt: skip
            child = subprocess.run(command, capture_output=True, text=True, check=False)
            if child.returncode != 0:
                sys.exit(f"row {row} failed:\n{child.stderr}")
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
            print(f"  done {row}: {results[-1]['tokens_per_s']:.1f} tokens/s", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    baseline = next((r for r in results if r["row"] == "naive-beam4"), None)
    print(
        f"\n{args.sentences} newstest2014 sentences, outputs forced to 1.1x input tokens, "
        f"{args.threads} CPU threads, fp32, {args.batch_tokens} tokens a batch"
    )
    print(f"{'row':<18}{'tokens':>8}{'seconds':>9}{'tokens/s':>10}{'vs naive':>10}"
          f"{'load s':>8}{'peak RSS MiB':>14}")  # fmt: skip
    for r in results:
        ratio = f"{r['tokens_per_s'] / baseline['tokens_per_s']:.1f}x" if baseline else "-"
        print(
            f"{r['row']:<18}{r['tokens']:>8}{r['seconds']:>9.1f}{r['tokens_per_s']:>10.1f}"
            f"{ratio:>10}{r['load_s']:>8.1f}{r['peak_rss_mib']:>14.0f}"
        )
    print(f"\ntranslate-news --help wall time (best of 5): {help_wall_time():.3f} s")


if __name__ == "__main__":
    main()
