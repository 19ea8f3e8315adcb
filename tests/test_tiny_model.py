"""The real loading and translation path, on a tiny random-weight Marian model."""

import json
import re

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, FURNITURE, newstest_lines
from translate_news import ModelOptions, TranslateOptions, load_translator, translate_file
from translate_news.backends.base import output_token_limit
from translate_news.cli import app

runner = CliRunner()


def test_default_id_loads_from_the_offline_hf_cache(tiny_translator) -> None:
    provenance = tiny_translator.provenance()
    assert provenance["id"] == "Helsinki-NLP/opus-mt-fr-en"
    assert provenance["revision"] == "main"
    assert (provenance["backend"], provenance["device"], provenance["dtype"]) == (
        "transformers",
        "cpu",
        "float32",
    )


def test_example_article_every_sentence_accounted_for(tiny_translator) -> None:
    result = translate_file(EXAMPLE, tiny_translator)
    sentences = list(result.article.sentences())
    assert result.article.title.target
    for sentence in sentences:
        if sentence.status == "translated":
            assert sentence.target
        else:
            assert sentence.target is None
    untranslated = [s.source for s in sentences if s.status != "translated"]
    assert untranslated == FURNITURE
    text = EXAMPLE.read_text(encoding="utf-8")
    joined = " ".join([result.article.title.source, *(s.source for s in sentences)])
    assert joined.split() == text.split()


def test_batched_equals_one_at_a_time(tiny_model_dir) -> None:
    sentences = newstest_lines()[:24]
    for beams in (1, 4):
        batched = load_translator(
            ModelOptions(
                model=str(tiny_model_dir), device="cpu", threads=1, backend="transformers"
            ),
            TranslateOptions(beams=beams, max_batch_tokens=4096),
        )
        together = batched.translate(sentences)
        one_by_one = [batched.translate([sentence])[0] for sentence in sentences]
        assert together == one_by_one


def test_output_length_is_bounded_per_sentence(tiny_translator, monkeypatch) -> None:
    # Random weights rarely emit </s>: the guard is what stops them, sentence by sentence.
    tokenizer = tiny_translator.tokenizer
    captured = []
    original = tokenizer.batch_decode

    def spy(ids, **kwargs):
        captured.append(ids.tolist())
        return original(ids, **kwargs)

    monkeypatch.setattr(tokenizer, "batch_decode", spy)
    sentences = ["Bonjour.", "Le président de la République a parlé hier soir à la télévision."]
    tiny_translator.translate(sentences)
    rows = [row for batch in captured for row in batch]
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}
    produced = sorted(sum(token not in special for token in row) for row in rows)
    limits = sorted(
        output_token_limit(tiny_translator.count_tokens(s), tiny_translator.model_limit)
        for s in sentences
    )
    assert produced == limits  # this model never stops early, so each hits its own limit


def test_cli_with_local_folder_and_json(tiny_model_dir) -> None:
    result = runner.invoke(
        app, [str(EXAMPLE), "--model", str(tiny_model_dir), "--beams", "1", "-f", "json", "-v"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"]["id"] == str(tiny_model_dir.resolve())
    assert data["model"]["revision"] is None
    assert data["model"]["beams"] == 1
    assert re.search(r"segments translated \(\d+ to check, \d+ repaired\) with ", result.stderr)


def test_cli_default_model_from_cache(tiny_model_dir) -> None:
    result = runner.invoke(app, [str(EXAMPLE), "--beams", "1", "--keep-boilerplate"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    source_lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    # same layout: blank lines where the input has them, furniture and "0" in place, as is
    assert [line == "" for line in lines[:-1]] == [line == "" for line in source_lines]
    for line in FURNITURE:
        assert lines[source_lines.index(line)] == line
    plain = runner.invoke(app, [str(EXAMPLE), "--beams", "1"]).stdout.split("\n")
    # the furniture lines go, and the blank line before the furniture that ends the page
    assert len(plain) == len(lines) - len(FURNITURE) - 1
    assert not set(FURNITURE) & set(plain)


def test_missing_gpu_is_one_clear_line(tiny_model_dir) -> None:
    import torch

    if torch.cuda.is_available():  # pragma: no cover - CPU machines only
        pytest.skip("this machine has a GPU")
    result = runner.invoke(app, [str(EXAMPLE), "--device", "cuda:1"])
    assert result.exit_code == 1
    assert result.stderr == (
        "translate-news: error: --device cuda:1: no CUDA GPU is visible; "
        "fix: use --device cpu or auto\n"
    )
