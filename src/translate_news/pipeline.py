"""Article -> Result: the one path shared by the CLI and the Python API."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .backends import Translator, load_translator
from .checks import Flag, check_translation
from .checks.names import Glossary
from .document import Article, Result, Sentence
from .errors import InputError, empty_input
from .inputs import STDIN, read_source
from .options import Request, TranslateOptions
from .provenance import Made
from .summary.select import summarize_article
from .text.cleaning import prepare_article
from .text.language import MIN_FRENCH_SHARE, french_share
from .text.normalize import to_model_input, to_reader_output


def _leave_untranslated(article: Article, only_ids: set[int]) -> None:
    """Summary only: sentences outside `only_ids` pass through untranslated."""
    for sentence in article.sentences():
        if sentence.id not in only_ids and sentence.status == "translated":
            sentence.status = "kept"


def translate_articles(
    articles: Sequence[Article], translator: Translator, names: Glossary | None = None
) -> int:
    """Translate the pending units of several articles in one call, so they share batches.

    Identical sentences (within and across articles) are translated once, then checked
    (`names`: the user's name glossary). Returns the number of distinct sentences sent to the
    translator.
    """
    pending = [unit for article in articles for unit in article.units()]
    pending = [unit for unit in pending if unit.status == "translated"]
    model_inputs = [to_model_input(unit.source) for unit in pending]
    unique = list(dict.fromkeys(model_inputs))
    translations = dict(zip(unique, _translate_scored(translator, unique), strict=True))
    for unit, model_input in zip(pending, model_inputs, strict=True):
        text, unit.confidence = translations[model_input]
        unit.target = to_reader_output(text, unit.source)
        unit.flags = check_translation(unit.source, unit.target, names)
    _repair_loops(pending, translator, names)
    return len(unique)


def flag_low_confidence(article: Article, threshold: float) -> None:
    """Add a `confidence` flag to each translated sentence scored under `threshold`."""
    for unit in article.units():
        if unit.confidence is not None and unit.confidence < threshold:
            detail = f"the model's confidence {unit.confidence:.2f} is under {threshold:g}"
            unit.flags.append(Flag("confidence", detail))


def _translate_scored(
    translator: Translator, sentences: list[str]
) -> list[tuple[str, float | None]]:
    """Translations with the model's confidence where the engine gives one (else None)."""
    if not sentences:
        return []
    scored = getattr(translator, "translate_with_confidence", None)
    if scored is not None:
        return list(scored(sentences))
    return [(text, None) for text in translator.translate(sentences)]


def _repair_loops(
    units: Sequence[Sentence], translator: Translator, names: Glossary | None
) -> None:
    """Translate sentences whose output loops once more with settings that prevent loops
    (engines whose `translate_with_confidence` takes `avoid_repeats`); keep the second output
    when it no longer loops, and say so in a `repaired` flag."""
    repair = getattr(translator, "translate_with_confidence", None)
    looping = [unit for unit in units if any(f.check == "repetition" for f in unit.flags)]
    if repair is None or not looping:
        return
    inputs = list(dict.fromkeys(to_model_input(unit.source) for unit in looping))
    again = dict(zip(inputs, repair(inputs, avoid_repeats=True), strict=True))
    for unit in looping:
        text, confidence = again[to_model_input(unit.source)]
        candidate = to_reader_output(text, unit.source)
        flags = check_translation(unit.source, candidate, names)
        if not any(flag.check == "repetition" for flag in flags):
            first = next(f for f in unit.flags if f.check == "repetition")
            unit.target, unit.confidence = candidate, confidence
            unit.flags = [*flags, Flag("repaired", f"translated again: {first.detail}")]


def prepare_text(
    text: str,
    translator: Translator,
    request: Request | None = None,
    *,
    source: str = STDIN,
    metadata: dict[str, Any] | None = None,
    title: str | None = None,
) -> Result:
    """Everything before translation: clean, segment, check the language, pick the summary.

    The returned Result has no targets yet: `translate_results` fills them (for many results
    at once in folder runs).
    """
    if not text.strip():
        raise empty_input(source)
    request = request or Request()
    options = request.translate
    headline = options.headline
    if headline == "auto" and metadata and metadata.get("title"):
        headline = "first-line"  # a web page's own title, put first by the extractor
    article = prepare_article(
        text,
        count_tokens=translator.count_tokens,
        max_tokens=options.max_sentence_tokens,
        headline=headline,
        title=title,
    )
    warnings = _language_warnings(article, source)
    if warnings and request.strict:
        raise InputError(warnings[0], "pass a French article (or drop --strict)")
    picked = summarize_article(article, "fr", request.summary) if request.summary else None
    budget = request.summary.words if request.summary else None
    words = len(picked[0].source.split()) if picked else 0
    if budget is not None and words > budget:  # nothing fitted: the best sentence alone
        warnings.append(
            f"{source}: no sentence fits --words {budget}; the summary is the best sentence "
            f"alone ({words} words)"
        )
    if not request.full and picked is not None:
        _leave_untranslated(article, {item.id for item in picked})
    provenance = Made(translator.provenance())
    return Result(
        source, article, provenance, picked, request.full, warnings, metadata or None, request
    )


def translate_results(
    results: Sequence[Result], translator: Translator, options: TranslateOptions | None = None
) -> int:
    """Translate prepared results together (shared batches); returns distinct sentences sent.

    The checks use `options.names`; with `options.min_confidence`, sentences the model scored
    under it are flagged `confidence`.
    """
    options = options or TranslateOptions()
    sent = translate_articles([result.article for result in results], translator, options.names)
    if options.min_confidence is not None:
        for result in results:
            flag_low_confidence(result.article, options.min_confidence)
    for result in results:
        if result.summary is None:
            continue
        targets = {sentence.id: sentence.target for sentence in result.article.sentences()}
        for item in result.summary:
            item.target = targets[item.id]
    return sent


def translate_text(
    text: str,
    translator: Translator | None = None,
    request: Request | None = None,
    *,
    source: str = STDIN,
    metadata: dict[str, Any] | None = None,
    title: str | None = None,
) -> Result:
    """Translate a French article given as a string, as `request` asks (default: the full
    translation with the default model).

    The first line is the headline when it looks like one (`request.translate.headline`
    chooses the rule); `title` gives the headline explicitly, the text being all body.

    Page furniture is skipped and non-French sentences kept untranslated; a text that is
    mostly not French gets a warning in `Result.warnings` (an InputError with `strict`).

    With `mode="summary"` the key sentences are picked on the French source and only they and
    the headline are translated (several times faster); `mode="both"` translates everything
    and picks the summary too. `metadata` (a web page's title, author, date, ...) is kept in
    `Result.metadata`. A `translator` already loaded is used as is (`request.model` is then
    not consulted).
    """
    if not text.strip():
        raise empty_input(source)
    request = request or Request()
    if translator is None:
        translator = load_translator(request.model, request.translate)
    result = prepare_text(text, translator, request, source=source, metadata=metadata, title=title)
    translate_results([result], translator, request.translate)
    return result


def _language_warnings(article: Article, source: str) -> list[str]:
    share = french_share(article)
    if share >= MIN_FRENCH_SHARE:
        return []
    return [
        f"{source}: only {share:.0%} of the text looks French; opus-mt-fr-en translates "
        "French and makes nonsense of other languages"
    ]


def translate_file(
    path: str | Path,
    translator: Translator | None = None,
    request: Request | None = None,
    *,
    title: str | None = None,
) -> Result:
    """Read a text or HTML file, an http(s) URL, or `-` (stdin), and translate it.

    Web pages go through the article extractor; their metadata lands in `Result.metadata`.
    See `translate_text` for the rest.
    """
    page = read_source(path)
    return translate_text(
        page.text, translator, request, source=str(path), metadata=page.metadata, title=title
    )
