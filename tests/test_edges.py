"""Every failure is one line with its exit code, and no option is silently ignored."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARTICLE, EXAMPLE, FakeTranslator
from translate_news.cli import app

runner = CliRunner()
E = "translate-news: error: "


def test_the_output_extension_chooses_the_format(
    article: Path, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    for name, start in (("y.html", "<!doctype html>"), ("y.json", "{"), ("y.md", "# EN<")):
        result = runner.invoke(app, [str(article), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    result = runner.invoke(app, [str(article), "-o", str(tmp_path / "z.html"), "-f", "text"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{E}-f text with -o {tmp_path / 'z.html'}, a html file by its extension; fix: drop -f "
        "(the extension chooses), or give the output a matching extension\n"
    )
    assert not (tmp_path / "z.html").exists()
    result = runner.invoke(app, [str(article), "-o", str(tmp_path / "w.out"), "-f", "json"])
    assert result.exit_code == 0 and (tmp_path / "w.out").read_text().startswith("{")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--glob", "*.txt"], "--glob is for folder runs; fix: pass a folder (or several files) "
         "and -o OUT, or drop --glob"),
        (["--overwrite"], "--overwrite is for folder runs; fix: pass a folder (or several "
         "files) and -o OUT, or drop --overwrite"),
        (["--fail-fast"], "--fail-fast is for folder runs; fix: pass a folder (or several "
         "files) and -o OUT, or drop --fail-fast"),
        (["--no-memory"], "--no-memory is for folder runs; fix: pass a folder (or several "
         "files) and -o OUT, or drop --no-memory"),
        (["--backend", "transformers", "--compute-type", "int8"], "--compute-type int8 is for "
         "the CTranslate2 backend (transformers runs float32 on CPU, float16 on CUDA); fix: drop "
         "--compute-type, or use --backend ctranslate2"),
    ],
)  # fmt: skip
def test_options_that_would_be_ignored_are_usage_errors(
    article: Path, args: list[str], line: str, use_fake: FakeTranslator
) -> None:
    result = runner.invoke(app, [str(article), *args])
    assert result.exit_code == 2
    assert result.stderr == f"{E}{line}\n"
    assert use_fake.calls == []


def test_ray_options_need_the_ray_engine(tmp_path: Path, use_fake: FakeTranslator) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for option, value in (("--workers", "2"), ("--gpus-per-worker", "1"), ("--ray-address", "x")):
        result = runner.invoke(app, [str(folder), option, value])
        assert result.exit_code == 2
        assert (
            result.stderr
            == f"{E}{option} is for --engine ray; fix: add --engine ray, or drop {option}\n"
        )
    assert not (tmp_path / "news-en").exists()


def test_max_bytes_caps_a_single_file_stdin_and_devices(
    article: Path, use_fake: FakeTranslator
) -> None:
    result = runner.invoke(app, [str(article), "--max-bytes", "20"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{E}{article}: is over the 20-byte limit, too large for an article; fix: pass "
        "--max-bytes with a larger limit, or split the file\n"
    )
    result = runner.invoke(app, ["-", "--max-bytes", "20"], input=ARTICLE)
    assert result.exit_code == 1 and result.stderr.startswith(f"{E}<stdin>: is over the 20-byte")
    result = runner.invoke(app, ["/dev/zero", "--max-bytes", "1000000"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{E}/dev/zero: is over the 1,000,000-byte limit")


def test_a_named_pipe_is_read_like_stdin(tmp_path: Path, use_fake: FakeTranslator) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as stream:
            stream.write(ARTICLE)

    writer = threading.Thread(target=feed)
    writer.start()
    result = runner.invoke(app, [str(fifo)])
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "EN<Titre du jour>\n\nEN<Le président est arrivé hier à Paris pour le sommet.>\n"
    )


def test_broken_pdf_and_bare_web_addresses_say_what_to_do(tmp_path: Path) -> None:
    for name, data in (("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
                       ("b.txt", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n")):  # fmt: skip
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(app, [str(path)])
        assert result.exit_code == 1
        assert result.stderr == (  # read as a PDF whatever its name (and found cut short)
            f"{E}{path}: is a truncated PDF (it has no end); fix: open it in a PDF viewer and "
            "save or export it again, or pass its text\n"
        )
    result = runner.invoke(app, ["www.lemonde.fr/article"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{E}www.lemonde.fr/article: no such file; fix: for a web page, pass "
        "https://www.lemonde.fr/article\n"
    )


def test_a_line_that_is_only_an_address_passes_through(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{ARTICLE}https://www.lemonde.fr/article.html\n", encoding="utf-8")
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "https://www.lemonde.fr/article.html"
    assert "https://www.lemonde.fr/article.html" not in use_fake.calls[0]


BAD_INVOCATIONS = [
    ["missing.txt"],
    ["www.lemonde.fr/article"],
    ["/dev/zero", "--max-bytes", "1000"],
    [str(EXAMPLE), "--beams", "0"],
    [str(EXAMPLE), "--device", "tpu"],
    [str(EXAMPLE), "--backend", "marian"],
    [str(EXAMPLE), "--headline", "sometimes"],
    [str(EXAMPLE), "-s", "--summarizer", "bert"],
    [str(EXAMPLE), "--glob", "*.txt"],
    [str(EXAMPLE), "-o", str(EXAMPLE)],
    [str(EXAMPLE), "--ratio", "0.2"],
    [str(EXAMPLE), "--engine", "ray"],
    [str(EXAMPLE.parent), "--workers", "2"],
    ["-", "x.txt"],
    [],
]


@pytest.mark.parametrize("args", BAD_INVOCATIONS)
def test_no_bad_invocation_prints_a_traceback(args: list[str], use_fake: FakeTranslator) -> None:
    result = runner.invoke(app, args, input="")
    assert result.exit_code in (1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(E)


def test_a_bad_memory_file_is_one_line_before_any_work(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for index in range(5):
        (folder / f"a{index}.txt").write_text(ARTICLE, encoding="utf-8")
    notadb = tmp_path / "notadb.sqlite"
    notadb.write_text("not a database\n" * 100, encoding="utf-8")
    result = runner.invoke(app, [str(folder), "--memory", str(notadb)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{E}{notadb}: translation memory cannot be opened (file is not a database); fix: pass "
        "--memory PATH in a writable folder, or --no-memory\n"
    )
    assert use_fake.calls == [] and not (tmp_path / "news-en").exists()


def test_a_broken_default_memory_warns_once_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_fake: FakeTranslator
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "memory.sqlite").write_text("garbage\n" * 100, encoding="utf-8")
    monkeypatch.setenv("TRANSLATE_NEWS_CACHE", str(cache))
    folder = tmp_path / "news"
    folder.mkdir()
    for index in range(3):
        (folder / f"a{index}.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, [str(folder)])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"translate-news: warning: {cache / 'memory.sqlite'}: translation memory cannot be "
        "opened (file is not a database); going on without a translation memory"
    ]
    assert "3 done" in result.stderr


def test_verbose_folder_run_reports_model_and_timing(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, [str(folder), "-v", "--no-memory"])
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if ": model " in line]
    assert len(lines) == 1
    assert lines[0].startswith("translate-news: model fake/model@main (fake, cpu, ")
    assert lines[0].endswith("; 2 sentences translated by the model")


def test_verbose_with_a_local_model_folder_names_the_folder(tiny_model_dir: Path) -> None:
    result = runner.invoke(
        app,
        [str(EXAMPLE), "-v", "--model", str(tiny_model_dir), "--backend", "transformers",
         "--beams", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    line = result.stderr.splitlines()[-1]
    assert f"with {tiny_model_dir} (transformers, cpu, float32, beams 1)" in line
    assert "@None" not in result.stderr


def test_model_folders_are_checked_on_load(tiny_model_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil

    text_folder = tmp_path / "texts"
    text_folder.mkdir()
    (text_folder / "a.txt").write_text("bonjour\n", encoding="utf-8")
    result = runner.invoke(app, [str(EXAMPLE), "--model", str(text_folder)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{E}{text_folder}: not a MarianMT model folder (no config.json); fix: pass a folder "
        "with config.json, weights, source.spm, target.spm and vocab.json\n"
    )
    short = tmp_path / "short-vocab"
    shutil.copytree(tiny_model_dir, short)
    vocab = json.loads((short / "vocab.json").read_text(encoding="utf-8"))
    rows = len(vocab)
    kept = dict(list(vocab.items())[: rows - 10])
    (short / "vocab.json").write_text(json.dumps(kept), encoding="utf-8")
    for backend in ("transformers", "ctranslate2"):
        result = runner.invoke(app, [str(EXAMPLE), "--model", str(short), "--backend", backend])
        assert result.exit_code == 1
        assert result.stderr == (
            f"{E}{short}: vocab.json has {rows - 10} tokens but the model's embeddings have "
            f"{rows} rows (config.json vocab_size); fix: use the vocab.json that was trained "
            "with these weights\n"
        )


def _run_with_terminal_stderr(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout piped): what a user's shell sees."""
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "translate_news", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=120)
    os.close(leader)
    return code, stdout, b"".join(chunks).decode(errors="replace")


