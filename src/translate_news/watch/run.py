"""One poll of every feed (`--once`), and the loop that polls until stopped (`--every`).

A poll reads each feed (conditional GET), keeps the items not seen before (or whose entry
changed), fetches their pages on worker threads while the model translates what came
before (`translate_each`: shared batches), and for each article in order: recognises a
duplicate (same body as an article already translated) or a new version, writes the outputs,
records it in the state (atomically), then rebuilds the digests of the days it touched. A
feed's validators are recorded only once all of its items are done, so a run killed midway
fetches the feed again and finds what it had not finished.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..backends import Translator
from ..document import PageText, Result
from ..errors import InputError, OutputError, TranslateNewsError
from ..folders.manifest import FolderLock
from ..folders.progress import ConsoleProgress
from ..inputs import only_article, read_fetched
from ..inputs.feed import READER as FEED_READER
from ..inputs.feed import read_feed
from ..options import Request
from ..pipeline import source_tokens, translate_each
from ..renderers.layout import summary_lines
from .digest import write_digest
from .fetching import PoliteFetcher
from .items import Item, body_hash, canonical
from .state import WatchState
from .writing import output_names, site_of, slug_of, write_outputs

log = logging.getLogger("translate_news")


@dataclass(frozen=True)
class WatchOptions:
    """What a watch run follows and how politely."""

    since: str | None = None  # YYYY-MM-DD: items published before are left out
    max_items: int | None = None  # new items a poll takes at most
    match: tuple[str, ...] = ()  # keep only articles that mention one of these terms
    delay_s: float = 1.0  # between two requests to the same host
    max_bytes: int = 10_000_000


@dataclass
class WatchReport:
    """What one poll did; `failed` holds one line per source or item that failed."""

    new: int = 0
    updated: int = 0
    duplicates: int = 0
    from_feed: int = 0
    unmatched: int = 0
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings: pages read from the feed
    days: set[str] = field(default_factory=set)

    def summary_line(self) -> str:
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.duplicates} duplicate"]
        if self.from_feed:
            parts.append(f"{self.from_feed} from the feed's text")
        if self.unmatched:
            parts.append(f"{self.unmatched} without a --match term")
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


def watch_once(
    sources: list[str],
    out: Path,
    get_translator: Callable[[], Translator],
    request: Request,
    options: WatchOptions,
    say: Callable[[str], None] = log.warning,
    fetcher: PoliteFetcher | None = None,
    stop: threading.Event | None = None,
    progress: ConsoleProgress | None = None,
) -> WatchReport:
    """Poll every feed once into `out` (see the module doc); `stop` set (SIGTERM) ends the
    poll after the article in progress, its state and digests written. `progress` counts
    the articles to translate (a bar on a terminal)."""
    out.mkdir(parents=True, exist_ok=True)
    fetcher = fetcher or PoliteFetcher(options.delay_s, max_bytes=options.max_bytes)
    report = WatchReport()
    with FolderLock(out):
        state = WatchState.load(out)
        if state.damaged:
            say(f"{state.path}: damaged; starting again (outputs are rewritten as they were)")
        validators: dict[str, dict[str, str | None]] = {}
        items: dict[str, Item] = {}  # by key: one item reached through two feeds is one
        for feed in sources:
            for item in _read_source(feed, state, fetcher, report, validators):
                if item.key in items:
                    report.duplicates += 1
                elif _wanted(item, state, options):
                    items[item.key] = item
        wanted = list(items.values())
        complete = options.max_items is None or len(wanted) <= options.max_items
        wanted = wanted[: options.max_items] if options.max_items is not None else wanted
        failed_before = len(report.failed)
        if wanted:
            progress = progress or ConsoleProgress(quiet=True)
            progress.start(len(wanted))
            _translate(wanted, out, state, get_translator, request, options, fetcher, report,
                       stop, progress)  # fmt: skip
            progress.stop()
        complete = complete and len(report.failed) == failed_before  # a failed item: try again
        if complete and not (stop is not None and stop.is_set()):
            state.feeds.update(validators)  # every item of these feeds is done: 304s may come
        state.save()
        for day in sorted(report.days):
            write_digest(out, state.items, day)
    fetcher.close()
    for line in report.notes:
        say(line)
    return report


def _read_source(
    feed: str,
    state: WatchState,
    fetcher: PoliteFetcher,
    report: WatchReport,
    validators: dict[str, dict[str, str | None]],
) -> list[Item]:
    known = state.feeds.get(feed, {})
    try:
        fetched = fetcher.fetch(feed, known.get("etag"), known.get("last_modified"))
        if fetched.body is None:  # 304: nothing new
            return []
        entries = read_feed(fetched.body, feed, fetched.url)
    except InputError as error:
        report.failed.append(error.one_line())
        return []
    validators[feed] = {"etag": fetched.etag, "last_modified": fetched.last_modified}
    return [Item(feed, entry) for entry in entries if entry.text.strip()]


def _wanted(item: Item, state: WatchState, options: WatchOptions) -> bool:
    if options.since and item.published and item.published[:10] < options.since:
        return False
    known = state.items.get(item.key)
    return known is None or known.get("fingerprint") != item.fingerprint


@dataclass
class _Article:
    item: Item
    page: PageText
    from_feed: bool


def _translate(
    items: list[Item],
    out: Path,
    state: WatchState,
    get_translator: Callable[[], Translator],
    request: Request,
    options: WatchOptions,
    fetcher: PoliteFetcher,
    report: WatchReport,
    stop: threading.Event | None,
    progress: ConsoleProgress,
) -> None:
    pages = {id(item): fetcher.submit(item.link) if item.link else None for item in items}
    articles: dict[int, _Article] = {}  # by id(page): read_all runs on this thread
    pending: dict[str, str] = {}  # body hash -> key, of articles read but not yet written
    also: dict[str, list[str]] = {}  # key -> links of duplicates found while it was pending

    def read_all() -> Iterator[PageText]:
        for item in items:
            if stop is not None and stop.is_set():
                return
            article = _article(item, pages[id(item)], report, options.max_bytes)
            if _unchanged(article, state) or _duplicate(article, state, report, pending, also):
                progress.file_finished(item.key, "unchanged", None)
                continue
            pending[body_hash(article.page.text)] = item.key
            articles[id(article.page)] = article
            yield article.page

    def failed(page: Any, error: TranslateNewsError) -> None:
        report.failed.append(error.one_line())  # printed with the poll's last line
        progress.file_finished("", "failed", None)

    translator = get_translator()
    for page, result in translate_each(read_all(), translator, request, failed):
        article = articles.pop(id(page))
        _record(article, result, out, state, request, options, report, also)
        translated = sum(unit.status == "translated" for unit in result.article.units())
        progress.translated(translated, source_tokens([result], translator))
        progress.file_finished(article.item.key, "done", None)
        if stop is not None and stop.is_set():
            return


def _article(item: Item, page: Any, report: WatchReport, max_bytes: int) -> _Article:
    """The item's page (a web page, a PDF or Word file) as an article, else (a 404, no
    article in it, a link to a feed) its feed text."""
    if page is not None:
        try:
            fetched = page.result()
            if fetched.body is not None:
                label = item.link or item.feed
                if fetched.media_type in FEED_READER.media_types:
                    raise InputError(f"{label}: is {fetched.media_type}, not an article's page")
                found = read_fetched(
                    fetched.body, label, fetched.url, fetched.media_type, max_bytes
                )
                article = only_article(found, label)
                metadata = {**item.entry.metadata, **article.metadata, "feed": item.feed}
                return _Article(item, replace(article, metadata=metadata), False)
        except InputError as error:  # a fallback, not a failure: one line, then counted
            report.notes.append(f"{error.what}; the feed's text is used instead")
    report.from_feed += 1
    metadata = {**item.entry.metadata, "feed": item.feed, "from_feed": True}
    return _Article(item, PageText(item.entry.text, metadata), True)


def _duplicate(
    article: _Article,
    state: WatchState,
    report: WatchReport,
    pending: dict[str, str],
    also: dict[str, list[str]],
) -> bool:
    """Whether the article is one already translated (or about to be, in this poll) under
    another key (wire copy, or its page's canonical URL), recorded as such; a changed text
    of a known key is not a duplicate but a new version."""
    item, page = article.item, article.page
    body = body_hash(page.text)
    text_key = state.texts.get(body) or pending.get(body)
    canonical_url = page.metadata.get("canonical")
    if text_key is None and canonical_url and canonical(canonical_url) in state.items:
        text_key = canonical(canonical_url)
    if text_key is None or text_key == item.key:
        return False
    report.duplicates += 1
    state.items[item.key] = {"fingerprint": item.fingerprint, "duplicate_of": text_key}
    if text_key not in state.items or "entry" not in state.items[text_key]:
        also.setdefault(text_key, []).append(item.link or item.feed)  # written later
        return True
    original = state.items[text_key]
    known_also = original["entry"].get("also", [])
    link = item.link or item.feed
    if link not in known_also and link != original["entry"].get("url"):
        original["entry"]["also"] = sorted([*known_also, link])
    state.save()
    report.days.add(original["day"])
    return True


def _unchanged(article: _Article, state: WatchState) -> bool:
    """The entry changed (its updated time, say) but not the article: nothing to translate;
    the new entry is remembered."""
    known = state.items.get(article.item.key)
    if known is None or known.get("sha256") != body_hash(article.page.text):
        return False
    known["fingerprint"] = article.item.fingerprint
    state.save()
    log.info("%s: unchanged", article.item.link or article.item.feed)
    return True


def _record(
    article: _Article,
    result: Result,
    out: Path,
    state: WatchState,
    request: Request,
    options: WatchOptions,
    report: WatchReport,
    also: dict[str, list[str]],
) -> None:
    item, page = article.item, article.page
    matches = _matches(result, options.match)
    if options.match and not matches:
        state.items[item.key] = {"fingerprint": item.fingerprint, "unmatched": True}
        state.save()
        report.unmatched += 1
        return
    known = state.items.get(item.key, {})
    digest = body_hash(page.text)  # not the known one: _unchanged let through only changes
    version = int(known.get("version", 0)) + 1
    day = (item.published or result.made_at)[:10]
    formats = list(dict.fromkeys(["html", request.output.format]))
    site = site_of(item.link, item.feed)
    names = output_names(site, day, slug_of(item.title or _headline(result)), version,
                         formats, state.taken_outputs())  # fmt: skip
    try:
        write_outputs(out, result, names, request.output.keep_boilerplate,
                      request.output.show_flags)  # fmt: skip
    except OutputError as error:
        if error.fatal:
            raise
        report.failed.append(error.one_line())
        return
    log.info("%s: %s", item.link or item.feed, out / names["html"])
    state.items[item.key] = {
        "fingerprint": item.fingerprint, "sha256": digest, "version": version, "day": day,
        "outputs": names,
        "entry": _entry(item, result, names["html"], article.from_feed, matches, version),
    }  # fmt: skip
    if also.get(item.key):
        state.items[item.key]["entry"]["also"] = sorted(set(also.pop(item.key)))
    state.texts[digest] = item.key
    state.save()
    report.days.add(day)
    if version > 1:
        report.updated += 1
    else:
        report.new += 1


def _headline(result: Result) -> str | None:
    return result.article.title.source if result.article.title else None


def _entry(
    item: Item, result: Result, page: str, from_feed: bool, matches: list[str], version: int
) -> dict[str, Any]:
    title = result.article.title
    summary = summary_lines(result)
    feed_title = item.entry.metadata.get("feed_title")
    return {
        "key": item.key,
        "headline": title.output_text() if title else (summary[0] if summary else ""),
        "headline_fr": title.source if title else None,
        "url": item.link,
        "source": feed_title or site_of(item.link, item.feed),
        "published": item.published,
        "page": page,
        "summary": summary,
        "to_check": result.article.to_check(),
        "from_feed": from_feed,
        "matches": matches,
        "version": version,
    }


def _matches(result: Result, terms: tuple[str, ...]) -> list[str]:
    """The --match terms the article mentions, in French or in English (whole words)."""
    if not terms:
        return []
    texts = [f"{u.source}\n{u.target or ''}" for u in result.article.units()]
    whole = "\n".join(texts)
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", whole, re.I)]
