"""Translation speed: the naive way vs this project's engines, side by side in one run.

Builds (in a temporary folder) a model with the exact architecture of opus-mt-fr-en and random
weights, and a sentencepiece vocabulary trained on newstest2012. Every output is forced to
ceil(1.1 x input tokens), so random weights do the same amount of work as a real model.
Each row runs in its own process so that peak RSS and load time are that row's own.

    python benchmarks/translate_speed.py [--sentences 200] [--threads 2] [--rows a,b,...]
    python benchmarks/translate_speed.py --device cuda --rows ...   (see gpu_check.sh)

Rows: naive (transformers generate, one sentence at a time, beam 4); the project's transformers
backend; the project's CTranslate2 backend per compute type; raw CTranslate2 translate_batch on
the same pre-tokenised batches (the floor of our overhead); and the peak RSS of translating the
example article with CTranslate2 int8.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from translate_news import ModelOptions, TranslateOptions
from translate_news.backends.ctranslate2_backend import CTranslate2Translator
from translate_news.backends.transformers_backend import TransformersTranslator

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sco_summit_fr.txt"
# name: (engine, beams, compute type)
ROWS: dict[str, tuple[str, int, str]] = {
    "naive-beam4": ("naive", 4, "float32"),
    "transformers-beam4": ("transformers", 4, "float32"),
    "transformers-greedy": ("transformers", 1, "float32"),
    "ct2-float32-beam4": ("ctranslate2", 4, "float32"),
    "ct2-float32-greedy": ("ctranslate2", 1, "float32"),
    "ct2-int8-beam4": ("ctranslate2", 4, "int8"),
    "ct2-int8-greedy": ("ctranslate2", 1, "int8"),
    "raw-ct2-int8-beam4": ("raw", 4, "int8"),
    "raw-ct2-int8-greedy": ("raw", 1, "int8"),
    # CUDA rows (benchmarks/gpu_check.sh); the transformers backend runs float16 there
    "transformers-fp16-beam4": ("transformers", 4, "float16"),
    "transformers-fp16-greedy": ("transformers", 1, "float16"),
    "ct2-float16-beam4": ("ctranslate2", 4, "float16"),
    "ct2-float16-greedy": ("ctranslate2", 1, "float16"),
    "ct2-int8_float16-beam4": ("ctranslate2", 4, "int8_float16"),
    "ct2-int8_float16-greedy": ("ctranslate2", 1, "int8_float16"),
    "raw-ct2-float16-beam4": ("raw", 4, "float16"),
}
CPU_ROWS = [name for name in ROWS if "16" not in name]
# opus-mt-fr-en parameters a generated token uses: 6 decoder layers (self- and cross-attention
# 4 x 512^2 each, FFN 2 x 512 x 2048) and the 59,514 x 512 output layer; the encoder's 6 layers
# (4 x 512^2 + 2 x 512 x 2048) run once per source token.
DECODER_PARAMS = 6 * (8 * 512 * 512 + 2 * 512 * 2048) + 59514 * 512
ENCODER_PARAMS = 6 * (4 * 512 * 512 + 2 * 512 * 2048)


def forced_length(input_tokens: int) -> int:
    return math.ceil(1.1 * input_tokens)


class ForcedTransformers(TransformersTranslator):
    """The project's transformers backend with every output forced to `forced_length`."""

    def _output_bounds(self, input_lengths: list[int]) -> tuple[list[int], list[int]]:
        forced = [forced_length(n) for n in input_lengths]
        return forced, forced


class ForcedCTranslate2(CTranslate2Translator):
    """The project's CTranslate2 backend with every output forced to `forced_length`."""

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


def _load(engine: str, beams: int, compute: str, model_dir: Path, args: argparse.Namespace) -> Any:
    backend = "transformers" if engine in ("naive", "transformers") else "ctranslate2"
    cls = ForcedTransformers if backend == "transformers" else ForcedCTranslate2
    options = ModelOptions(
        model=str(model_dir),
        device=args.device,
        threads=args.threads,
        backend=backend,
        compute_type=None if backend == "transformers" else compute,
    )
    return cls.load(options, TranslateOptions(beams=beams, max_batch_tokens=args.batch_tokens))


