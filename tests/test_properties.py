"""Property-based checks of the text path: whatever text comes in, only typed errors escape,
no word is lost, ids increase, summaries pick candidates in order, every format renders.

Profiles (tests/conftest.py): `ci` (the default, 2,000 examples a property) and `long`
(`python -m pytest tests/test_properties.py --hypothesis-profile=long`, 10,000).
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import FakeTranslator
from translate_news.errors import TranslateNewsError
from translate_news.inputs.reading import decode_bytes
from translate_news.pipeline import translate_text
from translate_news.renderers import render
from translate_news.summary.select import candidates, summarize_article
from translate_news.text.cleaning import prepare_article

# Text that looks like news often enough to reach every rule: French words, abbreviations,
# glued stops, quotes, numbers, addresses, furniture labels, odd Unicode, blank lines.
PIECES = st.sampled_from([
    "Le président", "a déclaré", "M.", "Mme", "av. J.-C.", "3,5 %", "« Bonjour. »", '"Non."',
    "Pyrénées.Alors", "2007.Le", "www.lemonde.fr", "https://ex.fr/a.html", "S'abonner", "0",
    "Qui paiera ?", "PARIS (AFP) -", "Par Jean Dupont", ".", "!", "?", "…", ",", ";", ":", "-",
    "\n", "\n\n", " ", "\t", "\u00a0", "\u200f", "e\u0301", "😀", "Заголовок", "U.S.", "l'OCS",
])  # fmt: skip
NEWSY = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map(" ".join)


def _characters(text: str) -> str:
    """Every character but whitespace, in order (a glued `Pyrénées.Alors` splits in two)."""
    return "".join(text.split())


@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_with_a_typed_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x.txt")
    except TranslateNewsError as error:
        assert error.one_line().startswith("x.txt: ")
        return
    assert text.strip()
    article = prepare_article(text)  # the parser reads \r\n and \r as \n
    assert not any("\r" in unit.source for unit in article.units())


@given(NEWSY)
def test_no_word_is_lost_and_ids_increase(text: str) -> None:
    article = prepare_article(text, count_tokens=lambda s: len(s.split()), max_tokens=12)
    sources = [unit.source for unit in article.units()]
    assert _characters("".join(sources)) == _characters(text)
    ids = [unit.id for unit in article.units()]
    assert ids == sorted(set(ids))
    for sentence in article.sentences():
        assert sentence.status != "skipped" or sentence.reason


@given(NEWSY, st.integers(min_value=1, max_value=5), st.sampled_from(["ranker", "lexrank"]))
def test_summaries_pick_candidates_in_document_order(text: str, count: int, method: str) -> None:
    from translate_news.options import SummaryOptions

    article = prepare_article(text, "fr")
    picked = summarize_article(article, "fr", SummaryOptions(sentences=count, method=method))
    allowed = {sentence.id for sentence in candidates(article)}
    ids = [item.id for item in picked]
    assert set(ids) <= allowed and ids == sorted(set(ids)) and len(ids) <= count
    assert len({item.source for item in picked}) == len(picked)  # never the same twice


@given(NEWSY)
def test_every_format_renders_and_the_page_stays_inert(text: str) -> None:
    hostile = f"{text}\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n"
    try:
        result = translate_text(hostile, FakeTranslator())
    except TranslateNewsError:
        return  # e.g. empty after cleaning: a typed, one-line error
    for output_format in ("text", "markdown", "json"):
        assert render(result, output_format)
    page = render(result, "html")
    assert page.count("<script>") == 1  # ours only
    assert not re.search(r"<[^>]*\son\w+=", page)  # no event handler from the input
