"""Folder runs: discovery, mirrored outputs, per-file errors, resume, memory, exit codes."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FakeTranslator
from translate_news.cli import app
from translate_news.errors import UsageError
from translate_news.folders.memory import MemoryTranslator, TranslationMemory
from translate_news.folders.runner import FolderReport, translate_folder
from translate_news.options import FolderOptions, Request, SummaryOptions, TranslateOptions

ARTICLE_A = "Le sommet de Paris\n\nLe président est arrivé hier. Il a parlé longtemps.\n"
ARTICLE_B = "La météo\n\nLe président est arrivé hier. La pluie tombe sur Orléans.\n"
ARTICLE_C = "Économie\n\nLes prix montent. Les salaires stagnent.\n"
ARTICLE_D = "Été à Paris\n\nIl fait très chaud à Paris cet été.\n"
GOOD = ["a.txt", "sub/b.txt", "sub/deep/c.txt", "été à Paris.txt"]
NO_MEMORY = FolderOptions(use_memory=False)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Nested French articles in three encodings, plus files a run must refuse or pass over."""
    root = tmp_path / "news"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / "sub" / "b.txt").write_bytes(ARTICLE_B.encode("cp1252"))
    (root / "sub" / "deep" / "c.txt").write_bytes(ARTICLE_C.encode("utf-16"))
    (root / "été à Paris.txt").write_text(ARTICLE_D, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / ".hidden.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / ".git" / "x.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / "notes.md").write_text(ARTICLE_A, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Un secret hors du dossier.\n", encoding="utf-8")
    (root / "escape.txt").symlink_to(outside)
    return root


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def run(news: Path, out: Path, translator: FakeTranslator, **kwargs: object) -> FolderReport:
    options = kwargs.pop("folder_options", NO_MEMORY)
    return translate_folder([news], out, translator, folder_options=options, **kwargs)


def test_folder_run_mirrors_the_tree_and_reports_bad_files(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    out = tmp_path / "out"
    report = run(news, out, fake_translator)
    assert (report.done, report.up_to_date) == (4, 0)
    assert [(name, error.split(";")[0]) for name, error in report.failed] == [
        ("binary.txt", f"{news}/binary.txt: looks like a binary file, not text"),
        ("empty.txt", f"{news}/empty.txt: input is empty"),
    ]
    assert report.ignored == [(news / "escape.txt", "symlink leading outside the input folder")]
    assert report.exit_code == 1
    assert files_under(out) == {  # the lock file goes when the run ends
        "manifest.jsonl",
        "a.en.txt",
        "sub/b.en.txt",
        "sub/deep/c.en.txt",
        "été à Paris.en.txt",
    }
    assert (out / "sub" / "b.en.txt").read_text(encoding="utf-8") == (
        "EN<La météo>\n\nEN<Le président est arrivé hier.> EN<La pluie tombe sur Orléans.>\n"
    )
    assert (out / "sub" / "deep" / "c.en.txt").read_text(encoding="utf-8") == (
        "EN<Économie>\n\nEN<Les prix montent.> EN<Les salaires stagnent.>\n"
    )
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [(r["input"], r["status"]) for r in records] == sorted(
        [(name, "done") for name in GOOD] + [("binary.txt", "failed"), ("empty.txt", "failed")]
    )
    assert all(news.joinpath(name).is_file() for name in GOOD)  # inputs untouched


def test_sentences_of_all_files_share_one_translator_call(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    run(news, tmp_path / "out", fake_translator)
    assert len(fake_translator.calls) == 1
    sent = fake_translator.calls[0]
    assert len(sent) == len(set(sent)) == 10  # the shared lead sentence is sent once
    assert "Le président est arrivé hier." in sent


def test_rerun_skips_up_to_date_files_and_redoes_changed_ones(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    out = tmp_path / "out"
    run(news, out, fake_translator)
    fake_translator.calls.clear()
    again = run(news, out, fake_translator)
    assert (again.done, again.up_to_date, len(again.failed)) == (0, 4, 2)
    assert fake_translator.calls == []

    (news / "a.txt").write_text(ARTICLE_A.replace("hier", "ce matin"), encoding="utf-8")
    (out / "sub" / "deep" / "c.en.txt").unlink()  # a lost output is redone too
    changed = run(news, out, fake_translator)
    assert (changed.done, changed.up_to_date) == (2, 2)
    assert "EN<Le président est arrivé ce matin.>" in (out / "a.en.txt").read_text()

    both = Request(mode="both", summary=SummaryOptions(sentences=1))
    redone = run(news, out, fake_translator, request=both)
    assert (redone.done, redone.up_to_date) == (4, 0)  # the settings changed
    back = run(news, out, fake_translator)
    assert (back.done, back.up_to_date) == (4, 0)
    overwrite = FolderOptions(use_memory=False, overwrite=True)
    forced = run(news, out, fake_translator, folder_options=overwrite)
    assert (forced.done, forced.up_to_date) == (4, 0)


def test_translation_memory_serves_sentences_seen_before(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    memory = FolderOptions(memory_path=str(tmp_path / "memory.sqlite"))
    first = run(news, tmp_path / "out1", fake_translator, folder_options=memory)
    assert (first.sentences, first.memory_hits) == (10, 0)
    fake_translator.calls.clear()
    second = run(news, tmp_path / "out2", fake_translator, folder_options=memory)
    assert (second.sentences, second.memory_hits) == (0, 10)  # the model translated none
    assert fake_translator.calls == []  # every sentence came from memory
    assert files_under(tmp_path / "out1") == files_under(tmp_path / "out2")
    for name in files_under(tmp_path / "out1") - {"manifest.jsonl", ".translate-news.lock"}:
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def test_memory_is_keyed_by_the_settings_that_decide_a_translation(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.sqlite")
    greedy, beam = FakeTranslator(), FakeTranslator()
    beam.provenance = lambda: {**FakeTranslator().provenance(), "beams": 4}  # type: ignore[method-assign]
    MemoryTranslator(greedy, memory).translate(["Bonjour."])
    cached = MemoryTranslator(beam, memory)
    assert cached.translate(["Bonjour."]) == ["EN<Bonjour.>"]
    assert (cached.hits, cached.misses) == (0, 1)  # beam 4 never reuses a greedy translation
    again = MemoryTranslator(FakeTranslator(), memory)
    again.translate(["Bonjour.", "Bonjour."])
    assert (again.hits, again.misses) == (2, 0)


def test_memory_shared_by_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"

    def writer(prefix: str) -> None:
        memory = TranslationMemory(path)
        for start in range(0, 300, 30):
            memory.store("k", [(f"{prefix}{n}", f"EN{n}", None) for n in range(start, start + 30)])
        memory.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(TranslationMemory(path)) == 900


def test_summary_outputs_are_named_after_the_input(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    out = tmp_path / "out"
    run(news, out, fake_translator, request=Request(mode="summary", summary=SummaryOptions(2)))
    assert "a.summary.en.txt" in files_under(out) and "a.en.txt" not in files_under(out)
    assert (out / "a.summary.en.txt").read_text() == (
        "EN<Le sommet de Paris>\n\nSummary:\n- EN<Le président est arrivé hier.>\n"
        "- EN<Il a parlé longtemps.>\n"
    )
    both = tmp_path / "both"
    run(news, both, fake_translator, request=Request(mode="both", summary=SummaryOptions(1)))
    assert {"a.en.txt", "a.summary.en.txt"} <= files_under(both)
    assert "Summary" not in (both / "a.en.txt").read_text()


def test_json_folder_output_holds_translation_and_summary(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    from translate_news.options import OutputOptions

    out = tmp_path / "out"
    run(
        news,
        out,
        fake_translator,
        request=Request(
            mode="both", summary=SummaryOptions(sentences=2), output=OutputOptions(format="json")
        ),
    )
    data = json.loads((out / "a.en.json").read_text())
    assert data["mode"] == "both" and [s["id"] for s in data["summary"]] == [1, 2]


def test_default_output_is_a_sibling_folder_and_never_the_input(
    news: Path, fake_translator: FakeTranslator
) -> None:
    report = translate_folder([news], None, fake_translator, folder_options=NO_MEMORY)
    assert report.output == news.with_name("news-en")
    assert (news.with_name("news-en") / "a.en.txt").is_file()
    with pytest.raises(UsageError, match="the output folder is the input folder"):
        translate_folder([news], news, fake_translator, folder_options=NO_MEMORY)


def test_output_inside_the_input_tree_is_not_read_back(
    news: Path, fake_translator: FakeTranslator
) -> None:
    run(news, news / "english", fake_translator)
    again = run(news, news / "english", fake_translator)
    assert again.done + again.up_to_date + len(again.failed) == 6


def test_too_large_file_and_fail_fast(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    small = FolderOptions(use_memory=False, max_bytes=60)
    report = run(news, tmp_path / "out", fake_translator, folder_options=small)
    messages = dict(report.failed)
    assert messages["a.txt"] == (
        f"{news}/a.txt: is 75 bytes, over the 60-byte limit; "
        "fix: pass --max-bytes with a larger limit, or split the file"
    )
    fast = FolderOptions(use_memory=False, fail_fast=True)
    stopped = run(news, tmp_path / "fast", fake_translator, folder_options=fast)
    assert stopped.stopped and [name for name, _ in stopped.failed] == ["binary.txt"]
    assert stopped.done == 0


def test_two_inputs_with_one_output_name(tmp_path: Path, fake_translator: FakeTranslator) -> None:
    root = tmp_path / "news"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / "a.md").write_text(ARTICLE_B, encoding="utf-8")
    options = FolderOptions(use_memory=False, patterns=("*.txt", "*.md"))
    report = run(root, tmp_path / "out", fake_translator, folder_options=options)
    assert report.done == 1
    assert report.failed == [
        (
            "a.txt",
            f"{root}/a.txt: its output a.en.txt is also the output of a.md; "
            "fix: rename one of the two files, or narrow --glob",
        )
    ]


def test_cli_folder_run_exit_codes_and_lines(
    news: Path, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(news), "-o", str(out), "--no-memory"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"translate-news: error: {news}/binary.txt: looks like a binary file, not text; "
        "fix: pass a UTF-8 (or Windows-1252/Latin-1/UTF-16) French text file",
        f"translate-news: error: {news}/empty.txt: input is empty; "
        "fix: pass a file that contains an article",
    ]
    assert lines[2].startswith("translate-news: 4 done, 0 up to date, 2 failed in ")
    assert lines[2].endswith(f" s -> {out}")
    (news / "binary.txt").unlink()
    (news / "empty.txt").unlink()
    again = CliRunner().invoke(app, [str(news), "-o", str(out), "--no-memory", "-q"])
    assert (again.exit_code, again.stderr) == (0, "")
    same = CliRunner().invoke(app, [str(news), "-o", str(news)])
    assert same.exit_code == 2
    assert "the output folder is the input folder" in same.stderr


def test_partial_files_of_a_killed_run_are_removed(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / ".b.en.txt.x1y2.partial").write_text("half a transl")
    with open(out / "manifest.jsonl", "w") as handle:  # a line torn by kill -9
        handle.write('{"input": "a.txt", "status": "do')
    report = run(news, out, fake_translator)
    assert report.done == 4
    assert not [p for p in out.rglob("*.partial")]
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(line) for line in lines)


def test_a_second_run_on_the_same_output_is_refused(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    from translate_news.errors import OutputError
    from translate_news.folders.manifest import FolderLock

    out = tmp_path / "out"
    out.mkdir()
    with FolderLock(out), pytest.raises(OutputError, match="another translate-news run"):
        run(news, out, fake_translator)
    assert os.listdir(out) == []  # the first run's lock file went when it ended


def test_one_file_into_an_existing_folder_is_a_folder_run(
    news: Path, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(app, [str(news / "a.txt"), "-o", str(out), "--no-memory", "-q"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert (out / "a.en.txt").read_text() == (
        "EN<Le sommet de Paris>\n\nEN<Le président est arrivé hier.> EN<Il a parlé longtemps.>\n"
    )


def test_a_file_that_vanishes_mid_run_fails_alone(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    doomed = news / "sub" / "deep" / "c.txt"

    class RemoveOnFirstFile:
        def start(self, files: int) -> None:
            pass

        def file_finished(self, relative: str, status: str, error: str | None) -> None:
            doomed.unlink(missing_ok=True)  # gone after discovery, before its turn

        def translated(self, sentences: int, tokens: int) -> None:
            pass

        def warn(self, line: str) -> None:
            pass

    report = run(news, tmp_path / "out", fake_translator, progress=RemoveOnFirstFile())
    assert dict(report.failed)["sub/deep/c.txt"] == (
        f"{doomed}: vanished during the run; fix: check who removes files"
    )
    assert report.done == 3


def test_progress_bar_counts_files_and_sentences(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate_news.folders.progress import ConsoleProgress

    progress = ConsoleProgress()
    progress.show_bar = True  # as on a terminal
    run(news, tmp_path / "out", fake_translator, progress=progress)
    progress.stop()
    shown = capsys.readouterr().err
    assert "6/6 files · 10 sentences" in shown
    assert "translate-news: error: " in shown  # the failed files' lines, above the bar


def test_ctrl_c_leaves_at_once_and_the_rerun_resumes(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    """SIGINT to a folder run stuck in a slow engine call: exit 130 at once, then resume."""
    import subprocess
    import sys
    import time

    root = tmp_path / "news"
    root.mkdir()
    for number in range(4):
        (root / f"a{number}.txt").write_text(f"Titre {number}\n\nUne phrase {number}.\n")
    script = (
        "import functools, sys\n"
        "from translate_news import cli\nfrom translate_news.folders import runner as batch\n"
        "from translate_news.testing import MarkingTranslator\n"
        "batch.CHUNK_CHARACTERS = 10  # one file a chunk\n"
        "slow = functools.partial(MarkingTranslator, delay_s=30, pid_folder=sys.argv[1])\n"
        "batch.translator_factory = lambda *args: slow\n"
        "cli.app(sys.argv[2:], prog_name='translate-news')\n"
    )
    out = tmp_path / "out"
    ready = tmp_path / "ready"  # the translator writes its pid here once built
    ready.mkdir()
    command = [sys.executable, "-c", script, str(ready), str(root), "-o", str(out), "--no-memory"]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(ready.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the first chunk is in its 30 s engine call
    started = time.monotonic()
    child.send_signal(2)
    _, stderr = child.communicate(timeout=20)
    assert child.returncode == 130
    assert time.monotonic() - started < 10  # not the 30 s the engine call would take
    assert stderr.endswith("translate-news: interrupted; run the same command again to resume\n")
    result = CliRunner().invoke(app, [str(root), "-o", str(out), "--no-memory", "-q"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.en.txt")) == [f"a{n}.en.txt" for n in range(4)]
    assert (out / "a0.en.txt").read_text() == "EN<Titre 0>\n\nEN<Une phrase 0.>\n"


def test_several_inputs_go_under_their_own_names(
    tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    for folder in ("lundi", "mardi"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "une.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "brève.txt").write_text(ARTICLE_C, encoding="utf-8")
    inputs = [tmp_path / "lundi", tmp_path / "mardi", tmp_path / "brève.txt"]
    report = translate_folder(inputs, tmp_path / "out", fake_translator, folder_options=NO_MEMORY)
    assert report.done == 3
    assert {n for n in files_under(tmp_path / "out") if n.endswith(".en.txt")} == {
        "lundi/une.en.txt",
        "mardi/une.en.txt",
        "brève.en.txt",
    }
    (tmp_path / "autre" / "lundi").mkdir(parents=True)
    (tmp_path / "autre" / "lundi" / "une.txt").write_text(ARTICLE_B, encoding="utf-8")
    clash = [tmp_path / "lundi", tmp_path / "autre" / "lundi"]
    with pytest.raises(UsageError, match=r"would share the output name lundi/une\.txt"):
        translate_folder(clash, tmp_path / "out2", fake_translator, folder_options=NO_MEMORY)


def test_an_empty_folder_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("Pas un article.\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(empty)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"translate-news: error: {empty}: no file to translate (none matches *.txt *.html "
        "*.htm *.xhtml *.pdf *.docx); fix: check the folder, or pass --glob with the pattern of "
        "its files\n"
    )
    assert not (tmp_path / "empty-en").exists()


@pytest.mark.parametrize(
    ("changed", "changed_request"),
    [
        ("strict", Request(strict=True)),
        ("headline rule", Request(translate=TranslateOptions(headline="none"))),
        ("summarizer", Request(mode="summary", summary=SummaryOptions(method="lexrank"))),
        ("names", Request(translate=TranslateOptions(names={"Poutine": "Putin"}))),
    ],
)
def test_each_deciding_setting_makes_files_out_of_date(
    news: Path,
    tmp_path: Path,
    fake_translator: FakeTranslator,
    changed: str,
    changed_request: Request,
) -> None:
    out = tmp_path / "out"
    base = {"request": Request(mode="summary")} if changed == "summarizer" else {}
    assert run(news, out, fake_translator, **base).done == 4
    assert run(news, out, fake_translator, **base).up_to_date == 4
    redone = run(news, out, fake_translator, request=changed_request)
    assert (redone.done, redone.up_to_date) == (4, 0), changed


def test_globs_ignore_case() -> None:
    from pathlib import PurePosixPath

    from translate_news.folders.discovery import matches

    assert matches(PurePosixPath("2026/A.TXT"), ["*.txt"])
    assert matches(PurePosixPath("2026/page.HTML"), ["*.html"])
    assert matches(PurePosixPath("2026/a.txt"), ["2026/*.TXT"])
    assert not matches(PurePosixPath("2026/a.md"), ["*.txt"])


def test_the_memory_key_ignores_which_gpu() -> None:
    from translate_news.provenance import Made

    def settings_key(record: dict) -> str:
        return Made(record).translation_key()

    made = {"id": "m", "revision": "r", "backend": "ctranslate2", "beams": 4}
    assert settings_key({**made, "device": "cuda:1"}) == settings_key({**made, "device": "cuda:0"})
    assert settings_key({**made, "device": "cuda:0"}) != settings_key({**made, "device": "cpu"})


def test_the_manifest_key_of_earlier_versions_still_matches(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    """`Request.key` lists what decides an output; a folder started by an earlier version
    resumes without redoing its files (settings written by it are read as up to date)."""
    out = tmp_path / "out"
    run(news, out, fake_translator)
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert set(records[0]["settings"]) == {
        "model", "max_sentence_tokens", "headline", "min_confidence", "summary", "full",
        "strict", "format", "keep_boilerplate", "show_flags",
    }  # fmt: skip
    again = run(news, out, fake_translator)
    assert (again.done, again.up_to_date) == (0, 4)


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers", "auto"])
def test_a_run_keys_on_the_engine_a_load_gives(tiny_model_dir: Path, backend: str) -> None:
    """Started from options or with a loaded translator, one run has one key: the engine is
    resolved (backend, device, precision, beams) without loading the model."""
    from translate_news.backends import load_translator, planned_engine
    from translate_news.folders.runner import run_settings
    from translate_news.options import ModelOptions

    request = Request(model=ModelOptions(backend=backend, threads=1))
    planned = planned_engine(request.model, request.translate)
    assert planned["backend"] != "auto" and planned["device"] == "cpu"
    loaded = load_translator(request.model, request.translate)
    assert run_settings(request)[0] == run_settings(request, loaded)[0]


def test_files_recorded_under_the_earlier_key_stay_up_to_date(
    news: Path, tmp_path: Path, fake_translator: FakeTranslator, use_fake: FakeTranslator
) -> None:
    from translate_news.folders.runner import run_settings

    out = tmp_path / "out"
    request = Request()
    assert translate_folder([news], out, None, request, folder_options=NO_MEMORY).done == 4
    manifest = out / "manifest.jsonl"
    lines = [json.loads(line) for line in manifest.read_text().splitlines()]
    settings, accepted = run_settings(request)
    earlier = accepted[-1]  # the engine as requested (`auto`), as earlier versions keyed it
    assert lines[0]["settings"] == settings  # resolved: no "auto" left
    assert lines[0]["settings"]["model"]["backend"] == "fake"  # the engine that ran
    for line in lines:  # as an earlier version wrote them
        line["settings"] = earlier
    manifest.write_text("".join(json.dumps(line) + "\n" for line in lines))
    again = translate_folder([news], out, None, request, folder_options=NO_MEMORY)
    assert (again.done, again.up_to_date) == (0, 4)


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_the_progress_moves_with_each_batch_within_a_chunk(
    tiny_model_dir: Path, tmp_path: Path, backend: str
) -> None:
    """One chunk of many batches: the bar's sentence count moves batch by batch, then the
    chunk's own count replaces the provisional one."""
    from translate_news.backends import load_translator
    from translate_news.options import ModelOptions

    news = tmp_path / "news"
    news.mkdir()
    for number in range(3):
        (news / f"a{number}.txt").write_text(
            f"Titre {number}\n\n" + " ".join(f"Phrase {number} numéro {k}." for k in range(8))
        )
    translator = load_translator(
        ModelOptions(device="cpu", threads=1, backend=backend),
        TranslateOptions(beams=1, max_batch_tokens=24),  # a few sentences a batch
    )
    events: list[tuple[str, int]] = []

    class Recording:
        def start(self, files: int) -> None:
            pass

        def file_finished(self, relative: str, status: str, error: str | None) -> None:
            events.append(("file", 0))

        def translating(self, sentences: int, tokens: int) -> None:
            events.append(("batch", sentences))

        def translated(self, sentences: int, tokens: int) -> None:
            events.append(("chunk", sentences))

        def warn(self, line: str) -> None:
            pass

    report = run(news, tmp_path / "out", translator, progress=Recording())
    assert report.done == 3
    batches = [count for kind, count in events if kind == "batch"]
    assert len(batches) > 3 and events.index(("chunk", 27)) > events.index(("batch", batches[0]))
    # 3 titles and 24 sentences, each sent once (a looping output is decoded again: more)
    assert report.sentences == 27 and sum(batches) >= 27
    assert [kind for kind, _ in events][-4:] == ["chunk", "file", "file", "file"]
