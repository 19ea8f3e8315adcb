"""Article -> Result: the one path shared by the CLI and the Python API."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .backends import Translator, check_decoding, load_translator
from .backends.base import capabilities_of, translate_scored
from .checks import REPAIRED, Checked, Flag, retry_flag, run_checks
from .document import Article, Origin, PageText, Result, Sentence
from .errors import InputError, TranslateNewsError, empty_input
from .inputs import STDIN, read_articles, read_source
from .options import Request, TranslateOptions
from .provenance import Made
from .summary.select import summarize_article
from .text.cleaning import prepare_article
from .text.language import MIN_FRENCH_SHARE, french_share
from .text.lexicon import SOURCE_LANGUAGE
from .text.normalize import to_model_input, to_reader_output

OUTSIDE_SUMMARY = "not in the summary"  # the reason of a sentence a summary run leaves alone


def _leave_untranslated(article: Article, only_ids: set[int]) -> None:
    """Summary only: sentences outside `only_ids` pass through untranslated, saying why."""
    for sentence in article.sentences():
        if sentence.id not in only_ids and sentence.status == "translated":
            sentence.status = "kept"
            sentence.reason = OUTSIDE_SUMMARY


def translate_articles(
    articles: Sequence[Article], translator: Translator, options: TranslateOptions | None = None
) -> int:
    """Translate the pending units of several articles in one call, so they share batches.

    Identical sentences (within and across articles) are translated once, then checked
    (`options.names`, `options.min_confidence`: the user's settings of the checks). Returns the
    number of distinct sentences sent to the translator.
    """
    options = options or TranslateOptions()
    pending = [unit for article in articles for unit in article.units()]
    pending = [unit for unit in pending if unit.status == "translated"]
    model_inputs = [to_model_input(unit.source) for unit in pending]
    unique = list(dict.fromkeys(model_inputs))
    translations = dict(zip(unique, translate_scored(translator, unique), strict=True))
    for unit, model_input in zip(pending, model_inputs, strict=True):
        text, unit.confidence = translations[model_input]
        unit.target = to_reader_output(text, unit.source)
        unit.flags = _checked(unit.source, unit.target, unit.confidence, options)
    _retry(pending, translator, options)
    return len(unique)


def _checked(
    source: str, target: str, confidence: float | None, options: TranslateOptions
) -> list[Flag]:
    return run_checks(Checked(source, target, confidence, options.names, options.min_confidence))


def _retry(units: Sequence[Sentence], translator: Translator, options: TranslateOptions) -> None:
    """Translate sentences a `retry` check flagged (a looping output) once more with settings
    that prevent loops, where the engine declares it can; keep the second output when that
    check no longer flags it, and say so in a `repaired` flag."""
    retried = [(unit, flag) for unit in units if (flag := retry_flag(unit.flags)) is not None]
    if not capabilities_of(translator).avoids_repeats or not retried:
        return
    inputs = list(dict.fromkeys(to_model_input(unit.source) for unit, _ in retried))
    again = dict(zip(inputs, translate_scored(translator, inputs, True), strict=True))
    for unit, first in retried:
        text, confidence = again[to_model_input(unit.source)]
        candidate = to_reader_output(text, unit.source)
        flags = _checked(unit.source, candidate, confidence, options)
        if not any(flag.check == first.check for flag in flags):
            unit.target, unit.confidence = candidate, confidence
            unit.flags = [*flags, Flag(REPAIRED, f"translated again: {first.detail}")]


def prepare_text(
    text: str,
    translator: Translator,
    request: Request | None = None,
    *,
    source: str = STDIN,
    metadata: dict[str, Any] | None = None,
    title: str | None = None,
    origins: Sequence[Origin] = (),
) -> Result:
    """Everything before translation: clean, segment, check the language, pick the summary.

    `origins`: a document's, one per non-blank line (see `PageText`): its headline is the line
    whose origin says so (else it has none), its running headers and page numbers are skipped.
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
    if origins:  # a document says which line is its headline, if any
        headline = "first-line" if origins[0].get("kind") == "title" else "none"
    article = prepare_article(
        text,
        count_tokens=translator.count_tokens,
        max_tokens=options.max_sentence_tokens,
        headline=headline,
        title=title,
    )
    if origins:
        _attach_origins(article, origins, title_from_text=title is None)
    warnings = _language_warnings(article, source)
    if warnings and request.strict:
        raise InputError(warnings[0], "pass a French article (or drop --strict)")
    picked = (
        summarize_article(article, SOURCE_LANGUAGE, request.summary) if request.summary else None
    )
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
    made_at = made_now().strftime("%Y-%m-%d %H:%M UTC")
    return Result(
        source,
        article,
        provenance,
        picked,
        request.full,
        warnings,
        metadata or None,
        request,
        made_at,
    )


def prepare_page(
    page: PageText,
    translator: Translator,
    request: Request | None = None,
    *,
    source: str = STDIN,
    title: str | None = None,
) -> Result:
    """`prepare_text` for an article a reader found: its metadata, a document's origins and
    warnings, and the document itself (for the docx renderer) travel with the Result."""
    result = prepare_text(
        page.text,
        translator,
        request,
        source=source,
        metadata=page.metadata,
        title=title,
        origins=page.origins,
    )
    result.warnings[:0] = page.warnings
    result.original = page.original
    return result


def _attach_origins(article: Article, origins: Sequence[Origin], title_from_text: bool) -> None:
    """Give each paragraph (and the headline) its origin, and skip a document's furniture."""
    rest = list(origins)
    if article.title is not None and title_from_text:
        article.title_origin = rest.pop(0)
    if len(rest) != len(article.paragraphs):  # a reader's bug, not the user's input
        raise ValueError(f"{len(rest)} origins for {len(article.paragraphs)} paragraphs")
    for paragraph, origin in zip(article.paragraphs, rest, strict=True):
        paragraph.origin = origin
        furniture = origin.get("furniture")
        if furniture:
            for sentence in paragraph.sentences:
                sentence.status, sentence.reason = "skipped", f"page furniture: {furniture}"


def made_now() -> datetime:
    """Now (UTC), or the time `SOURCE_DATE_EPOCH` gives: the reproducible-builds convention,
    so that the same inputs make byte-identical outputs (a resumed run, a test)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def translate_results(
    results: Sequence[Result], translator: Translator, options: TranslateOptions | None = None
) -> int:
    """Translate prepared results together (shared batches); returns distinct sentences sent.

    The checks use `options.names` and `options.min_confidence` (see checks/).
    """
    sent = translate_articles([result.article for result in results], translator, options)
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
    if not text.strip():  # before any model is loaded
        raise empty_input(source)
    page = PageText(text, metadata or {})
    return translate_page(page, translator, request, source=source, title=title)


def _ready(translator: Translator | None, request: Request) -> Translator:
    """The translator to use: the one given (refused if it cannot decode as asked), else the
    model the request names, loaded."""
    if translator is None:
        return load_translator(request.model, request.translate)
    check_decoding(translator, request.translate)
    return translator


def pending_characters(result: Result) -> int:
    """Characters of a prepared result that go to the model (what fills a shared chunk)."""
    return sum(len(unit.source) for unit in result.article.units() if unit.status == "translated")


def source_tokens(results: Sequence[Result], translator: Translator) -> int:
    """Source tokens of the units translated in `results` (for tokens/s)."""
    return sum(
        translator.count_tokens(unit.source)
        for result in results
        for unit in result.article.units()
        if unit.status == "translated"
    )


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
    return translate_page(read_source(path), translator, request, source=str(path), title=title)


def translate_page(
    page: PageText,
    translator: Translator | None = None,
    request: Request | None = None,
    *,
    source: str = STDIN,
    title: str | None = None,
) -> Result:
    """Translate an article a reader found (`inputs.read_source`): see `translate_text`."""
    request = request or Request()
    translator = _ready(translator, request)
    result = prepare_page(page, translator, request, source=source, title=title)
    translate_results([result], translator, request.translate)
    return result


# Text a shared batch gathers before it is translated: about 16 full CTranslate2 batches of
# French (~4 characters a token), so the engine's workers rarely wait on a chunk's last batch,
# while the first results come soon and memory stays flat (README: Benchmarks).
CHUNK_CHARACTERS = 128_000

Item = str | Path | PageText  # a path, a URL, `-`, or an article already read


def translate_many(
    items: Iterable[Item],
    translator: Translator | None = None,
    request: Request | None = None,
) -> Iterator[Result]:
    """Translate many articles sharing the engine's batches; results in input order.

    Each item is a file path, an http(s) URL, `-` (stdin), or a `PageText` already read (its
    `metadata["url"]`, if any, is its source). An input that holds several articles gives one
    Result each. Items are read and prepared as the iteration goes; about `CHUNK_CHARACTERS`
    of text is translated at a time and its results yielded, so the first come before the
    last item is read. A bad item raises its InputError where it stands in the order (the
    results before it are yielded first).
    """
    for _item, result in translate_each(items, translator, request):
        yield result


def translate_each(
    items: Iterable[Item],
    translator: Translator | None = None,
    request: Request | None = None,
    on_error: Callable[[Item, TranslateNewsError], None] | None = None,
) -> Iterator[tuple[Item, Result]]:
    """`translate_many`, each Result paired with the item it came from. With `on_error`, an
    item that cannot be read or prepared is reported to it and left out, and the rest go on
    (a feed watcher's or a service's policy); without, its error is raised in order."""
    request = request or Request()
    translator = _ready(translator, request)
    chunk: list[tuple[Item, Result]] = []
    characters = 0
    for item in items:
        try:
            articles = _articles(item)
            prepared = [
                prepare_page(page, translator, request, source=source) for source, page in articles
            ]
        except TranslateNewsError as error:
            if on_error is not None:
                on_error(item, error)
                continue
            yield from _translated(chunk, translator, request)
            raise
        for result in prepared:
            chunk.append((item, result))
            characters += pending_characters(result)
            if characters >= CHUNK_CHARACTERS:
                yield from _translated(chunk, translator, request)
                chunk, characters = [], 0
    yield from _translated(chunk, translator, request)


def _articles(item: Item) -> list[tuple[str, PageText]]:
    if isinstance(item, PageText):
        return [(str(item.metadata.get("url") or STDIN), item)]
    return [(str(item), page) for page in read_articles(item)]


def _translated(
    chunk: list[tuple[Item, Result]], translator: Translator, request: Request
) -> list[tuple[Item, Result]]:
    translate_results([result for _, result in chunk], translator, request.translate)
    return chunk
