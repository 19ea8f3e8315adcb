import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from translate_news.cli import app

runner = CliRunner()
ARTICLE = "Titre du jour\n\nM. Dupont est venu. Il est reparti.\n0\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_translates_a_file_to_stdout(tmp_path: Path, use_fake) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE.encode("cp1252"))
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "EN<Titre du jour>\n\nEN<M. Dupont est venu.> EN<Il est reparti.>\n0\n"


def test_reads_stdin(use_fake) -> None:
    result = runner.invoke(app, ["-", "--format", "json"], input="Bonjour. Au revoir.\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "-"
    assert data["title"] is None
    assert data["paragraphs"] == [
        [
            {
                "id": 1,
                "source": "Bonjour.",
                "target": "EN<Bonjour.>",
                "status": "translated",
                "confidence": None,
                "flags": [],
            },
            {
                "id": 2,
                "source": "Au revoir.",
                "target": "EN<Au revoir.>",
                "status": "translated",
                "confidence": None,
                "flags": [],
            },
        ]
    ]


def test_output_file_is_written_and_input_is_protected(tmp_path: Path, use_fake) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE.encode())
    out = tmp_path / "a.md"
    result = runner.invoke(app, [str(path), "-o", str(out), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert (
        out.read_text()
        == "# EN<Titre du jour>\n\nEN<M. Dupont est venu.> EN<Il est reparti.>\n\n0\n"
    )
    assert result.stdout == ""
    refused = runner.invoke(app, [str(path), "-o", str(path)])
    assert refused.exit_code == 2  # a usage error
    assert refused.stderr == (
        f"translate-news: error: {path}: is the input file; refusing to overwrite it; "
        "fix: choose another -o path\n"
    )
    assert path.read_text() == ARTICLE
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_bad_inputs_get_one_line_and_exit_1(tmp_path: Path, use_fake) -> None:
    cases = {
        tmp_path / "missing.txt": "no such file; fix: check the path",
        _write(
            tmp_path, "empty.txt", b""
        ): "input is empty; fix: pass a file that contains an article",
        _write(
            tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        ): "looks like a binary file",
    }
    for path, message in cases.items():
        result = runner.invoke(app, [str(path)])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith(f"translate-news: error: {path}: {message}")
        assert result.stderr.count("\n") == 1


def test_usage_errors_exit_2(use_fake) -> None:
    assert runner.invoke(app, []).exit_code == 2
    assert runner.invoke(app, [str(EXAMPLE), "--format", "pdf"]).exit_code == 2
    result = runner.invoke(app, [str(EXAMPLE), "--beams", "0"])
    assert result.exit_code == 2
    assert result.stderr == (
        "translate-news: error: --beams must be between 1 and 32, got 0; "
        "fix: pass --beams 4 (or 1, greedy)\n"
    )
    result = runner.invoke(app, [str(EXAMPLE), "--device", "tpu"])
    assert result.exit_code == 2
    assert "unknown device 'tpu'" in result.stderr


def test_unavailable_model_is_one_clear_line(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HOME": str(tmp_path / "empty-cache"), "HF_HUB_OFFLINE": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "translate_news", str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr == (
        "translate-news: error: model Helsinki-NLP/opus-mt-fr-en@main is not in the Hugging Face "
        "cache and cannot be downloaded (HF_HUB_OFFLINE is set); fix: unset HF_HUB_OFFLINE (it "
        "forbids downloads) and run this again, or pass --model /path/to/folder\n"
    )


def _python_prints(code: str) -> str:
    """What `code` prints in a fresh interpreter (nothing imported yet)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_help_is_instant_and_does_not_import_torch() -> None:
    code = (
        "import sys\nfrom translate_news.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentencepiece', 'numpy', 'lightgbm',"
        " 'sklearn', 'translate_news.summary.ranker', 'translate_news.folders.runner',"
        " 'translate_news.pipeline')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    stdout = _python_prints(code)
    assert "HEAVY []" in stdout
    assert "--beams" in stdout


def test_lazy_exports_are_the_documented_objects() -> None:
    code = (
        "import translate_news.pipeline\n"  # binds the submodule `summarize` on the package
        "from translate_news import Request, summarize, translate_folder\n"
        "import translate_news\n"
        "print(callable(summarize), summarize is translate_news.summarize,"
        " translate_folder.__module__, 'translate_text' in dir(translate_news))\n"
    )
    assert _python_prints(code).split() == ["True", "True", "translate_news.folders.runner", "True"]


def test_list_models(tiny_model_dir) -> None:
    result = runner.invoke(app, ["--list-models"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "alias\thub id\trevision\tstatus\tpurpose"
    assert lines[1].startswith("fr-en\tHelsinki-NLP/opus-mt-fr-en\tmain\tcached\t")
    assert lines[1].endswith("(default)") and result.stdout.count("default") == 1


def test_help_is_grouped_by_task_with_examples() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    text = result.stdout
    panels = re.findall(r"╭─ (.+?) ─", text)
    assert panels == [
        "Arguments",
        "Options",
        "Output",
        "Summary",
        "Model and speed",
        "Folders",
        "Cluster (Ray)",
        "Maintenance",
    ]
    generic = text.split("╭─ Options")[1].split("╰")[0]
    output = text.split("╭─ Output")[1].split("╰")[0]
    summary = text.split("╭─ Summary")[1].split("╰")[0]
    assert "--install-completion" in generic and "--help" in generic
    assert "translate-news models list" in text and "--list-models" not in text  # hidden alias
    assert all(option not in generic for option in ("--output", "--summary", "--verbose"))
    for option in ("--output", "--format", "--verbose", "--quiet", "--show-flags"):
        assert option in output
    assert "--summary" in summary
    assert "[check: numbers:" in output  # the brackets are not Rich markup
    assert "<bool>" not in text and "<list[str]>" not in text
    assert "[OPTIONS] [INPUT]..." in text
    assert "Examples" in text and "translate-news news/ -o news-en/" in text


def test_without_the_extra_serve_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from typer.testing import CliRunner

    from translate_news.cli import app

    # only uvicorn missing, whether or not the others are installed here
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else object()
    )
    answer = CliRunner().invoke(app, ["serve"])
    assert answer.exit_code == 1
    assert answer.stderr == (
        "translate-news: error: translate-news serve needs the [serve] extra (uvicorn missing); "
        "fix: pip install 'translate-news[serve]' (in a checkout: pip install -e '.[serve]')\n"
    )
