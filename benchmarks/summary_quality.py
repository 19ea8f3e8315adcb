"""Summary quality: the trained ranker and LexRank against Lead-k, on text fed as a user would.

    pip install -e '.[eval]' && python benchmarks/summary_quality.py

Every article goes through the public `summarize(text, lang=...)` as plain text: paragraphs
separated by blank lines, no headline (the headline rule decides, as for a user's file).

CNN (English, 981 articles): ROUGE-1/2/Lsum F1 (rouge-score, Porter stemming, sentences
newline-separated) against the highlights at 3 sentences; and precision/recall/F1 of the
picked sentence ids against the ids human annotators picked (as many as they picked; our
sentences are mapped to the corpus' ids by character offsets). Lead-k takes the corpus' own
first k sentences. OrangeSum (French, the 746-article evaluation split): ROUGE-1/2/L F1
against the abstract with a Unicode tokenizer (rouge-score's default drops accented letters)
and no stemmer; Lead-k from our sentence splitter (and from sentencex when it is installed).
CPU time (not wall time) is the summariser's alone. The ranker's own validation score on
OrangeSum's valid split is read from the shipped model's training record.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from translate_news import summarize
from translate_news.summary.ranker import MODEL_PATH
from translate_news.text.segment import parse_article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
METHODS = ("ranker", "lexrank")


class UnicodeTokenizer:
    """Lower-cased Unicode words: keeps é, à, ç that rouge-score's default tokenizer drops."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"\w+", text.lower(), flags=re.UNICODE)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