def run_row(row: str, model_dir: Path, sentences: list[str], args: argparse.Namespace) -> dict:
    engine, beams, compute = ROWS[row]
    started = time.perf_counter()
    translator = _load(engine, beams, compute, model_dir, args)
    load_seconds = time.perf_counter() - started
    tokens = sum(forced_length(translator.count_tokens(s)) for s in sentences)
    source_tokens = sum(translator.count_tokens(s) for s in sentences)
    if engine == "naive":
        seconds = _naive(translator, sentences)
    elif engine == "raw":
        seconds = _raw(translator, sentences)
    else:
        started = time.perf_counter()
        translator.translate(sentences)
        seconds = time.perf_counter() - started
    return {
        "row": row,
        "tokens": tokens,
        "source_tokens": source_tokens,
        "beams": beams,
        "compute": compute,
        "seconds": seconds,
        "tokens_per_s": tokens / seconds,
        "load_s": load_seconds,
        "peak_rss_mib": peak_rss_mib(),
    }


def peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _naive(translator: Any, sentences: list[str]) -> float:
    import torch

    tokenizer, model = translator.tokenizer, translator.model
    started = time.perf_counter()
    with torch.inference_mode():
        for sentence in sentences:
            encoded = tokenizer(sentence, return_tensors="pt").to(model.device)
            length = forced_length(encoded.input_ids.shape[1])
            model.generate(**encoded, num_beams=4, min_new_tokens=length, max_new_tokens=length)
    return time.perf_counter() - started


def _raw(translator: Any, sentences: list[str]) -> float:
    """translate_batch alone, on the batches our backend would make, pre-tokenised."""
    tokens = [[*translator.source_spm.encode(s, out_type=str), "</s>"] for s in sentences]
    lengths = [len(t) for t in tokens]
    batches = [[tokens[i] for i in b] for b in translator.plan_batches(lengths)]
    started = time.perf_counter()
    pending = []
    for batch in batches:  # submitted asynchronously, as the backend does, to every worker
        lengths = [forced_length(len(t)) for t in batch]
        pending += translator.translator.translate_batch(
            batch,
            beam_size=translator.beams,
            max_decoding_length=max(lengths),
            min_decoding_length=min(lengths),
            asynchronous=True,
        )
    for future in pending:
        future.result()
    return time.perf_counter() - started


def example_rss(model_dir: Path, args: argparse.Namespace) -> dict:
    """Peak RSS of translating the example article with the default CPU engine (int8).

    Output lengths are forced like every other row, so that random weights decode as much as a
    real model would (left free, they run every sentence to its 2n+10 bound).
    """
    from translate_news import translate_file

    options = ModelOptions(model=str(model_dir), device=args.device, threads=args.threads)
    translate_file(EXAMPLE, ForcedCTranslate2.load(options, TranslateOptions()))
    loaded = sorted(m for m in ("torch", "transformers") if m in sys.modules)
    return {"peak_rss_mib": peak_rss_mib(), "heavy_modules": loaded}


def matmul_gflops(threads: int, device: str) -> dict[str, float]:
    """Measured GEMM throughput on this machine (the compute limit), per precision."""
    import torch

    torch.set_num_threads(threads)
    size = 2048 if device == "cpu" else 8192
    precisions = [("float32", torch.float32), ("bfloat16", torch.bfloat16)]
    if device != "cpu":
        precisions.append(("float16", torch.float16))
    results = {}
    for name, dtype in precisions:
        a = torch.randn(size, size, device=device).to(dtype)
        b = torch.randn(size, size, device=device).to(dtype)
        results[name] = _time_gemm(lambda a=a, b=b: torch.mm(a, b), size, device)
    try:  # int8 x int8 -> int32, as CTranslate2's int8 kernels
        a = torch.randint(-128, 127, (size, size), dtype=torch.int8, device=device)
        b = torch.randint(-128, 127, (size, size), dtype=torch.int8, device=device)
        results["int8"] = _time_gemm(lambda: torch._int_mm(a, b), size, device)
    except (RuntimeError, AttributeError):
        pass
    results.setdefault("int8_float16", results.get("int8", results["float32"]))
    return results


def _time_gemm(function: Any, size: int, device: str) -> float:
    import torch

    def run() -> None:
        function()
        if device != "cpu":
            torch.cuda.synchronize()

    run()
    best = math.inf
    for _ in range(10):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return 2 * size**3 / best / 1e9


def help_wall_time(repeats: int = 5) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "translate_news", "--help"], capture_output=True, check=True
        )
        best = min(best, time.perf_counter() - started)
    return best


