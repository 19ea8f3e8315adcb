"""Checks that need no model: table-driven on real pairs, and measured on newstest2012."""

from __future__ import annotations

import json
import random
import re

import pytest

from conftest import newstest_lines
from translate_news.backends.base import Capabilities
from translate_news.checks import check_translation
from translate_news.checks.names import check_names_kept, parse_glossary, read_glossary
from translate_news.checks.numbers import check_numbers
from translate_news.errors import UsageError

PAIRS_OK = [  # (French, English): real pairs in the spirit of newstest, numbers converted
    ("Le taux est passé à 3,5 % en 2012.", "The rate rose to 3.5% in 2012."),
    ("Il y a 1 000 000 d'habitants.", "There are 1,000,000 inhabitants."),
    ("Il y a 1.000.000 d'habitants.", "There are 1000000 inhabitants."),
    ("Le 16 août 2007, il est parti.", "On August 16, 2007, he left."),
    ("Au XXe siècle, tout a changé.", "In the 20th century, everything changed."),
    ("Le budget atteint 2,5 milliards d'euros.", "The budget reaches 2.5 billion euros."),
    ("La réunion commence à 14h30.", "The meeting starts at 2.30 pm."),
    ("La réunion commence à 14h30.", "The meeting starts at 14:30."),
    ("Il est arrivé 1er sur 20 coureurs.", "He came first out of 20 runners."),
    ("Une trentaine de parents étaient présents.", "Around 30 relatives were present."),
    ("Les années 90 furent dures.", "The 1990s were hard."),
    ("Le soldat a été blessé.", "The soldier was injured."),
    (
        "Xi Jinping a reçu Vladimir Poutine à Tianjin.",
        "Xi Jinping received Vladimir Putin in Tianjin.",
    ),
    ("Le chef de l'Élysée a reçu Mme Merkel.", "The head of the Elysee received Ms Merkel."),
    ("Il a visité l'Allemagne et la Chine.", "He visited Germany and China."),
    (  # every occurrence of a glossary name is the glossary's, not only the first
        "L'Allemagne signe, puis l'Allemagne paie.",
        "Germany signs, then Germany pays.",
    ),
    ("Les pays de l'OTAN et de l'UE se réunissent.", "NATO and EU countries meet."),
    ("Selon Gabrielle Giffords, c'est fini.", "According to Giffords, it is over."),
    ("Le XXe siècle a vu 5 Md de dollars partir.", "The 20th century saw 5 bn dollars go."),
]


@pytest.mark.parametrize(("french", "english"), PAIRS_OK)
def test_clean_pairs_are_not_flagged(french: str, english: str) -> None:
    assert check_translation(french, english) == []


@pytest.mark.parametrize(
    ("french", "english", "check", "detail"),
    [
        ("Le taux est de 3,5 %.", "The rate is 5.3%.", "numbers", "missing in the English: 3,5"),
        ("Le taux est de 3,5 %.", "The rate is 3.5% in 2013.", "numbers",
         "not in the French: 2013"),
        ("La réunion commence à 14h30.", "The meeting starts at 3.30 pm.", "numbers",
         "missing in the English: time 2:30"),
        ("Le président a parlé de la crise devant les députés.",
         "Le président a parlé de la crise devant les députés.", "untranslated",
         "the English repeats the French (100% alike)"),
        ("Ils ont applaudi.", "(applause) (applause) (applause) (applause)", "repetition",
         "'(applause)' repeated in a row"),
        ("Le gouvernement a présenté mercredi un plan de relance très attendu.", "Yes.",
         "length", "1 English words for 11 French"),
        ("Xi Jinping a reçu Vladimir Poutine à Tianjin.", "Xi Jinping received Putin.", "names",
         "missing in the English: Tianjin"),
        ("Il a rencontré Angela Merkel à Berlin.", "He met the chancellor in Berlin.", "names",
         "missing in the English: Angela Merkel"),
        ("Il a visité l'Allemagne hier.", "He visited Allemagne yesterday.", "names",
         "missing in the English: Allemagne (Germany)"),
    ],
)  # fmt: skip
def test_each_check_flags_what_it_should(
    french: str, english: str, check: str, detail: str
) -> None:
    flags = check_translation(french, english)
    assert (check, detail) in [(flag.check, flag.detail) for flag in flags]


