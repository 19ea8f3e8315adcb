"""Article structure and French-aware sentence splitting.

Every sentence `source` is an exact substring of its input line, so that joining the
sources in order gives back every word of the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..document import Article, Paragraph, Sentence
from ..options import MAX_SENTENCE_TOKENS, check_headline
from .lexicon import SOURCE_LANGUAGE
from .long_sentences import split_long

MAX_TITLE_CHARS = 300
MAX_TITLE_WORDS = 30
_QUOTES = '«»"“”'
_SPACES = " \u00a0\u202f\t"
_MASK_QUOTES = str.maketrans(dict.fromkeys(_QUOTES, " "))
# Abbreviations pysbd's French rules miss, after which a period never ends a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b(?:p|pp|cf|av|apr|Me|Mgr|Pr|Dr|St|Ste|Cie|U\.S|p\.-d\.g)\.)$")
_ABBREVIATION_WINDOW = 16  # characters before a cut that can hold one (`\b` sees past them)
# Clause boundaries for splitting over-long sentences, strongest first.
# A line that ends a sentence with a full stop or an ellipsis (a closing quote or bracket may
# follow, and CNN-style text puts a space before it) is a paragraph, never a headline.
_ENDS_WITH_STOP = re.compile(r"[.…]\s*['\"»”’)\]]*\s*$")
_ENDS_WITH_QUESTION = re.compile(r"[?!]\s*['\"»”’)\]]*\s*$")
MAX_QUESTION_HEADLINE_WORDS = 15
# Datelines ("PARIS, 3 mars (AFP) -", "WASHINGTON (Reuters) -") and bylines or time stamps
# ("Par Jean Dupont", "By Jane Doe", "Publié le 3 mars", "Mis à jour le ...", "Updated ...").
_DATELINE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’ .-]{2,}(?:,|\s\(|\s[-–—])")
_BYLINE = re.compile(
    r"^(?:par|by|de notre (?:correspondant|envoyée?)|publié|mis à jour|modifié|updated|"
    r"posted|le (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b)",
    re.IGNORECASE,
)
MAX_BYLINE_WORDS = 12
# A segment that is only a web or e-mail address passes through untranslated, like a number.
_ONLY_ADDRESS = re.compile(
    r"^[(<\[]?(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)[)>\].,;]?$", re.IGNORECASE
)
# A stop followed by more text: only then can a paragraph hold two sentences.
# A stop followed by non-word characters, the last of them a space, then a word: where one
# sentence may end and the next begin. Found from runs of non-word characters (`_inner_stops`)
# rather than as r"[.!?…]\W*\s+\w", whose backtracking is quadratic on long runs of spaces.
_NON_WORD_RUN = re.compile(r"\W+")
_WHITESPACE = re.compile(r"\s")
_ANY_STOP = re.compile(r"[.!?…]")
_SENTENCE_TAIL = re.compile(r"[.!?…]*\s*\Z")
# What pysbd's rules weigh beyond a plain full stop: brackets, dashes, ellipses, lone quotes.
_NEEDS_RULES = re.compile(r"[()\[\]{}]|--|\.\.|(?<!\w)'|'(?!\w)")
# Longer paragraphs go to pysbd window by window; ends this close to a window's edge are
# decided in the next window (identical to pysbd's own on the 271 OrangeSum paragraphs over
# 3,000 characters of the tuning set).
PYSBD_WINDOW = 3_000
WINDOW_MARGIN = 1_000
MIN_PLAIN_WORD = 3  # shorter capitalised words before a full stop may be initials or titles
# Sentences glued by scraping ("Pyrénées.Alors", "en 2007.Le", "groupe.L'homme"): a
# lower-case letter or a digit, a full stop, then an upper-case letter. An upper-case letter
# before the stop ("M.Dupont", "U.S.Army") is never split: there it is far more often an
# initial or an abbreviation than two glued sentences.
_GLUED = re.compile(r"(?<=[a-zà-öø-ÿœ0-9])\.(?=[A-ZÀ-ÖØ-ÞŒ])")
# ... nor inside a web address, an e-mail address, a file name or a glued abbreviation.
_NOT_GLUED_WORD = re.compile(r"(?:://|www\.|@|\.(?:html?|php|aspx?|pdf|docx?|jpe?g|png)\b)", re.I)
_GLUED_ABBREVIATIONS = frozenset(
    ("mme", "mlle", "mgr", "dr", "pr", "me", "st", "ste", "av", "cf", "ph", "vs", "ex")
)
_LONGEST_GLUED_ABBREVIATION = max(map(len, _GLUED_ABBREVIATIONS))
_WORD = re.compile(r"[^ \n]+")


def has_letters(text: str) -> bool:
    """True when the text holds at least one letter (else it passes through untranslated)."""
    return any(ch.isalpha() for ch in text)


@lru_cache(maxsize=4)
def _segmenter(lang: str) -> Any:
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False, char_span=True)


def _sentence_ends(text: str, lang: str) -> list[int]:
    """Where pysbd's sentences end in `text` (trailing spaces included).

    pysbd's own char spans compile one regular expression per sentence, which is half of its
    time; its sentences (clean=False) are substrings in order, so a `str.find` walk gives the
    same spans. A sentence not found that way falls back to pysbd's spans.
    """
    if next(_inner_stops(text, len(text)), None) is None:
        return [len(text)]  # no stop before more text: one sentence (most short paragraphs)
    plain = _plain_ends(text, lang)
    if plain is not None:
        return plain
    if len(text) <= PYSBD_WINDOW:
        return _pysbd_ends(text, lang)
    return _windowed_ends(text, lang)


def _windowed_ends(text: str, lang: str) -> list[int]:
    """pysbd's ends for a paragraph longer than PYSBD_WINDOW, window by window.

    pysbd rewrites the whole text once per abbreviation it meets, so its cost grows with
    the square of a paragraph's length (`p. 3 et cf. p. 4, ` repeated: minutes at 200 kB).
    No news paragraph is that long; for the rare one that is, each window's ends are kept
    up to WINDOW_MARGIN before its edge (where a cut could change pysbd's mind), and the
    next window starts at the last end kept, so every end is decided with its context.
    """
    ends: list[int] = []
    start = 0
    while len(text) - start > PYSBD_WINDOW:
        window = _pysbd_ends(text[start : start + PYSBD_WINDOW], lang)
        kept = [start + end for end in window if end <= PYSBD_WINDOW - WINDOW_MARGIN]
        ends.extend(kept)
        start = kept[-1] if kept else start + PYSBD_WINDOW - WINDOW_MARGIN
    ends.extend(start + end for end in _pysbd_ends(text[start:], lang))
    return ends


def _pysbd_ends(text: str, lang: str) -> list[int]:
    segmenter = _segmenter(lang)
    ends, cursor = [], 0
    for sentence in segmenter.processor(text).process():
        start = text.find(sentence, cursor)
        if start < 0:
            return [span.end for span in segmenter.segment(text)]
        cursor = start + len(sentence)
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        ends.append(cursor)
    return ends


def _plain_ends(text: str, lang: str) -> list[int] | None:
    """Sentence ends where pysbd's answer is known without asking it, else None.

    Known when every stop in `text` is followed by spaces and a capital letter and is a `?`,
    a `!`, or a full stop after a plain word (lower case, or capitalised and at least
    MIN_PLAIN_WORD letters; not one of pysbd's abbreviations for `lang`), and nothing else
    is there for pysbd's rules to weigh (`_NEEDS_RULES`): pysbd splits at each such stop.
    Asking it is most of the summariser's CPU time. Checked identical to pysbd on the 71,912
    pieces of the evaluation, OrangeSum train and newstest paragraphs that need a decision
    (22,815 of them answered here); tests/test_segment.py keeps checking it.
    """
    if _NEEDS_RULES.search(text):
        return None
    last = len(text)
    while last > 0 and not (text[last - 1].isalnum() or text[last - 1] == "_"):
        last -= 1
    if not _SENTENCE_TAIL.match(text, last):
        return None
    ends = []
    for stop, next_word in _inner_stops(text, last):
        if text[stop] not in ".?!" or not text[stop + 1 : next_word].isspace():
            return None
        if not text[next_word].isupper():
            return None
        if text[stop] == "." and not _is_plain_word(text, stop, lang):
            return None
        ends.append(next_word)
    if len(_ANY_STOP.findall(text, 0, last)) != len(ends):
        return None  # a stop inside a word or a number ("No.1", "3.5"): pysbd decides
    return [*ends, len(text)]


def _inner_stops(text: str, end: int) -> Iterator[tuple[int, int]]:
    r"""(stop, next word) for each stop in `text[:end]` that is followed by non-word
    characters ending in a space and then by a word inside `text[:end]`: the first stop of
    each such run (what r"[.!?…]\W*\s+\w" finds), in one linear pass."""
    for run in _NON_WORD_RUN.finditer(text, 0, end):
        if run.end() >= end or not _WHITESPACE.match(text, run.end() - 1):
            continue
        stop = _ANY_STOP.search(text, run.start(), run.end())
        if stop is not None:
            yield stop.start(), run.end()


def _is_plain_word(text: str, end: int, lang: str) -> bool:
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False  # letters after a digit ("3rd"): not a plain word
    word = text[start:end]
    if word.lower() in _abbreviations(lang):
        return False
    return (word.islower() and len(word) >= 2) or (word.istitle() and len(word) >= MIN_PLAIN_WORD)


@lru_cache(maxsize=4)
def _abbreviations(lang: str) -> frozenset[str]:
    """Every abbreviation pysbd knows for `lang`, lower-cased."""
    from pysbd.languages import Language

    lists = Language.get_language_code(lang).Abbreviation
    known = (*lists.ABBREVIATIONS, *lists.PREPOSITIVE_ABBREVIATIONS, *lists.NUMBER_ABBREVIATIONS)
    return frozenset(word.lower() for word in known)


def split_sentences(text: str, lang: str = SOURCE_LANGUAGE) -> list[str]:
    """Split one paragraph into sentences (exact, stripped substrings, in order).

    pysbd knows French abbreviations, initials and decimals but keeps a quotation of several
    sentences in one piece and misses a boundary after `. »`. So it runs on a copy where quote
    marks are blanked (same offsets), then the pieces are mended: closing quotes are attached
    to the sentence they close, and a piece that starts in lower case or with punctuation, or
    follows an abbreviation, is joined back to the previous one. `lang` picks pysbd's rules
    (its abbreviations): "fr" for articles, "en" for English text.
    """
    if not text.strip():
        return []
    spans = _unglued_spans(text)
    return [piece for start, end in spans for piece in _split_clean(text[start:end], lang)]


def _unglued_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` cut after each glued full stop (see `_GLUED`), word by word (a
    word's address test is made once, however many stops it holds: linear in the text)."""
    cuts = []
    for word in _WORD.finditer(text):
        stops = list(_GLUED.finditer(text, word.start(), word.end()))
        if not stops or _NOT_GLUED_WORD.search(word.group()):
            continue
        lead = word.end() - len(word.group().lstrip(_QUOTES + "(["))  # after opening marks
        for match in stops:
            short = match.start() - lead <= _LONGEST_GLUED_ABBREVIATION
            if short and text[lead : match.start()].lower() in _GLUED_ABBREVIATIONS:
                continue
            cuts.append(match.end())
    bounds = [0, *cuts, len(text)]
    return list(pairwise(bounds))


def _split_clean(text: str, lang: str) -> list[str]:
    masked = text.translate(_MASK_QUOTES)
    ends = _sentence_ends(masked, lang)[:-1]
    pieces: list[str] = []
    start = 0
    for end in ends:
        cut = _attach_closing_quotes(text, _trim_back(text, start, end))
        if cut <= start:
            continue
        # Looked at in place, never sliced: when pieces keep being joined (`p. 3, cf. p. 4`
        # over and over) `start` stays put, and a copy of the piece each time is quadratic.
        if _continues_sentence(text, cut) or _ABBREVIATION_END.search(
            text, max(start, cut - _ABBREVIATION_WINDOW), cut
        ):
            continue
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _continues_sentence(text: str, cut: int) -> bool:
    """Whether the piece after `cut` (past spaces and quotes) starts in lower case, with
    punctuation or with `-C.` (as in `J.-C.`)."""
    at = cut
    while at < len(text) and text[at] in _SPACES + _QUOTES:
        at += 1
    if at == len(text):
        return False
    first = text[at]
    glued_hyphen = first == "-" and at + 1 < len(text) and not text[at + 1].isspace()
    return first.islower() or first in ",;:)]}.!?…" or glued_hyphen


def _trim_back(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in _SPACES or text[end - 1] in _QUOTES):
        end -= 1
    return end


def _attach_closing_quotes(text: str, cut: int) -> int:
    while True:
        probe = cut
        while probe < len(text) and text[probe] in _SPACES:
            probe += 1
        if probe >= len(text):
            return cut
        char = text[probe]
        closing_straight = char == '"' and (probe + 1 == len(text) or not text[probe + 1].isalnum())
        if char in "»”" or closing_straight:
            cut = probe + 1
        else:
            return cut


def looks_like_headline(line: str, lang: str = SOURCE_LANGUAGE) -> bool:
    """True when a first line reads as a headline rather than the article's first paragraph.

    A headline has letters, at most 30 words and no sentence-final full stop or ellipsis; it
    is not a dateline ("PARIS (AFP) -") or a byline ("Par ...", "Publié le ..."). A line
    ending in `?` or `!` is a headline when short and a single sentence ("Qui paiera ?"):
    French headlines ask questions, while a lead paragraph rarely is one short question.
    """
    line = line.strip()
    words = line.split()
    if not has_letters(line) or len(words) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    if _ENDS_WITH_STOP.search(line):
        return False
    if _ENDS_WITH_QUESTION.search(line):
        return len(words) <= MAX_QUESTION_HEADLINE_WORDS and len(split_sentences(line, lang)) == 1
    if _DATELINE.match(line):
        return False
    return not (_BYLINE.match(line) and len(words) <= MAX_BYLINE_WORDS)


def parse_article(
    text: str,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = MAX_SENTENCE_TOKENS,
    headline: str = "auto",
    title: str | None = None,
    lang: str = SOURCE_LANGUAGE,
) -> Article:
    """Build an Article: an optional headline, then each line a paragraph.

    `headline`: "auto" takes the first line as the headline when more lines follow and it
    looks like one (`looks_like_headline`); "first-line" whenever more lines follow; "none"
    never. An explicit `title` is the headline and the text is all body.
    With `count_tokens`, sentences over `max_tokens` are split further (see `split_long`).
    `lang`: the text's language, for the sentence splitter's abbreviations. Ids number the
    title 0 and body sentences from 1 in reading order.
    """
    check_headline(headline)
    lines = text.split("\n")
    blocks: list[tuple[int, str]] = []  # (blank lines before, stripped line)
    blanks = 0
    for line in lines:
        if line.strip():
            blocks.append((blanks if blocks else 0, line.strip()))
            blanks = 0
        else:
            blanks += 1
    heading: Sentence | None = None
    if title is not None and title.strip():
        heading = _make_sentence(0, title.strip())
    elif headline != "none" and len(blocks) > 1:
        first = blocks[0][1]
        fits = count_tokens is None or count_tokens(first) <= max_tokens
        wanted = headline == "first-line" or looks_like_headline(first, lang)
        if wanted and fits and len(first) <= MAX_TITLE_CHARS:
            heading = _make_sentence(0, first)
            blocks = blocks[1:]
    next_id = 1
    paragraphs = []
    for blank_lines, line in blocks:
        sentences = []
        for piece in split_sentences(line, lang):
            parts = split_long(piece, count_tokens, max_tokens) if count_tokens else [piece]
            for part in parts:
                sentences.append(_make_sentence(next_id, part))
                next_id += 1
        paragraphs.append(Paragraph(sentences, blank_lines))
    return Article(heading, paragraphs)


def _make_sentence(sentence_id: int, source: str) -> Sentence:
    if _ONLY_ADDRESS.match(source):
        return Sentence(sentence_id, source, status="kept", reason="a web or e-mail address")
    return Sentence(sentence_id, source, status="translated" if has_letters(source) else "kept")
