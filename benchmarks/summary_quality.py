"""Summary quality: our summariser against Lead-k on CNN (English) and OrangeSum (French).

Runs the summariser alone (no translation). Needs the eval extra:
    pip install -e '.[eval]' && python benchmarks/summary_quality.py

CNN: ROUGE-1/2/Lsum F1 (rouge-score, Porter stemming, sentences newline-separated) against the
highlights at 3 sentences, and precision/recall/F1 of picked sentence ids against the ids human
annotators picked (as many as they picked). OrangeSum: ROUGE-1/2/L F1 against the abstract with
a Unicode tokenizer (rouge-score's default drops accented letters) and no stemmer.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from rouge_score import rouge_scorer

from translate_news.document import Article, Paragraph, Sentence
from translate_news.options import SummaryOptions
from translate_news.segment import parse_article
from translate_news.summarize import summarize_article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


class UnicodeTokenizer:
    """Lower-cased Unicode words: keeps é, à, ç that rouge-score's default tokenizer drops."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"\w+", text.lower(), flags=re.UNICODE)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def cnn_article(record: dict) -> Article:
    paragraphs = [
        Paragraph([Sentence(i, s) for i, s in zip(ids, sentences, strict=True)])
        for ids, sentences in zip(record["sentence_ids"], record["paragraphs"], strict=True)
    ]
    return Article(Sentence(0, record["title"]), paragraphs)


def evaluate_cnn(path: Path) -> tuple[dict[str, dict[str, float]], float]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    systems: dict[str, dict[str, list[float]]] = {}

    def add(name: str, picked: list, reference: str) -> None:
        summary = "\n".join(s.source for s in picked)
        row = systems.setdefault(name, {})
        for metric, value in scorer.score(reference, summary).items():
            row.setdefault(metric, []).append(value.fmeasure)

    cpu = 0.0
    for record in records:
        article = cnn_article(record)
        sentences = list(article.sentences())
        reference = "\n".join(record["highlights"])
        gold = set(record["gold_sentence_ids"])
        started = time.process_time()
        ours = summarize_article(article, "en", SummaryOptions(sentences=3))
        cpu += time.process_time() - started
        add("ours (3 sentences)", ours, reference)
        for k in (1, 2, 3):
            add(f"Lead-{k}", sentences[:k], reference)
        # sentence-id agreement with the annotators, as many sentences as they picked
        k = max(1, len(gold))
        ours_k = summarize_article(article, "en", SummaryOptions(sentences=k))
        for name, picked in [("ours (k = gold)", ours_k)] + [
            (f"Lead-{n}", sentences[:n]) for n in (1, 2, 3, 4)
        ]:
            ids = {s.id for s in picked}
            hit = len(ids & gold)
            row = systems.setdefault(name, {})
            precision = hit / len(ids) if ids else 0.0
            recall = hit / len(gold) if gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
            row.setdefault("id_p", []).append(precision)
            row.setdefault("id_r", []).append(recall)
            row.setdefault("id_f1", []).append(f1)
    return {name: {m: mean(v) for m, v in row.items()} for name, row in systems.items()}, cpu


def evaluate_orangesum(path: Path) -> dict[str, dict[str, float]]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=UnicodeTokenizer())
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    systems: dict[str, dict[str, list[float]]] = {}
    for record in records:
        article = parse_article(record["text"])
        sentences = list(article.units())
        for k in (1, 2, 3):
            ours = summarize_article(article, "fr", SummaryOptions(sentences=k))
            for name, picked in ((f"ours ({k})", ours), (f"Lead-{k}", sentences[:k])):
                summary = "\n".join(s.source for s in picked)
                row = systems.setdefault(name, {})
                for metric, value in scorer.score(record["abstract"], summary).items():
                    row.setdefault(metric, []).append(value.fmeasure)
    return {name: {m: mean(v) for m, v in row.items()} for name, row in systems.items()}


def print_table(title: str, results: dict[str, dict[str, float]], metrics: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'system':<22}" + "".join(f"{m:>10}" for m in metrics))
    for name, row in results.items():
        if all(m in row for m in metrics):
            print(f"{name:<22}" + "".join(f"{100 * row[m]:>10.2f}" for m in metrics))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cnn", type=Path, default=SHARED / "cnn_corpus_en.jsonl")
    parser.add_argument("--orangesum", type=Path, default=SHARED / "orangesum_fr.jsonl")
    args = parser.parse_args()
    cnn, cpu = evaluate_cnn(args.cnn)
    print_table(
        f"CNN ({args.cnn.name}): ROUGE F1 x100 vs highlights, Porter stemming",
        cnn,
        ["rouge1", "rouge2", "rougeLsum"],
    )
    print_table(
        "CNN: picked sentence ids vs human ids x100 (ours picks as many as the gold)",
        cnn,
        ["id_p", "id_r", "id_f1"],
    )
    print(f"summariser CPU time, all {args.cnn.name} articles at 3 sentences: {cpu:.2f} s")
    orange = evaluate_orangesum(args.orangesum)
    print_table(
        f"OrangeSum ({args.orangesum.name}): ROUGE F1 x100 vs abstract, Unicode tokens, no stemmer",
        orange,
        ["rouge1", "rouge2", "rougeL"],
    )


if __name__ == "__main__":
    main()