class Table:
    """Per-system lists of per-article scores."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, list[float]]] = {}

    def add(self, system: str, scores: dict[str, float]) -> None:
        row = self.rows.setdefault(system, {})
        for metric, value in scores.items():
            row.setdefault(metric, []).append(value)

    def means(self) -> dict[str, dict[str, float]]:
        return {name: {m: mean(v) for m, v in row.items()} for name, row in self.rows.items()}


def cnn_text(record: dict[str, Any]) -> tuple[str, list[tuple[int, int, int]]]:
    """Plain text of a CNN record and the (start, end, id) span of each corpus sentence."""
    spans, parts, offset = [], [], 0
    for ids, sentences in zip(record["sentence_ids"], record["paragraphs"], strict=True):
        paragraph = " ".join(sentences)
        position = offset
        for sentence_id, sentence in zip(ids, sentences, strict=True):
            spans.append((position, position + len(sentence), sentence_id))
            position += len(sentence) + 1
        parts.append(paragraph)
        offset += len(paragraph) + 2
    return "\n\n".join(parts), spans


def corpus_ids(text: str, picked: list[str], spans: list[tuple[int, int, int]]) -> set[int]:
    """The corpus ids of our picked sentences (the corpus sentence holding each midpoint)."""
    ids = set()
    for source in picked:
        start = text.find(source)
        middle = start + len(source) // 2
        ids.update(sentence_id for a, b, sentence_id in spans if a <= middle <= b)
    return ids


def id_scores(ids: set[int], gold: set[int]) -> dict[str, float]:
    hit = len(ids & gold)
    precision = hit / len(ids) if ids else 0.0
    recall = hit / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    return {"id_p": precision, "id_r": recall, "id_f1": f1}


def timed(cpu: dict[str, float], name: str, call: Callable[[], Any]) -> Any:
    started = time.process_time()
    value = call()
    cpu[name] = cpu.get(name, 0.0) + time.process_time() - started
    return value


def evaluate_cnn(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    table, cpu = Table(), {}

    def rouge(picked: list[str], reference: str) -> dict[str, float]:
        scores = scorer.score(reference, "\n".join(picked))
        return {metric: value.fmeasure for metric, value in scores.items()}

    for record in records:
        text, spans = cnn_text(record)
        reference = "\n".join(record["highlights"])
        gold = set(record["gold_sentence_ids"])
        corpus = [s for paragraph in record["paragraphs"] for s in paragraph]
        for k in (1, 2, 3):
            table.add(f"Lead-{k}", rouge(corpus[:k], reference))
        for k in (1, 2, 3, 4):
            table.add(f"Lead-{k}", id_scores(set(range(1, k + 1)), gold))
        for method in METHODS:
            picked = timed(cpu, method, lambda m=method, t=text: summarize(t, "en", 3, method=m))
            sources = [s.source for s in picked]
            table.add(method, rouge(sources, reference))
            at_gold = summarize(text, "en", max(1, len(gold)), method=method)
            table.add(method, id_scores(corpus_ids(text, [s.source for s in at_gold], spans), gold))
    return table.means(), cpu


def sentencex_lead(text: str, k: int) -> list[str] | None:
    try:
        from sentencex import segment
    except ImportError:
        return None
    return [s.strip() for s in segment("fr", text) if s.strip()][:k]


def evaluate_orangesum(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=UnicodeTokenizer())
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    table, cpu = Table(), {}

    def rouge(picked: list[str], reference: str) -> dict[str, float]:
        scores = scorer.score(reference, "\n".join(picked))
        return {metric: value.fmeasure for metric, value in scores.items()}

    for record in records:
        text, reference = record["text"], record["abstract"]
        ours = [s.source for s in parse_article(text).units()]
        for k in (1, 2, 3):
            table.add(f"Lead-{k}", rouge(ours[:k], reference))
            lead = sentencex_lead(text, k)
            if lead is not None:
                table.add(f"Lead-{k} (sentencex)", rouge(lead, reference))
        for method in METHODS:
            picked = timed(cpu, method, lambda m=method, t=text: summarize(t, "fr", 3, method=m))
            table.add(method, rouge([s.source for s in picked], reference))
    return table.means(), cpu


def print_table(title: str, results: dict[str, dict[str, float]], metrics: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'system':<22}" + "".join(f"{m:>10}" for m in metrics))
    for name, row in results.items():
        if all(m in row for m in metrics):
            print(f"{name:<22}" + "".join(f"{100 * row[m]:>10.2f}" for m in metrics))


def print_cpu(cpu: dict[str, float], articles: int) -> None:
    for method, seconds in cpu.items():
        print(f"  {method}: {seconds:.2f} s CPU, {1000 * seconds / articles:.1f} ms an article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cnn", type=Path, default=SHARED / "cnn_corpus_en.jsonl")
    parser.add_argument("--orangesum", type=Path, default=SHARED / "orangesum_fr.jsonl")
    args = parser.parse_args()
    summarize("Un premier essai. Pour charger les tables.", "fr")  # lazy imports out of timing

    cnn, cpu = evaluate_cnn(args.cnn)
    articles = len(args.cnn.read_text(encoding="utf-8").splitlines())
    print_table(
        f"CNN ({args.cnn.name}, plain text): ROUGE F1 x100 vs highlights, 3 sentences",
        cnn,
        ["rouge1", "rouge2", "rougeLsum"],
    )
    print_table(
        "CNN: picked sentence ids vs human ids x100 (ours picks as many as the gold)",
        cnn,
        ["id_p", "id_r", "id_f1"],
    )
    print(f"summariser CPU time, {articles} CNN articles at 3 sentences:")
    print_cpu(cpu, articles)

    orange, cpu = evaluate_orangesum(args.orangesum)
    articles = len(args.orangesum.read_text(encoding="utf-8").splitlines())
    print_table(
        f"OrangeSum ({args.orangesum.name}, plain text): ROUGE F1 x100 vs abstract, 3 sentences",
        orange,
        ["rouge1", "rouge2", "rougeL"],
    )
    print(f"summariser CPU time, {articles} OrangeSum articles:")
    print_cpu(cpu, articles)

    training = json.loads(MODEL_PATH.read_text(encoding="utf-8")).get("training", {})
    size = MODEL_PATH.stat().st_size
    print(f"\nranker: {MODEL_PATH.name}, {size:,} bytes; its record: OrangeSum valid, 3 sentences:")
    print(f"  {training.get('valid_rouge_3_sentences')}")


if __name__ == "__main__":
    main()
