from conftest import EXAMPLE, FakeTranslator, newstest_lines
from translate_news import render, result_to_dict, translate_file, translate_text
from translate_news.text.normalize import to_model_input, to_reader_output


def test_identical_sentences_are_translated_once(fake_translator: FakeTranslator) -> None:
    result = translate_text("Titre\nLa pluie. Le vent.\n\nLa pluie.", fake_translator)
    assert fake_translator.calls == [["Titre", "La pluie.", "Le vent."]]
    assert render(result, "text") == "EN<Titre>\nEN<La pluie.> EN<Le vent.>\n\nEN<La pluie.>\n"


def test_text_keeps_layout_and_passes_numbers_through(fake_translator: FakeTranslator) -> None:
    text = "Titre\n\nUn.\nDeux. Trois.\n\n\n0\n– 12 –\n"
    result = translate_text(text, fake_translator)
    assert render(result, "text") == ("EN<Titre>\n\nEN<Un.>\nEN<Deux.> EN<Trois.>\n\n\n0\n– 12 –\n")
    assert render(result, "markdown") == (
        "# EN<Titre>\n\nEN<Un.>\n\nEN<Deux.> EN<Trois.>\n\n0\n\n– 12 –\n"
    )


def test_json_contract_on_the_example(fake_translator: FakeTranslator) -> None:
    result = translate_file(EXAMPLE, fake_translator)
    data = result_to_dict(result)
    assert data["source"] == str(EXAMPLE)
    assert {"id", "revision", "backend", "device"} <= set(data["model"])
    assert data["title"]["source"].startswith("Le renforcement")
    assert data["title"]["target"] == f"EN<{data['title']['source']}>"
    sentences = [s for paragraph in data["paragraphs"] for s in paragraph]
    assert [s["id"] for s in sentences] == list(range(1, len(sentences) + 1))
    for sentence in sentences:
        assert {"id", "source", "target", "status", "flags"} <= set(sentence)
        allowed = {"id", "source", "target", "status", "reason", "lang", "flags", "confidence"}
        assert set(sentence) <= allowed
        if sentence["status"] == "translated":
            assert sentence["target"] == f"EN<{sentence['source']}>"
        else:
            assert sentence["status"] in ("kept", "skipped") and sentence["target"] is None
    text = EXAMPLE.read_text(encoding="utf-8")
    joined = " ".join([data["title"]["source"], *(s["source"] for s in sentences)])
    assert joined.split() == text.split()
    assert len(data["paragraphs"]) == 16


def test_newstest_alignment(fake_translator: FakeTranslator) -> None:
    lines = newstest_lines()[:300]
    paragraphs = [lines[i : i + 5] for i in range(0, len(lines), 5)]
    text = "Revue de presse\n\n" + "\n\n".join(" ".join(p) for p in paragraphs)
    data = result_to_dict(translate_text(text, fake_translator))
    assert len(data["paragraphs"]) == len(paragraphs)
    ids = [s["id"] for paragraph in data["paragraphs"] for s in paragraph]
    assert ids == list(range(1, len(ids) + 1))
    for lines_in, sentences in zip(paragraphs, data["paragraphs"], strict=True):
        sources = [s["source"] for s in sentences]
        # each sentence exactly once, in order, nothing added or lost
        assert "".join("".join(sources).split()) == "".join("".join(lines_in).split())
        for s in sentences:  # each target is the translation of its own source
            expected = to_reader_output(f"EN<{to_model_input(s['source'])}>", s["source"])
            assert s["target"] == expected


def test_a_request_is_validated_once_and_echoed_in_the_result(
    fake_translator: FakeTranslator,
) -> None:
    import pytest

    from translate_news import Request, SummaryOptions
    from translate_news.errors import UsageError

    with pytest.raises(UsageError, match="summary options with mode 'full'"):
        Request(summary=SummaryOptions(sentences=2))  # would be ignored: refused instead
    with pytest.raises(UsageError, match="unknown mode 'abstract'"):
        Request(mode="abstract")
    assert Request(mode="summary").summary == SummaryOptions(sentences=3)
    request = Request(mode="summary", summary=SummaryOptions(sentences=2))
    result = translate_file(EXAMPLE, fake_translator, request)
    assert result.request is request and not result.full
    assert result.summary is not None and len(result.summary) == 2
    translated = [s for s in result.article.sentences() if s.status == "translated"]
    assert [s.id for s in translated] == [item.id for item in result.summary]
    assert result.article.title is not None and result.article.title.target is not None