def run_child(script: str, arguments: list[str], label: str) -> dict:
    """Run one benchmark row in its own process; its last stdout line is the row's JSON."""
    command = [sys.executable, script, *arguments]
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.exit(f"{label} failed:\n{child.stderr[-5000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _child(args: argparse.Namespace, extra: list[str]) -> dict:
    arguments = [
        "--model-dir", str(args.model_dir), "--sentences", str(args.sentences),
        "--threads", str(args.threads),
        *(["--batch-tokens", str(args.batch_tokens)] if args.batch_tokens else []),
        "--device", args.device, *extra,
    ]  # fmt: skip
    return run_child(__file__, arguments, " ".join(extra))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", default=",".join(CPU_ROWS))
    parser.add_argument("--device", default="cpu", help="cpu, or cuda for the GPU rows")
    parser.add_argument("--batch-tokens", type=int, default=None, help="default: each engine's own")
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--example-rss", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    lines = (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
    sentences = [line for line in lines if line.strip()][: args.sentences]
    if args.row:  # child process: one row
        print(json.dumps(run_row(args.row, args.model_dir, sentences, args)))
        return
    if args.example_rss:
        print(json.dumps(example_rss(args.model_dir, args)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="translate-news-bench-"))
    os.environ["TRANSLATE_NEWS_CACHE"] = str(workdir / "cache")
    args.model_dir = workdir / "opus-mt-fr-en-random"
    try:
        started = time.perf_counter()
        build_model(args.model_dir)
        print(f"built random-weight opus-mt-fr-en in {time.perf_counter() - started:.0f} s")
        rows = args.rows.split(",")
        for compute in sorted({ROWS[r][2] for r in rows if ROWS[r][0] in ("ctranslate2", "raw")}):
            started = time.perf_counter()
            _load("ctranslate2", 1, compute, args.model_dir, args)
            print(f"CTranslate2 conversion to {compute}: {time.perf_counter() - started:.1f} s")
        results = []
        for row in rows:
            results.append(_child(args, ["--row", row]))
            print(f"  done {row}: {results[-1]['tokens_per_s']:.1f} tokens/s", flush=True)
        rss = _child(args, ["--example-rss"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    gflops = matmul_gflops(args.threads, args.device)
    _report(args, results, rss, gflops)


def _report(args: argparse.Namespace, results: list[dict], rss: dict, gflops: dict) -> None:
    baseline = next((r for r in results if r["row"] == "naive-beam4"), None)
    print(
        f"\n{args.sentences} newstest2014 sentences, outputs forced to 1.1x input tokens, "
        f"device {args.device}, {args.threads} CPU threads, "
        f"batch tokens x beams: {args.batch_tokens or 'each engine default'}"
    )
    print("measured GEMM throughput (torch, square matrices, best of 10): "
          + ", ".join(f"{k} {v:.0f} GFLOP/s" for k, v in gflops.items()))  # fmt: skip
    print(f"{'row':<22}{'tokens':>7}{'seconds':>9}{'tokens/s':>10}{'vs naive':>9}"
          f"{'load s':>8}{'RSS MiB':>9}{'% of limit':>11}")  # fmt: skip
    for r in results:
        ratio = f"{r['tokens_per_s'] / baseline['tokens_per_s']:.1f}x" if baseline else "-"
        flops = 2 * (
            r["tokens"] * r["beams"] * DECODER_PARAMS + r["source_tokens"] * ENCODER_PARAMS
        )
        limit = gflops.get(r["compute"], gflops["float32"]) * 1e9
        share = 100 * flops / r["seconds"] / limit
        print(
            f"{r['row']:<22}{r['tokens']:>7}{r['seconds']:>9.1f}{r['tokens_per_s']:>10.1f}"
            f"{ratio:>9}{r['load_s']:>8.1f}{r['peak_rss_mib']:>9.0f}{share:>10.1f}%"
        )
    heavy = rss["heavy_modules"] or "none"
    print(
        f"\nexample article, default CPU engine (CTranslate2 int8, forced lengths): peak RSS "
        f"{rss['peak_rss_mib']:.0f} MiB (torch/transformers imported: {heavy})"
    )
    print(f"translate-news --help wall time (best of 5): {help_wall_time():.3f} s")


if __name__ == "__main__":
    main()
