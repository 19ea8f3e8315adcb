"""Summary-only vs full translation, same backend, side by side in one run.

On the random-weight opus-mt-fr-en of translate_speed.py (forced output lengths), times
`translate_text` in full and with `--summary` alone on the example article and on a
60-sentence article made of newstest2014 lines. The model loads once, outside the timings.
The last columns time the translation checks (checks.py) of the full result alone, and their
share of the full translation (which includes them).

    python benchmarks/summary_speed.py [--backend ctranslate2|transformers] [--beams 4]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from translate_news import ModelOptions, Request, TranslateOptions, translate_text
from translate_news.checks import check_translation
from translate_speed import SHARED, ForcedCTranslate2, ForcedTransformers, build_model

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sco_summit_fr.txt"


def sixty_sentence_article() -> str:
    lines = (SHARED / "newstest2014.fra").read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[1:] if line.strip()][:60]
    paragraphs = [" ".join(body[i : i + 4]) for i in range(0, 60, 4)]
    return "\n\n".join([lines[0], *paragraphs]) + "\n"


def best_time(function: object, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backend", choices=["ctranslate2", "transformers"], default="ctranslate2")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="translate-news-bench-"))
    try:
        build_model(workdir / "model")
        options = TranslateOptions(beams=args.beams)
        engine = ForcedTransformers if args.backend == "transformers" else ForcedCTranslate2
        translator = engine.load(
            ModelOptions(
                model=str(workdir / "model"),
                device="cpu",
                threads=args.threads,
                backend=args.backend,
            ),
            options,
        )
        articles = {
            "example article": EXAMPLE.read_text(encoding="utf-8"),
            "60-sentence article": sixty_sentence_article(),
        }
        print(
            f"{translator.name} {translator.provenance().get('compute_type', 'float32')}, "
            f"beams {args.beams}, {args.threads} CPU threads, best of {args.repeats}"
        )
        print(
            f"{'article':<22}{'sentences':>10}{'full s':>9}{'summary s':>11}{'speed-up':>10}"
            f"{'checks ms':>11}{'checks %':>10}"
        )
        for name, text in articles.items():
            full = translate_text(text, translator, Request(translate=options))
            count = len(list(full.article.sentences()))
            full_s = best_time(
                lambda text=text: translate_text(text, translator, Request(translate=options)),
                args.repeats,
            )
            summary_s = best_time(
                lambda text=text: translate_text(
                    text, translator, Request(translate=options, mode="summary")
                ),
                args.repeats,
            )
            pairs = [(u.source, u.target or "") for u in full.article.units() if u.target]
            checks_s = best_time(
                lambda pairs=pairs: [check_translation(s, t) for s, t in pairs], args.repeats
            )
            print(
                f"{name:<22}{count:>10}{full_s:>9.2f}{summary_s:>11.2f}{full_s / summary_s:>9.1f}x"
                f"{1000 * checks_s:>11.2f}{100 * checks_s / full_s:>9.2f}%"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
