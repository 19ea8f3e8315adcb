"""The CTranslate2 backend against the transformers reference, and its conversion cache."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import EXAMPLE, newstest_lines
from translate_news import ModelOptions, TranslateOptions, load_translator, translate_file
from translate_news.backends.ctranslate2_backend import MARKER, converted_model
from translate_news.cli import app
from translate_news.models import resolve_model

runner = CliRunner()


def test_float32_greedy_matches_transformers_token_for_token(
    tiny_translator, tiny_ct2_translator
) -> None:
    sentences = newstest_lines()[:40]
    reference = tiny_translator.translate(sentences)
    assert tiny_ct2_translator.translate(sentences) == reference
    for sentence, expected in zip(sentences, reference, strict=True):
        ids = tiny_translator.tokenizer(text_target=expected).input_ids
        got = tiny_ct2_translator.translate([sentence])[0]
        assert tiny_translator.tokenizer(text_target=got).input_ids == ids


def test_greedy_batched_equals_one_at_a_time(tiny_ct2_translator) -> None:
    sentences = newstest_lines()[:24]
    together = tiny_ct2_translator.translate(sentences)
    assert together == [tiny_ct2_translator.translate([s])[0] for s in sentences]


def test_int8_translates_every_sentence(tiny_translator, tiny_model_dir) -> None:
    """int8 gives an output for every sentence (its agreement with float32 is printed)."""
    sentences = newstest_lines()[:40]
    int8 = load_translator(
        ModelOptions(device="cpu", threads=1, backend="ctranslate2", compute_type="int8"),
        TranslateOptions(beams=1),
    )
    outputs = int8.translate(sentences)
    reference = tiny_translator.translate(sentences)
    same = sum(a == b for a, b in zip(outputs, reference, strict=True)) / len(sentences)
    print(f"int8 vs float32 transformers, greedy, tiny model: {same:.0%} identical sentences")
    assert len(outputs) == len(sentences) and all(outputs)


def test_auto_picks_ctranslate2_and_says_so(tiny_model_dir) -> None:
    result = runner.invoke(app, [str(EXAMPLE), "-f", "json", "--beams", "1", "-v"])
    assert result.exit_code == 0, result.output
    assert '"backend": "ctranslate2"' in result.stdout
    assert '"compute_type": "int8"' in result.stdout
    assert "(ctranslate2, cpu, int8, beams 1)" in result.stderr
    reference = runner.invoke(app, [str(EXAMPLE), "--backend", "transformers", "-f", "json"])
    assert '"backend": "transformers"' in reference.stdout


def test_example_article_through_ctranslate2(tiny_ct2_translator) -> None:
    result = translate_file(EXAMPLE, tiny_ct2_translator)
    assert result.model.backend == "ctranslate2"
    assert all(s.target for s in result.article.sentences() if s.status == "translated")


def test_conversion_is_reused_and_rebuilt(tiny_model_dir) -> None:
    spec = resolve_model(None)
    first = converted_model(spec, "float32")
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert converted_model(spec, "float32") == first
    assert (first / "model.bin").stat().st_mtime_ns == stamp  # reused, not converted again
    (first / MARKER).unlink()  # a crash before the marker: incomplete, rebuilt
    rebuilt = converted_model(spec, "float32")
    assert rebuilt == first and (rebuilt / MARKER).is_file()
    assert (rebuilt / "model.bin").stat().st_mtime_ns != stamp


def test_corrupt_conversion_is_rebuilt_on_load(tiny_model_dir) -> None:
    spec = resolve_model(None)
    folder = converted_model(spec, "int8")
    (folder / "model.bin").write_bytes(b"garbage")
    translator = load_translator(
        ModelOptions(device="cpu", threads=1, backend="ctranslate2", compute_type="int8"),
        TranslateOptions(beams=1),
    )
    assert translator.translate(["Bonjour."])[0]
    assert (folder / "model.bin").stat().st_size > 1000


def test_concurrent_conversions_leave_one_complete_folder(tiny_model_dir) -> None:
    code = (
        "import sys\n"
        "from translate_news.backends.ctranslate2_backend import converted_model\n"
        "from translate_news.models import resolve_model\n"
        "print(converted_model(resolve_model(sys.argv[1]), 'int8_float32'))\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tiny_model_dir)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0].strip() for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0] == outputs[1]
    folder = Path(outputs[0])
    assert (folder / MARKER).is_file()
    assert [p for p in folder.parent.iterdir() if p.name.startswith(".")] == []


def test_unsupported_compute_type_is_one_line(tiny_model_dir) -> None:
    result = runner.invoke(app, [str(EXAMPLE), "--compute-type", "float16", "--device", "cpu"])
    assert result.exit_code == 2  # a usage error, as in the README table
    assert result.stderr.startswith(
        "translate-news: error: --compute-type float16 is not supported on cpu"
    )
    assert result.stderr.count("\n") == 1


def test_unknown_backend_is_a_usage_error() -> None:
    result = runner.invoke(app, [str(EXAMPLE), "--backend", "marian"])
    assert result.exit_code == 2
    assert "unknown backend 'marian'" in result.stderr


def test_cpu_thread_layout() -> None:
    from translate_news.backends.ctranslate2_backend import cpu_thread_layout

    assert cpu_thread_layout(1) == {"inter_threads": 1, "intra_threads": 1}
    assert cpu_thread_layout(2) == {"inter_threads": 2, "intra_threads": 1}
    assert cpu_thread_layout(16) == {"inter_threads": 4, "intra_threads": 4}


def test_provenance_records_engine_settings(tiny_ct2_translator) -> None:
    provenance = tiny_ct2_translator.provenance()
    assert provenance["backend"] == "ctranslate2"
    assert provenance["compute_type"] == "float32"
    assert provenance["max_batch_tokens"] == 2048
    assert provenance["beams"] == 1


def test_a_small_job_gets_one_even_batch_per_worker() -> None:
    from translate_news.backends.base import even_batches

    lengths = [26, 79, 36, 77]  # the example article's summary: headline + 3 sentences
    assert even_batches(lengths, 2) == [[1, 3], [2, 0]]  # 79+77 padded 158, 36+26 padded 72
    assert even_batches(lengths, 4) == [[1], [3], [2, 0]]  # 72 padded: no need to split
    assert even_batches(lengths, 1) == [[1, 3, 2, 0]]
    assert even_batches([], 2) == []
    full = [84, 79, 77, 77, 60, 59, 38, 36, 36, 27, 26, 20, 10]
    assert [len(batch) for batch in even_batches(full, 2)] == [5, 8]  # 84x5=420, 59x8=472
