"""The trained sentence ranker: its shipped file, its numpy evaluator, its place in summaries."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import EXAMPLE
from translate_news import summarize
from translate_news.errors import UsageError
from translate_news.summary.ranker import (
    FEATURES,
    MODEL_PATH,
    ensemble_from_dict,
    load_ranker,
    model_from_lightgbm,
    sentence_features,
)

CNN_LIKE = (
    "A powerful earthquake struck off the coast of Chile on Monday, killing at least 12 people "
    "and triggering a tsunami warning across the Pacific .\n\n"
    "The magnitude 8.2 quake hit at 8:46 p.m. local time about 95 kilometers northwest of the "
    "mining town of Iquique, the U.S. Geological Survey said .\n\n"
    "Residents fled to higher ground as sirens sounded along the coast .\n\n"
    "Officials said the death toll could rise as rescue teams reach remote areas .\n\n"
    "The region has a long history of strong earthquakes .\n\n"
    "In 2010, a magnitude 8.8 quake and tsunami killed more than 500 people in Chile ."
)


def test_numpy_evaluator_reproduces_lightgbm() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    features = rng.normal(size=(3000, len(FEATURES)))
    features[:, 3] = rng.integers(0, 2, size=3000)  # a binary column, as is_first
    labels = (features[:, 0] + 0.5 * features[:, 3] * features[:, 5] > 0.3).astype(float)
    settings = {"objective": "binary", "num_leaves": 15, "max_depth": 6, "verbose": -1,
                "num_threads": 1, "deterministic": True, "seed": 1}  # fmt: skip
    booster = lightgbm.train(settings, lightgbm.Dataset(features, labels), num_boost_round=40)
    model = json.loads(json.dumps(model_from_lightgbm(booster.dump_model())))  # via JSON text
    ours = ensemble_from_dict(model).raw_scores(features)
    theirs = booster.predict(features, raw_score=True)
    assert np.abs(ours - theirs).max() < 1e-9


def test_the_shipped_model_is_plain_json_with_its_training_record() -> None:
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(model["features"]) == FEATURES
    record = model["training"]
    assert set(record["data"]) >= {"orangesum_train_fr.jsonl.gz", "orangesum_valid_fr.jsonl.gz"}
    assert all(len(record["data"][name]) == 64 for name in record["data"] if name.endswith("gz"))
    assert record["evaluator_max_difference"] < 1e-9
    assert "CC BY-SA 4.0" in record["credit"]
    ranker = load_ranker()
    scores = ranker.scores(np.ones((4, len(FEATURES))))
    assert scores.shape == (4,) and np.all((scores > 0) & (scores < 1))


def test_plain_text_without_headline_can_summarise_its_lead() -> None:
    picked = summarize(CNN_LIKE, "en", 2)
    assert picked[0].id == 1  # the lead paragraph is a sentence, not a swallowed headline
    assert picked[0].source.startswith("A powerful earthquake struck")
    assert [item.id for item in picked] == sorted(item.id for item in picked)


def test_both_summarizers_and_a_bad_name() -> None:
    for method in ("ranker", "lexrank"):
        picked = summarize(CNN_LIKE, "en", 3, method=method)
        assert len(picked) == 3 and all(item.score > 0 for item in picked)
    with pytest.raises(UsageError, match="summarizer"):
        summarize(CNN_LIKE, "en", 3, method="bert")
    with pytest.raises(UsageError, match="headline"):
        summarize(CNN_LIKE, "en", 3, headline="maybe")
    for lang in ("de", "xx"):  # pysbd knows German, we do not; nobody knows "xx"
        with pytest.raises(UsageError) as refused:
            summarize(CNN_LIKE, lang, 3)
        assert str(refused.value) == (
            f"no summariser for language {lang!r}; fix: use lang='fr' or lang='en'"
        )


def test_an_explicit_title_is_the_headline() -> None:
    text = "Le président a parlé. Il a annoncé une réforme.\nLes syndicats ont réagi vivement."
    picked = summarize(text, "fr", 3, title="Réforme des retraites")
    assert next(item.source for item in picked) == "Le président a parlé."


def column(features: np.ndarray, name: str) -> list[float]:
    return [round(float(v), 9) for v in features[:, FEATURES.index(name)]]


def test_content_and_spread_features_of_a_small_article() -> None:
    texts = [
        '"Quote" starts here, with a comma, and 2 numbers 3.',
        "Plain (aside) sentence about Paris here.",
    ]
    terms = [["a", "b", "a"], ["b", "c"]]
    features = sentence_features(texts, terms, np.eye(3), False, np.ones(2))
    assert features.shape == (2, len(FEATURES))
    assert column(features, "content_words") == [3, 2]
    assert column(features, "content_share") == [round(3 / 10, 9), round(2 / 6, 9)]
    assert column(features, "commas") == [2, 0]
    assert column(features, "starts_with_quote") == [1, 0]
    assert column(features, "has_parenthesis") == [0, 1]
    assert column(features, "capitalised_words") == [0, 1]  # "Quote", "Plain" start sentences
    assert column(features, "number_tokens") == [2, 0]
    # a occurs in 1 sentence, b in 2, c in 1; divided by the 2 sentences
    assert column(features, "term_spread_sum") == [2.0, 1.5]
    assert column(features, "term_spread_mean") == [round(4 / 3 / 2, 9), 0.75]
    assert column(features, "keyword_coverage") == [0.2, 0.2]


def test_keywords_tied_in_spread_rank_by_first_occurrence() -> None:
    terms = [[f"t{i}" for i in range(10)], ["t10", "t11"]]  # twelve terms, each in one sentence
    texts = ["One two three four five six.", "Seven eight nine ten eleven."]
    features = sentence_features(texts, terms, np.eye(3), False, np.ones(2))
    assert column(features, "keyword_coverage") == [1.0, 0.0]


def test_summaries_do_not_depend_on_string_hashing() -> None:
    """Python salts str hashes per process: nothing of a summary may follow set order."""
    script = (
        "import sys; from translate_news import summarize; "
        "text = open(sys.argv[1], encoding='utf-8').read(); "
        "print([(s.id, repr(s.score)) for s in summarize(text, 'fr', 5)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLE)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and outputs.pop().startswith("[(")
