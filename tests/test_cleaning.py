import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, FURNITURE, FakeTranslator
from translate_news import render, result_to_dict, translate_file, translate_text
from translate_news.cli import app
from translate_news.text.cleaning import furniture_reason
from translate_news.text.language import foreign_language

runner = CliRunner()


def test_example_article_furniture_skipped_the_russian_label_with_it(
    fake_translator: FakeTranslator,
) -> None:
    result = translate_file(EXAMPLE, fake_translator)
    sentences = list(result.article.sentences())
    skipped = [s.source for s in sentences if s.status == "skipped"]
    assert skipped == FURNITURE
    assert all(
        s.reason and s.reason.startswith("page furniture")
        for s in sentences
        if s.status == "skipped"
    )
    kept = [(s.source, s.lang) for s in sentences if s.status == "kept"]
    assert kept == []
    assert sentences[-1].reason == "page furniture: a ru label beside it"
    translated = [s for s in sentences if s.status == "translated"]
    assert len(translated) == 12 and all(s.target for s in translated)
    sent = fake_translator.calls[0]
    assert not any(line in item for line in FURNITURE[1:] for item in sent)
    assert result.warnings == []


def test_text_output_leaves_furniture_out_unless_kept(fake_translator: FakeTranslator) -> None:
    result = translate_file(EXAMPLE, fake_translator)
    text = render(result, "text")
    assert "S'abonner" not in text and "loader" not in text and "\nChat" not in text
    assert "Заголовок" not in text  # a widget's label among the furniture at the end
    kept = render(result, "text", keep_boilerplate=True)
    for line in FURNITURE:
        assert f"\n{line}\n" in kept
    assert kept.split("\n")[2] == "S'abonner"  # in place, untranslated


def test_json_shows_what_was_skipped(fake_translator: FakeTranslator) -> None:
    data = result_to_dict(translate_file(EXAMPLE, fake_translator))
    sentences = [s for p in data["paragraphs"] for s in p]
    assert sentences[0] == {
        "id": 1,
        "source": "S'abonner",
        "target": None,
        "status": "skipped",
        "reason": 'page furniture: "s\'abonner"',
        "flags": [],
    }
    russian = sentences[-1]
    assert (russian["status"], russian["lang"], russian["target"]) == ("skipped", "ru", None)
    assert russian["reason"] == "page furniture: a ru label beside it"


@pytest.mark.parametrize(
    "line",
    [
        "S'abonner",
        "Partager sur Facebook",
        "Lire aussi :",
        "Nous utilisons des cookies pour améliorer votre expérience.",
        "Cet article est réservé aux abonnés",
        "Menu",
        "© Le Monde 2024",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert furniture_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Incendie à Rouen",  # a short headline
        "Le chat du voisin a été retrouvé.",  # news that mentions a label word
        "Chat.",  # a one-word sentence, not a button
        "Partager les richesses reste l'objectif du gouvernement, a-t-il dit.",
        "Politique",  # a section name is kept: it may head the news
        "Les abonnés de la SNCF paieront moins cher dès janvier.",
    ],
)
def test_news_lines_are_kept(line: str) -> None:
    assert furniture_reason(line) is None


def test_a_number_is_only_furniture_beside_furniture(fake_translator: FakeTranslator) -> None:
    result = translate_text("Titre\nLe score final.\n3\nLa suite du match.", fake_translator)
    assert [s.status for s in result.article.sentences()] == ["translated", "kept", "translated"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Заголовок открываемого материала", "ru"),
        ('"We will fight them on the beaches," he said.', "en"),
        ("Das ist ein deutscher Satz über die Politik.", "de"),
        ("Donald Trump a tweeté.", None),  # short Latin text: not confident, stays French
        ("BICHKEK, 16 août - RIA Novosti.", None),  # a dateline CLD2 calls Luxembourgish
        ("PARIS, 3 mars (Reuters) -", None),
        ("Les Etats de l'OCS doivent renforcer la sécurité.", None),
    ],
)
def test_foreign_language(text: str, language: str | None) -> None:
    assert foreign_language(text) == language


def test_english_quote_inside_a_french_article_is_kept(fake_translator: FakeTranslator) -> None:
    text = (
        "Discours historique\n"
        "Le Premier ministre britannique a prononcé un discours devant le Parlement. "
        '"We shall fight on the beaches, we shall never surrender." '
        "Les députés se sont levés pour l'applaudir longuement.\n"
    )
    result = translate_text(text, fake_translator)
    statuses = [(s.status, s.lang) for s in result.article.sentences()]
    assert statuses == [("translated", None), ("kept", "en"), ("translated", None)]
    paragraph = render(result, "text").split("\n")[1]
    assert paragraph == (
        "EN<Le Premier ministre britannique a prononcé un discours devant le Parlement.> "
        '"We shall fight on the beaches, we shall never surrender." '
        "EN<Les députés se sont levés pour l'applaudir longuement.>"
    )


def test_non_french_input_warns_and_strict_fails(tmp_path, use_fake) -> None:
    path = tmp_path / "en.txt"
    path.write_text(
        "Breaking news\nThe government announced new measures on Thursday to support industry. "
        "Unions welcomed the plan, which had been expected for months.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"translate-news: warning: {path}: only ")
    assert "looks French" in result.stderr
    strict = runner.invoke(app, [str(path), "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.startswith(f"translate-news: error: {path}: only ")
    assert strict.stderr.rstrip().endswith("fix: pass a French article (or drop --strict)")


def test_cli_verbose_lists_skipped_lines(use_fake) -> None:
    result = runner.invoke(app, [str(EXAMPLE), "-v", "-f", "json"])
    assert result.exit_code == 0
    assert 'skipped "S\'abonner" (page furniture' in result.stderr
    assert json.loads(result.stdout)["paragraphs"][0][0]["status"] == "skipped"


def test_language_detection_on_newstest() -> None:
    """French news stays French; English sentences are found (the figures in language.py)."""
    from conftest import newstest_lines

    french = newstest_lines("newstest2014.fra")
    english = newstest_lines("newstest2014.eng")
    flagged = [s for s in french if foreign_language(s) is not None]
    found = sum(foreign_language(s) == "en" for s in english)
    assert len(flagged) <= 1, flagged
    assert found >= 2900  # of 3003 (py3langid, before: 2707)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # the label at the very end, beside furniture: furniture
        ("Titre\n\nLe président est arrivé hier à Paris.\n\nChat\n\n"
         "Заголовок открываемого материала\n", "skipped"),
        # the same line with no furniture beside it: a foreign line of the article
        ("Titre\n\nLe président est arrivé hier à Paris.\n\n"
         "Заголовок открываемого материала\n", "kept"),
        # a foreign sentence (it ends like one) beside furniture: the article's quotation
        ("Titre\n\nLe président est arrivé hier à Paris.\n\n"
         "We will never give up on this country and its people.\n\nPartager\n", "kept"),
    ],
)  # fmt: skip
def test_a_foreign_label_is_furniture_only_beside_furniture_at_an_edge(
    text: str, status: str
) -> None:
    from translate_news.text.cleaning import prepare_article

    article = prepare_article(text)
    foreign = [s for s in article.sentences() if s.lang is not None]
    assert [s.status for s in foreign] == [status]
