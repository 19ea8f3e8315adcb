"""Rebuild the summary ranker (src/translate_news/summary/summary_ranker.json) from OrangeSum.

    pip install -e '.[train]' && python benchmarks/train_summarizer.py

Data: OrangeSum's train split (21,318 French articles with professional abstracts, CC BY-SA
4.0) to learn, its valid split (1,488) to choose settings and report; never the evaluation
file. Articles are read as a user's plain text would be (no headline line); half of them, by
a hash of their id, get their title as an explicit headline so that the model learns to use
one when it exists. Labels: a greedy ROUGE oracle per article (ROUGE-1 + ROUGE-2 F1 against
the abstract, up to 3 sentences, stopping when no sentence adds). Model: LightGBM binary trees
(deterministic, one thread), written as JSON with the data's hash, the settings and the
validation score; the numpy evaluator's scores are checked against LightGBM's on the valid
split. Same data and settings give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np

from translate_news.options import SummaryOptions
from translate_news.summary.ranker import MODEL_PATH, ensemble_from_dict, model_from_lightgbm
from translate_news.summary.select import candidates, ranker_features
from translate_news.text.cleaning import prepare_article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ORACLE_SENTENCES = 3
SETTINGS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "max_depth": 6,
    "min_data_in_leaf": 100,
    "feature_fraction": 1.0,
    "bagging_fraction": 1.0,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "seed": 7,
    "verbose": -1,
}
ROUNDS = 300
LENGTH_PENALTIES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def ngrams(words: list[str], n: int) -> Counter:
    return Counter(zip(*(words[i:] for i in range(n)), strict=False))


def rouge_f(candidate: Counter, reference: Counter) -> float:
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(candidate.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def oracle(texts: list[str], abstract: str) -> list[int]:
    """Greedy ROUGE-1 + ROUGE-2 oracle: the standard labels for extractive training data.

    Hand-written (not rouge-score) because it scores every sentence set of 21k articles.
    """
    reference = [ngrams(tokens(abstract), n) for n in (1, 2)]
    words = [tokens(text) for text in texts]
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < ORACLE_SENTENCES:
        gains = []
        for index in range(len(texts)):
            if index in chosen:
                continue
            joined = [w for i in sorted([*chosen, index]) for w in words[i]]
            score = sum(rouge_f(ngrams(joined, n), reference[n - 1]) for n in (1, 2))
            gains.append((score, -index))
        if not gains:
            break
        score, negative_index = max(gains)
        if score <= best:
            break
        best = score
        chosen.append(-negative_index)
    return chosen


def uses_title(article_id: str) -> bool:
    return hashlib.sha256(article_id.encode()).digest()[0] % 2 == 0


def article_rows(record: dict[str, Any]) -> tuple[Any, Any, list[str]] | None:
    """Features, oracle labels and sentence texts of one article (None if it has < 2)."""
    title = record["title"] if uses_title(str(record["id"])) else None
    article = prepare_article(record["text"], "fr", headline="none", title=title)
    sentences = candidates(article)
    if len(sentences) < 2:
        return None
    features, _ = ranker_features(sentences, article.title, "fr")
    texts = [s.source for s in sentences]
    labels = np.zeros(len(texts))
    labels[oracle(texts, record["abstract"])] = 1.0
    return features, labels, texts


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    return records[:limit] if limit else records


def build(records: list[dict[str, Any]], workers: int) -> list[tuple[Any, Any, list[str]]]:
    with Pool(workers) as pool:
        rows = pool.map(article_rows, records, chunksize=64)
    return [row for row in rows if row is not None]


def prepared_valid(records: list[dict[str, Any]]) -> list[tuple[Any, str]]:
    """Valid articles as the evaluation reads them (plain text, no headline), with abstracts."""
    return [(prepare_article(r["text"], "fr", headline="none"), r["abstract"]) for r in records]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def validation_rouge(
    valid: list[tuple[Any, str]], model: dict[str, Any] | None, scorer: Any
) -> dict[str, float]:
    """Mean ROUGE F1 x100 of 3-sentence summaries by `model` (None: Lead-3) vs the abstracts."""
    from translate_news.summary.select import summarize_article

    ranker = ensemble_from_dict(model) if model is not None else None
    totals: Counter = Counter()
    for article, abstract in valid:
        if ranker is None:
            picked = list(article.sentences())[:3]
        else:
            picked = summarize_article(article, "fr", SummaryOptions(sentences=3), ranker)
        summary = "\n".join(s.source for s in picked)
        for metric, value in scorer.score(abstract, summary).items():
            totals[metric] += value.fmeasure
    return {metric: round(100 * value / len(valid), 3) for metric, value in totals.items()}


def main() -> None:
    import lightgbm as lgb
    from rouge_score import rouge_scorer

    from summary_quality import UnicodeTokenizer

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=SHARED / "orangesum_train_fr.jsonl.gz")
    parser.add_argument("--valid", type=Path, default=SHARED / "orangesum_valid_fr.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="first N train articles only")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    train = build(load(args.train, args.limit), args.workers)
    valid_records = load(args.valid, None)
    valid = build(valid_records, args.workers)  # for the evaluator check
    x_train = np.vstack([f for f, _, _ in train])
    y_train = np.concatenate([y for _, y, _ in train])
    print(f"train: {len(train)} articles, {len(y_train)} sentences, {int(y_train.sum())} positive")
    booster = lgb.train(SETTINGS, lgb.Dataset(x_train, y_train), num_boost_round=ROUNDS)

    model = model_from_lightgbm(booster.dump_model())
    x_valid = np.vstack([f for f, _, _ in valid])
    ours = ensemble_from_dict(model).raw_scores(x_valid)
    theirs = booster.predict(x_valid, raw_score=True)
    difference = float(np.abs(ours - theirs).max())
    print(f"numpy evaluator vs LightGBM on {len(x_valid)} valid sentences: max |diff| {difference}")
    if difference > 1e-9:
        raise SystemExit("the numpy evaluator does not reproduce LightGBM")

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=UnicodeTokenizer())
    articles = prepared_valid(valid_records)
    lead = validation_rouge(articles, None, scorer)
    print(f"OrangeSum valid, Lead-3: {lead}")
    tried = {}
    for penalty in LENGTH_PENALTIES:
        tried[penalty] = validation_rouge(articles, {**model, "length_penalty": penalty}, scorer)
        print(f"OrangeSum valid, 3 sentences, length penalty {penalty}: {tried[penalty]}")

    def smallest_gain(penalty: float) -> tuple[float, float]:  # then the largest total gain
        gains = [tried[penalty][metric] - lead[metric] for metric in lead]
        return min(gains), sum(gains)

    model["length_penalty"] = max(LENGTH_PENALTIES, key=smallest_gain)
    score = tried[model["length_penalty"]]
    model["training"] = {
        "data": {
            args.train.name: sha256_of(args.train),
            args.valid.name: sha256_of(args.valid),
            "train_articles_used": len(train),
            "limit": args.limit,
        },
        "labels": f"greedy ROUGE-1+2 oracle, up to {ORACLE_SENTENCES} sentences",
        "lightgbm": {**SETTINGS, "rounds": ROUNDS, "version": lgb.__version__},
        "valid_rouge_3_sentences": score,
        "valid_rouge_lead_3": lead,
        "length_penalty_choice": "largest smallest gain over Lead-3 on valid (R-1, R-2, R-L)",
        "valid_rouge_by_length_penalty": {str(p): s for p, s in tried.items()},
        "evaluator_max_difference": difference,
        "credit": "OrangeSum (Eddine et al. 2021), CC BY-SA 4.0",
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