def _pairs() -> list[tuple[str, str]]:
    return list(
        zip(newstest_lines("newstest2012.fra"), newstest_lines("newstest2012.eng"), strict=True)
    )


def test_false_flags_on_human_translations_of_newstest2012() -> None:
    pairs = _pairs()
    rates = {}
    for check in ("numbers", "untranslated", "repetition", "length", "names"):
        flagged = sum(
            any(flag.check == check for flag in check_translation(french, english))
            for french, english in pairs
        )
        rates[check] = flagged / len(pairs)
    print("newstest2012 references, share of pairs flagged:", rates)
    assert len(pairs) == 3003
    assert rates["numbers"] <= 0.02
    assert rates["untranslated"] <= 0.002 and rates["repetition"] <= 0.002
    # names: 5.0% (rules tuned on newstest2014 only); the rest are mostly free references
    # ("Steve Jobs" then "Jobs", "Tchèques" -> "Czechs", "Assemblée" -> "UN").
    assert rates["names"] <= 0.06


def test_a_deleted_name_is_caught() -> None:
    from translate_news.checks.names import NAME, check_names, entities, fold, present, source_names

    rng = random.Random(0)
    tried = caught = 0
    for french, english in _pairs():
        groups = entities(french, source_names(french))
        if not groups or check_names(french, english):
            continue  # only references the check finds clean
        entity = rng.choice(groups)
        broken = english
        for match in reversed(list(NAME.finditer(english))):  # every word standing for it
            if any(present(name, [fold(match.group())]) for name in entity):
                broken = broken[: match.start()] + broken[match.end() :]
        tried += 1
        caught += bool(check_names(french, broken))
    print(f"deleted names caught: {caught}/{tried} = {caught / tried:.1%}")
    assert tried > 1000 and caught / tried >= 0.95


