"""Extractive summaries: rate sentences, pick the key ones, return them in document order.

Two scorers (`SummaryOptions.method`): `ranker`, the default, a tree ensemble trained on
French news (summary/ranker.py) over features computed here, and `lexrank`, unsupervised: a
mix of position (the lead carries the key facts), centrality (LexRank on TF-IDF cosine
similarities) and similarity to the headline. Both are language-aware (stopwords and
Snowball stems from libraries), numpy only; selection is MMR for both, so near-duplicate
sentences (a lead repeated after the dateline) are never both picked.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..document import Article, Sentence, SummarySentence
from ..options import SummaryOptions, check_headline
from ..text.lexicon import LANGUAGES, SOURCE_LANGUAGE, WORD, check_language, stopwords

if TYPE_CHECKING:
    from .ranker import TreeEnsemble

MIN_CONTENT_WORDS = 6  # shorter pieces are fragments: section heads, datelines, bylines
# Sentences ranked at most: the similarity matrix grows with the square of their number (5,000
# grew to most of a GiB), and a news article's key facts come long before its thousandth sentence.
MAX_CANDIDATES = 1000
POSITION_WEIGHT = 0.5
CENTRALITY_WEIGHT = 0.3
TITLE_WEIGHT = 0.2
MMR_LAMBDA = 0.7
DUPLICATE_SIMILARITY = 0.7  # cosine above this: the same sentence said twice
DAMPING = 0.85
LENGTH_DAMPING = 0.25


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(LANGUAGES[lang])


@lru_cache(maxsize=200_000)
def _stem(word: str, lang: str) -> str:
    # snowballstemmer hands over to PyStemmer (the same algorithms in C, a dependency); news
    # vocabulary repeats, so the stems are cached too.
    return _stemmer(lang).stemWord(word)


def content_terms(text: str, lang: str) -> list[str]:
    """Lower-cased, stemmed words without stopwords (the features of a sentence)."""
    ignored = stopwords(lang)
    words = (m.group().lower() for m in WORD.finditer(text))
    return [_stem(w, lang) for w in words if len(w) > 1 and w not in ignored]


def _is_candidate(sentence: Sentence) -> bool:
    if sentence.status != "translated":
        return False
    letters_words = WORD.findall(sentence.source)
    return len(letters_words) >= MIN_CONTENT_WORDS


def _tfidf(documents: list[list[str]]) -> Any:
    import numpy as np

    vocabulary: dict[str, int] = {}
    for terms in documents:
        for term in terms:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(documents), max(1, len(vocabulary))))
    for row, terms in enumerate(documents):
        for term in terms:
            matrix[row, vocabulary[term]] += 1.0
    matrix = np.where(matrix > 0, 1.0 + np.log(np.maximum(matrix, 1.0)), 0.0)
    document_frequency = (matrix > 0).sum(axis=0)
    matrix *= np.log((1 + len(documents)) / (1 + document_frequency)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _lexrank(similarity: Any) -> Any:
    import numpy as np

    size = similarity.shape[0]
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, weights / np.where(sums == 0, 1.0, sums), 1.0 / size)
    rank = np.full(size, 1.0 / size)
    for _ in range(100):
        updated = (1 - DAMPING) / size + DAMPING * transition.T @ rank
        if np.abs(updated - rank).sum() < 1e-9:
            break
        rank = updated
    return rank / rank.max()


def cosine_matrix(texts: list[str], lang: str, title: str | None) -> Any:
    """Cosine similarities of the sentences' and the headline's TF-IDF rows (headline last)."""
    return _cosines([*(content_terms(t, lang) for t in texts), content_terms(title or "", lang)])


def _cosines(terms: list[list[str]]) -> Any:
    """Cosine similarities of the unit TF-IDF rows of these term lists.

    einsum, not `@`: on matrices this small a multithreaded BLAS spins its idle threads,
    which doubled the summariser's CPU time for the same wall time.
    """
    import numpy as np

    vectors = _tfidf(terms)
    return np.einsum("ik,jk->ij", vectors, vectors)


def _score(cosines: Any, word_counts: list[int]) -> Any:
    import numpy as np

    similarity, title_similarity = cosines[:-1, :-1], cosines[:-1, -1]
    centrality = _lexrank(similarity)
    position = 1.0 / np.sqrt(np.arange(1, len(similarity) + 1))
    if title_similarity.max() > 0:
        title_similarity = title_similarity / title_similarity.max()
    # Centrality on TF-IDF rewards long sentences (more shared terms); sentences longer than
    # the article's median are damped a little so that a summary is not merely long.
    words = np.maximum(np.array(word_counts, dtype=float), 1.0)
    length_factor = np.minimum(1.0, np.median(words) / words) ** LENGTH_DAMPING
    mixed = (
        POSITION_WEIGHT * position
        + CENTRALITY_WEIGHT * centrality
        + TITLE_WEIGHT * title_similarity
    )
    return mixed * length_factor


def _budget(options: SummaryOptions, candidates: int) -> int:
    if options.ratio is not None:
        wanted = round(options.ratio * candidates)
    elif options.words is not None:
        wanted = candidates  # the word budget stops the selection
    else:
        wanted = options.sentences
    return min(max(1, wanted), candidates)


def _select(
    texts: list[str],
    scores: list[float],
    similarity: Any,
    options: SummaryOptions,
    mmr_lambda: float = MMR_LAMBDA,
) -> list[int]:
    """MMR selection under the length options; indices in document order."""
    import numpy as np

    wanted = _budget(options, len(texts))
    lengths = [len(text.split()) for text in texts]
    # The word budget holds from the first pick when any sentence fits it; when none does,
    # the best sentence alone is the summary (and prepare_text says so).
    fits = options.words is not None and min(lengths, default=0) <= options.words
    chosen: list[int] = []
    seen: set[str] = set()  # texts picked (sentences without content words have no vector)
    words = 0
    score = np.asarray(scores, dtype=float)
    remaining = np.ones(len(texts), dtype=bool)
    # Vectorised: many near-duplicates are passed over one by one, so each round must be cheap.
    while remaining.any() and len(chosen) < wanted:
        redundancy = similarity[:, chosen].max(axis=1) if chosen else np.zeros(len(texts))
        value = np.where(remaining, mmr_lambda * score - (1 - mmr_lambda) * redundancy, -np.inf)
        best = int(np.argmax(value))  # the first of equals, in document order
        remaining[best] = False
        normal = " ".join(texts[best].lower().split())
        if normal in seen or (chosen and redundancy[best] > DUPLICATE_SIMILARITY):
            continue
        length = lengths[best]
        over = options.words is not None and words + length > options.words
        if over and (chosen or fits):
            continue
        chosen.append(best)
        seen.add(normal)
        words += length
    return sorted(chosen)


def candidates(article: Article) -> list[Sentence]:
    """The sentences a summary may pick: never boilerplate, kept segments or fragments."""
    sentences = [s for s in article.sentences() if _is_candidate(s)]
    if not sentences:  # a very short article: whatever has letters and is not furniture
        sentences = [s for s in article.sentences() if s.status == "translated"]
    return sentences


def ranker_features(sentences: list[Sentence], title: Sentence | None, lang: str) -> Any:
    """The trained ranker's feature rows for `sentences` (see `ranker.FEATURES`), and the
    cosine matrix they came from (headline last)."""
    from .ranker import sentence_features

    texts = [s.source for s in sentences]
    terms = [content_terms(text, lang) for text in texts]
    cosines = _cosines([*terms, content_terms(title.source if title else "", lang)])
    centrality = _lexrank(cosines[:-1, :-1])
    return sentence_features(texts, terms, cosines, title is not None, centrality), cosines


def summarize_article(
    article: Article,
    lang: str = SOURCE_LANGUAGE,
    options: SummaryOptions | None = None,
    ranker: TreeEnsemble | None = None,
) -> list[SummarySentence]:
    """Pick the key sentences of an article, in document order (`ranker`: another model)."""
    options = options or SummaryOptions()
    sentences = candidates(article)[:MAX_CANDIDATES]
    if not sentences:
        return []
    texts = [s.source for s in sentences]
    if options.method == "ranker":
        from .ranker import load_ranker

        features, cosines = ranker_features(sentences, article.title, lang)
        scores = [float(v) for v in (ranker or load_ranker()).scores(features)]
        mmr = 1.0  # the ranker has seen the lead: only the duplicate rule applies
    else:
        cosines = cosine_matrix(texts, lang, article.title.source if article.title else None)
        scores = [float(v) for v in _score(cosines, [len(t.split()) for t in texts])]
        mmr = MMR_LAMBDA
    picked = _select(texts, scores, cosines[:-1, :-1], options, mmr)
    return [SummarySentence(sentences[i].id, sentences[i].source, scores[i]) for i in picked]


def summarize(
    document: str | Article,
    lang: str = SOURCE_LANGUAGE,
    sentences: int | None = None,
    ratio: float | None = None,
    words: int | None = None,
    *,
    title: str | None = None,
    headline: str = "auto",
    method: str = "ranker",
) -> list[SummarySentence]:
    """Summarise French or English text (or an Article) without translating it.

    Text is parsed like an input file: the first line is the headline only when it looks
    like one (`headline`: auto | first-line | none), or `title` gives it; page furniture is
    never picked (nor, in French, sentences in another language). Length: `sentences` (3
    when no length is given), a `ratio` of them, or a `words` budget, one of them.
    `method`: "ranker" (the trained sentence ranker) or "lexrank" (unsupervised).
    """
    from ..text.cleaning import prepare_article

    options = SummaryOptions(sentences, ratio, words, method)
    check_language(lang)  # before parsing: the sentence splitter's rules are per language
    if isinstance(document, str):
        check_headline(headline)
        document = prepare_article(document, lang, headline=headline, title=title)
    return summarize_article(document, lang, options)
