"""The trained sentence ranker: cheap per-sentence features and a tree ensemble over them.

The model was trained on French news (OrangeSum, CC BY-SA 4.0) with labels from a greedy
ROUGE oracle (`benchmarks/train_summarizer.py` rebuilds it). It ships as JSON (never a
pickle) and is evaluated here with numpy alone, so `--summary` needs no training library.
Features are language-neutral (positions, lengths, TF-IDF similarities over stemmed words
without stopwords), which is why the French model also ranks English news well.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("summary_ranker.json")
MODEL_FORMAT = "translate-news summary ranker"
FEATURES: tuple[str, ...] = (
    "relative_position",
    "is_first",
    "log_count",
    "words",
    "words_vs_median",
    "centrality",
    "lexrank",
    "forward_centrality",
    "backward_centrality",
    "title_similarity",
    "has_title",
    "first_similarity",
    "centroid_similarity",
    "max_similarity_before",
    "digit_share",
    "has_quote",
    "capital_share",
    "is_question",
    "has_colon",
    "log_document_words",
    "relative_words_before",
    "previous_lexrank",
    "next_lexrank",
    "content_words",
    "content_share",
    "commas",
    "starts_with_quote",
    "has_parenthesis",
    "keyword_coverage",
    "term_spread_mean",
    "term_spread_sum",
    "capitalised_words",
    "number_tokens",
)
# Positions are relative only: an absolute sentence index does not carry over between sources
# that split and lay out articles differently (OrangeSum's one block of text, CNN's one-sentence
# paragraphs); dropping it moved validation ROUGE by noise and CNN id-F1 up by 0.01.
KEYWORDS = 10  # the article's most widespread terms, for keyword_coverage
_QUOTE = re.compile(r"[«»\"“”]")
_CAPITALISED = re.compile(r"\b[^\W\d_][^\W_]*", re.UNICODE)


def sentence_features(
    texts: list[str], terms: list[list[str]], cosines: Any, has_title: bool, lexrank: Any
) -> Any:
    """One row of FEATURES per sentence.

    `terms`: each sentence's content terms (stemmed, no stopwords); `cosines`: cosine
    similarities of the sentences' unit TF-IDF rows and the headline's (last; zeros without
    one); `lexrank`: the LexRank score of each sentence (max 1).
    """
    import numpy as np

    count = len(texts)
    similarity = cosines[:-1, :-1].copy()
    centroid_similarity = similarity.sum(axis=1) / np.sqrt(max(similarity.sum(), 1e-12))
    np.fill_diagonal(similarity, 0.0)
    position = np.arange(count, dtype=float)
    words = np.array([max(1, len(text.split())) for text in texts], dtype=float)
    before = np.tril(similarity, -1)
    lexrank = np.asarray(lexrank, dtype=float)
    words_before = np.concatenate([[0.0], np.cumsum(words)[:-1]])
    content = np.array([len(sentence) for sentence in terms], dtype=float)
    columns = {
        "relative_position": position / count,
        "is_first": (position == 0).astype(float),
        "log_count": np.full(count, np.log(count)),
        "words": words,
        "words_vs_median": words / np.median(words),
        "centrality": similarity.sum(axis=1) / max(1, count - 1),
        "lexrank": lexrank,
        "forward_centrality": np.triu(similarity, 1).sum(axis=1) / count,
        "backward_centrality": before.sum(axis=1) / count,
        "title_similarity": cosines[:-1, -1],
        "has_title": np.full(count, float(has_title)),
        "first_similarity": similarity[:, 0],
        "centroid_similarity": centroid_similarity,
        "max_similarity_before": before.max(axis=1),
        "log_document_words": np.full(count, np.log(words.sum())),
        "relative_words_before": words_before / words.sum(),
        "previous_lexrank": np.concatenate([[0.0], lexrank[:-1]]),
        "next_lexrank": np.concatenate([lexrank[1:], [0.0]]),
        "content_words": content,
        "content_share": content / words,
        **_spread_columns(terms, content),
        **_surface_columns(texts),
    }
    return np.column_stack([columns[name] for name in FEATURES])


def _spread_columns(terms: list[list[str]], content: Any) -> dict[str, Any]:
    """How far a sentence's terms run through the article (in how many sentences each
    occurs, over the sentence count), and how many of its most widespread terms it holds.
    `content`: the number of terms of each sentence."""
    import numpy as np

    # dict.fromkeys, not set: equal counts then rank by first occurrence, not by string hash
    # (which changes between processes and would change the summary between runs).
    spread = Counter(term for sentence in terms for term in dict.fromkeys(sentence))
    keywords = {term for term, _ in spread.most_common(KEYWORDS)}
    count = max(1, len(terms))
    sums = np.array([sum(spread[term] for term in sentence) for sentence in terms], dtype=float)
    means = np.divide(sums, content, out=np.zeros_like(sums), where=content > 0)
    coverage = [len(keywords.intersection(sentence)) / KEYWORDS for sentence in terms]
    return {
        "keyword_coverage": np.array(coverage),
        "term_spread_mean": means / count,
        "term_spread_sum": sums / count,
    }


def _surface_columns(texts: list[str]) -> dict[str, Any]:
    """What the characters of a sentence say: digits, quotes, names, punctuation."""
    import numpy as np

    table = np.array([_surface(text) for text in texts], dtype=float)
    table = table.reshape(len(texts), len(_SURFACE))
    return {name: table[:, column] for column, name in enumerate(_SURFACE)}


_SURFACE = (
    "digit_share",
    "has_quote",
    "capital_share",
    "is_question",
    "has_colon",
    "commas",
    "starts_with_quote",
    "has_parenthesis",
    "capitalised_words",
    "number_tokens",
)


def _surface(text: str) -> tuple[float, ...]:
    """The _SURFACE columns of one sentence."""
    digits = sum(map(str.isdigit, text))
    words = _CAPITALISED.findall(text)[1:]  # the sentence-initial word says nothing
    capitalised = sum(word[0].isupper() for word in words)
    # A word of letters holds no digit: only the rest is searched (most words are letters).
    numbers = digits and sum(
        any(map(str.isdigit, token)) for token in text.split() if not token.isalpha()
    )
    return (
        digits / max(1, len(text)),
        float(bool(_QUOTE.search(text))),
        capitalised / max(1, len(words)),
        float(text.rstrip(' »"”)').endswith("?")),
        float(":" in text),
        float(text.count(",")),
        float(text.lstrip().startswith(("«", '"', "“"))),
        float("(" in text),
        float(capitalised),
        float(numbers),
    )


@dataclass(frozen=True)
class TreeEnsemble:
    """A boosted tree ensemble as flat arrays: every node of every tree, trees one after
    another.

    Node `j` tests `x[feature[j]] <= threshold[j]` and goes to node `left[j]` or `right[j]`
    (global indices); a leaf points to itself, so walking `depth` steps from each tree's
    root ends on the leaves, worth `value`. The raw score is the sum of the leaves reached
    plus `bias`. A summary always holds N sentences while the oracle the model learnt from
    stops when a sentence adds nothing, so selection takes off `length_penalty` x
    log(words): among likely sentences, the shorter (chosen on the validation split).
    """

    feature: Any
    threshold: Any
    left: Any
    right: Any
    value: Any
    roots: Any
    bias: float
    depth: int
    length_penalty: float = 0.0

    def raw_scores(self, features: Any) -> Any:
        """The sum of leaf values per row of `features` (plus the bias)."""
        import numpy as np

        rows = np.arange(features.shape[0])[:, None]
        node = np.broadcast_to(self.roots, (features.shape[0], self.roots.size))
        for _ in range(self.depth):
            go_left = features[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return self.value[node].sum(axis=1) + self.bias

    def scores(self, features: Any) -> Any:
        """Selection scores in (0, 1): the logistic of the length-penalised raw scores."""
        import numpy as np

        words = features[:, FEATURES.index("words")]
        penalised = self.raw_scores(features) - self.length_penalty * np.log(words)
        return 1.0 / (1.0 + np.exp(-penalised))


def ensemble_from_dict(model: dict[str, Any]) -> TreeEnsemble:
    """Build the evaluator from the JSON model (`trees`: node lists per tree, local indices,
    leaves with feature -1)."""
    import numpy as np

    roots, offset = [], 0
    columns: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right")}
    values: list[float] = []
    for tree in model["trees"]:
        roots.append(offset)
        for j, feature in enumerate(tree["feature"]):
            leaf = feature < 0
            columns["feature"].append(0 if leaf else feature)
            columns["threshold"].append(tree["threshold"][j])
            columns["left"].append(offset + (j if leaf else tree["left"][j]))
            columns["right"].append(offset + (j if leaf else tree["right"][j]))
            values.append(tree["value"][j])
        offset += len(tree["feature"])
    return TreeEnsemble(
        feature=np.array(columns["feature"], dtype=np.intp),
        threshold=np.array(columns["threshold"], dtype=np.float64),
        left=np.array(columns["left"], dtype=np.intp),
        right=np.array(columns["right"], dtype=np.intp),
        value=np.array(values, dtype=np.float64),
        roots=np.array(roots, dtype=np.intp),
        bias=float(model.get("bias", 0.0)),
        depth=int(model["depth"]),
        length_penalty=float(model.get("length_penalty", 0.0)),
    )


def _tree_to_arrays(tree: dict[str, Any]) -> dict[str, list[Any]]:
    """LightGBM's nested tree -> flat node lists (leaves have feature -1)."""
    arrays: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right")}
    arrays["value"] = []

    def visit(node: dict[str, Any]) -> int:
        index = len(arrays["feature"])
        for key in arrays:
            arrays[key].append(0)
        if "leaf_value" in node or "split_feature" not in node:
            arrays["feature"][index] = -1
            arrays["threshold"][index] = 0.0
            arrays["value"][index] = float(node.get("leaf_value", 0.0))
            arrays["left"][index] = arrays["right"][index] = index
            return index
        if node["decision_type"] != "<=":
            raise ValueError(f"unsupported split {node['decision_type']}")
        arrays["feature"][index] = int(node["split_feature"])
        arrays["threshold"][index] = float(node["threshold"])
        arrays["value"][index] = 0.0
        arrays["left"][index] = visit(node["left_child"])
        arrays["right"][index] = visit(node["right_child"])
        return index

    visit(tree["tree_structure"])
    return arrays


def _depth_of(tree: dict[str, Any]) -> int:
    def walk(node: dict[str, Any]) -> int:
        if "split_feature" not in node:
            return 0
        return 1 + max(walk(node["left_child"]), walk(node["right_child"]))

    return walk(tree["tree_structure"])


def model_from_lightgbm(dump: dict[str, Any]) -> dict[str, Any]:
    """Our JSON model from LightGBM's `Booster.dump_model()` (numerical `<=` splits only)."""
    trees = dump["tree_info"]
    return {
        "format": MODEL_FORMAT,
        "features": list(FEATURES),
        "bias": 0.0,
        "depth": max(_depth_of(tree) for tree in trees),
        "trees": [_tree_to_arrays(tree) for tree in trees],
    }


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> TreeEnsemble:
    """The shipped ranker (read once per process)."""
    model = json.loads(path.read_text(encoding="utf-8"))
    if model.get("format") != MODEL_FORMAT or tuple(model["features"]) != FEATURES:
        raise ValueError(f"{path}: not a ranker for these features; rebuild it")
    return ensemble_from_dict(model)