def test_the_user_glossary_is_checked_and_malformed_files_are_one_line(tmp_path) -> None:
    french, english = "Vladimir Poutine est arrivé.", "Vladimir Poutine arrived."
    assert check_names_kept(french, english) == []
    flags = check_names_kept(french, english, {"Poutine": ("Putin",)})
    assert [(f.check, f.detail) for f in flags] == [
        ("names", "missing in the English: Poutine (Putin)")
    ]
    assert parse_glossary(["# comment", "", "Poutine\tPutin", "Poutine\tPoutine"], "x") == {
        "Poutine": ("Putin", "Poutine")
    }
    bad = tmp_path / "names.tsv"
    bad.write_text("OCS\tSCO\nPoutine Putin\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_glossary(bad)
    assert caught.value.one_line() == (
        f"{bad}:2: expected `French<TAB>English`, got 'Poutine Putin'; "
        "fix: write one name pair a line, separated by a tab"
    )


def test_a_changed_or_deleted_number_is_caught() -> None:
    rng = random.Random(0)
    number = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
    tried = caught = 0
    for french, english in _pairs():
        if check_numbers(french, english):
            continue  # only references the check finds clean
        found = list(number.finditer(english))
        if not found:
            continue
        match = rng.choice(found)
        digits = [i for i, ch in enumerate(match.group()) if ch.isdigit()]
        position = rng.choice(digits)
        changed = (
            match.group()[:position]
            + str((int(match.group()[position]) + rng.randint(1, 9)) % 10)
            + match.group()[position + 1 :]
        )
        for broken in (english[: match.start()] + english[match.end() :],
                       english[: match.start()] + changed + english[match.end() :]):  # fmt: skip
            tried += 1
            caught += bool(check_numbers(french, broken))
    print(f"perturbed numbers caught: {caught}/{tried} = {caught / tried:.1%}")
    assert tried > 1000 and caught / tried >= 0.95


class _WrongNumbers:
    """A translator that gets every number wrong (adds one to each)."""

    name = "wrong-numbers"

    def translate(self, sentences: list[str]) -> list[str]:
        return [
            re.sub(
                r"\d+", lambda m: str(int(m.group()) + 1), sentence.replace("milliards", "billion")
            )
            for sentence in sentences
        ]

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def provenance(self) -> dict[str, object]:
        return {"id": "wrong/model", "revision": "main", "backend": "wrong", "device": "cpu"}


ARTICLE = "Budget\n\nLe budget atteint 12 milliards cette année.\n\nThe end is near.\n"


def test_flags_reach_json_text_notes_and_folder_totals(tmp_path) -> None:
    from translate_news import translate_folder, translate_text
    from translate_news.options import FolderOptions, OutputOptions, Request
    from translate_news.renderers import render, result_to_dict

    result = translate_text(ARTICLE, _WrongNumbers())
    data = result_to_dict(result)
    first = data["paragraphs"][0][0]
    assert first["flags"] == [
        {"check": "numbers", "detail": "missing in the English: 12"},
        {"check": "numbers", "detail": "not in the French: 13"},
    ]
    assert render(result, "text", show_flags=True).splitlines()[2] == (
        "Le budget atteint 13 billion cette année. [check: numbers: missing in the English: 12] "
        "[check: numbers: not in the French: 13]"
    )
    assert "[check:" not in render(result, "text")
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    (folder / "c.txt").write_text("Sommet\n\nMacron, Merkel, Poutine: sommet.\n", encoding="utf-8")
    request = Request(output=OutputOptions(format="markdown", show_flags=True))
    report = translate_folder([folder], tmp_path / "out", _WrongNumbers(), request,
                              folder_options=FolderOptions(use_memory=False))  # fmt: skip
    assert (report.flagged_sentences, report.flagged_files) == (2, 2)
    assert report.summary_line().endswith("; 2 sentences to check in 2 files")
    assert "[check: numbers" in (tmp_path / "out" / "a.en.md").read_text(encoding="utf-8")
    manifest = [json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").open()]
    assert {record["input"]: record["flagged"] for record in manifest} == {
        "a.txt": 1,
        "b.txt": 1,
        "c.txt": 0,
    }


class _Looping:
    """Loops on 'applaudi' unless asked to avoid repeats (as a real engine may)."""

    name = "looping"
    capabilities = Capabilities(scores=True, avoids_repeats=True)

    def __init__(self) -> None:
        self.repaired: list[list[str]] = []

    def translate(self, sentences: list[str]) -> list[str]:
        return [
            "(applause) (applause) (applause) (applause)" if "applaudi" in s else f"EN {s}"
            for s in sentences
        ]

    def translate_with_confidence(
        self, sentences: list[str], avoid_repeats: bool = False
    ) -> list[tuple[str, float]]:
        if not avoid_repeats:
            return [(text, 0.5) for text in self.translate(sentences)]
        self.repaired.append(list(sentences))
        return [("They applauded." if "applaudi" in s else f"EN {s}", 0.9) for s in sentences]

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def provenance(self) -> dict[str, object]:
        return {"id": "loop/model", "revision": "main", "backend": "loop", "device": "cpu"}


def test_a_looping_sentence_is_translated_again_and_flagged_repaired() -> None:
    from translate_news import translate_text

    translator = _Looping()
    result = translate_text("Salle\n\nIls ont applaudi. Macron parle.\n", translator)
    first, second = result.article.paragraphs[0].sentences
    assert translator.repaired == [["Ils ont applaudi."]]  # only the looping sentence
    assert (first.target, first.confidence) == ("They applauded.", 0.9)
    assert [(f.check, f.detail) for f in first.flags] == [
        ("repaired", "translated again: '(applause)' repeated in a row")
    ]
    assert second.target == "EN Macron parle." and second.flags == []


def test_real_engines_offer_the_second_try(tiny_translator, tiny_ct2_translator) -> None:
    sentences = ["Le président a parlé.", "Il est parti hier soir."]
    for translator in (tiny_translator, tiny_ct2_translator):
        again = translator.translate_with_confidence(sentences, avoid_repeats=True)
        assert len(again) == 2 and all(0 < confidence <= 1 for _, confidence in again)


def test_confidence_is_the_same_on_both_engines(tiny_translator, tiny_ct2_translator) -> None:
    sentences = newstest_lines("newstest2012.fra")[:12]
    reference = tiny_translator.translate_with_confidence(sentences)
    other = tiny_ct2_translator.translate_with_confidence(sentences)
    assert [text for text, _ in reference] == [text for text, _ in other]
    for (_, mine), (_, theirs) in zip(reference, other, strict=True):
        assert 0.0 < mine <= 1.0 and abs(mine - theirs) < 1e-3


def test_every_translated_sentence_has_a_confidence_kept_by_the_memory(
    tiny_ct2_translator, tmp_path
) -> None:
    import json
    import sqlite3

    from translate_news import translate_text
    from translate_news.folders.memory import MemoryTranslator, TranslationMemory
    from translate_news.renderers import result_to_dict

    text = "Sommet\n\nLe président a parlé hier. Il est parti.\n\nLe président a parlé hier.\n"
    first = result_to_dict(translate_text(text, tiny_ct2_translator))
    sentences = [s for p in first["paragraphs"] for s in p]
    assert all(0 < s["confidence"] <= 1 for s in sentences)
    assert sentences[0]["confidence"] == sentences[2]["confidence"]  # identical: one score

    old = tmp_path / "old.sqlite"  # a memory from before confidences
    with sqlite3.connect(old) as db:
        db.execute(
            "CREATE TABLE memory (settings TEXT NOT NULL, source TEXT NOT NULL, "
            "target TEXT NOT NULL, PRIMARY KEY (settings, source)) WITHOUT ROWID"
        )
    memory = TranslationMemory(old)
    remembering = MemoryTranslator(tiny_ct2_translator, memory)
    once = result_to_dict(translate_text(text, remembering))
    again = result_to_dict(translate_text(text, remembering))
    assert remembering.hits == 3 and remembering.misses == 3  # title and 2 distinct sentences
    assert json.dumps(once["paragraphs"]) == json.dumps(again["paragraphs"])
    assert once["paragraphs"] == first["paragraphs"]
    memory._db.execute("INSERT INTO memory VALUES ('s', 'x', 'y', NULL)")
    assert memory.lookup("s", ["x"]) == {"x": ("y", None)}  # an old row: no confidence
    memory.close()


def test_min_confidence_flags_low_scores() -> None:
    from translate_news import Request, TranslateOptions, translate_text

    translator = _Looping()  # scores 0.5 each (0.9 for a repaired loop)
    request = Request(translate=TranslateOptions(min_confidence=0.6))
    result = translate_text("Salle\n\nIls ont applaudi. Macron parle.\n", translator, request)
    first, second = result.article.paragraphs[0].sentences
    assert [f.check for f in first.flags] == ["repaired"]  # 0.9: not under 0.6
    assert [(f.check, f.detail) for f in second.flags] == [
        ("confidence", "the model's confidence 0.50 is under 0.6")
    ]
    assert result.article.title is not None and result.article.title.flags[-1].check == "confidence"


def test_names_file_on_the_command_line(tmp_path, use_fake) -> None:
    from typer.testing import CliRunner

    from translate_news.cli import app

    article = tmp_path / "a.txt"
    article.write_text("Le sommet\n\nVladimir Poutine est arrivé à Tianjin.\n", encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text("Poutine\tPutin\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(article), "--names", str(names), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    sentence = json.loads(result.stdout)["paragraphs"][0][0]
    assert sentence["flags"] == [
        {"check": "names", "detail": "missing in the English: Poutine (Putin)"}
    ]
    names.write_text("Poutine Putin\n", encoding="utf-8")
    bad = CliRunner().invoke(app, [str(article), "--names", str(names)])
    assert (bad.exit_code, bad.stderr) == (
        2,
        f"translate-news: error: {names}:1: expected `French<TAB>English`, got 'Poutine Putin'; "
        "fix: write one name pair a line, separated by a tab\n",
    )