def test_a_terminal_sees_what_the_long_steps_are(tiny_model_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TRANSLATE_NEWS_CACHE": str(tmp_path / "fresh"), "COLUMNS": "120"}
    args = [str(EXAMPLE), "--beams", "1", "--backend", "ctranslate2"]
    code, stdout, terminal = _run_with_terminal_stderr(args, env)
    assert code == 0, terminal
    assert "converting Helsinki-NLP/opus-mt-fr-en@main for CTranslate2 (int8), once" in terminal
    code, quiet_stdout, quiet = _run_with_terminal_stderr([*args, "-q"], env)
    assert code == 0 and quiet == ""
    # what the terminal saw never reaches stdout: the translation is the same without it
    assert stdout == quiet_stdout and stdout.count("\n") > 10


EXPECTED = "EN<Titre du jour>\n\nEN<Le président est arrivé hier à Paris pour le sommet.>\n"


def test_odd_names_in_a_folder_run_stay_inside_the_output_folder(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    news = tmp_path / "news"
    (news / "sub").mkdir(parents=True)
    long_name = "x" * 250 + ".txt"  # its output name is over the 255-byte limit
    for name in ["-dash.txt", "new\nline.txt", "sub/../dots.txt", long_name]:
        (news / name).write_text(ARTICLE, encoding="utf-8")
    (news / "loop-a.txt").symlink_to(news / "loop-b.txt")
    (news / "loop-b.txt").symlink_to(news / "loop-a.txt")
    out = tmp_path / "out"
    result = runner.invoke(app, [str(news / "sub" / ".."), "-o", str(out), "--no-memory"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{E}{out}/{'x' * 250}.en.txt: the name is too long for the file system; "
        "fix: shorten the input's name"
    )
    assert lines[1].startswith("translate-news: 3 done, 0 up to date, 1 failed in ")
    assert len(lines) == 2
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.en.txt"))
    assert written == ["out/-dash.en.txt", "out/dots.en.txt", "out/new\nline.en.txt"]
    assert (out / "new\nline.en.txt").read_text(encoding="utf-8") == EXPECTED
    verbose = runner.invoke(app, [str(news), "-o", str(out), "--no-memory", "-v"])
    assert f"{news}/loop-a.txt: not followed (symlink that loops or leads nowhere)" in (
        verbose.stderr
    )


def test_odd_names_given_one_by_one(
    tmp_path: Path, use_fake: FakeTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    dash = tmp_path / "-dash.txt"
    dash.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    after_dashes = runner.invoke(app, ["--", "-dash.txt"])
    assert (after_dashes.exit_code, after_dashes.stdout) == (0, EXPECTED)
    as_option = runner.invoke(app, ["-dash.txt"])
    assert as_option.exit_code == 2  # an option to Typer; `--` is the way (README)
    newline = tmp_path / "new\nline.txt"
    newline.write_text(ARTICLE, encoding="utf-8")
    assert runner.invoke(app, [str(newline)]).stdout == EXPECTED
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    looping = runner.invoke(app, [str(loop)])
    assert (looping.exit_code, looping.stderr) == (
        1,
        f"{E}{loop}: is a symbolic link that loops or leads nowhere; "
        "fix: pass the file it should point to\n",
    )
    long_name = tmp_path / ("é" * 130 + ".txt")  # 260 bytes in UTF-8: no such name can exist
    too_long = runner.invoke(app, [str(long_name)])
    assert too_long.exit_code == 1
    assert too_long.stderr == (
        f"{E}{long_name}: the name is too long for the file system; fix: check the path\n"
    )
