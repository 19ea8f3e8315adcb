"""A hostile world gets one line and an exit code: never a hang, a traceback or a lost file."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ARTICLE, translate
from translate_news.options import available_cpus

ENGLISH = "EN<Titre du jour>\n\nEN<Le président est arrivé hier à Paris pour le sommet.>\n"
E = "translate-news: error: "


# --- Outputs that are not regular files -------------------------------------------------------


def test_output_onto_a_character_device_writes_into_it(article: Path) -> None:
    before = os.stat(os.devnull)
    done = translate(article, "-o", os.devnull)
    assert (done.returncode, done.stderr) == (0, "")
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_onto_a_fifo_streams_into_it(article: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    done = translate(article, "-o", fifo)
    reader.join(timeout=30)
    assert (done.returncode, done.stderr) == (0, "")
    assert received == [ENGLISH]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_one_line_not_a_hang(article: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = translate(article, "-o", fifo)
    assert done.returncode == 1
    assert (
        done.stderr
        == f"{E}{fifo}: is a FIFO that no program is reading; fix: start its reader first\n"
    )
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_output_is_followed_never_replaced(article: Path, tmp_path: Path) -> None:
    target = tmp_path / "kept" / "english.txt"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    done = translate(article, "-o", link)
    assert (done.returncode, done.stderr) == (0, "")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == ENGLISH
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "kept" / "new.txt")
    assert translate(article, "-o", dangling).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "kept" / "new.txt").read_text() == ENGLISH


def test_a_symlink_to_our_own_stdout_writes_to_stdout(article: Path, tmp_path: Path) -> None:
    link = tmp_path / "out.txt"
    link.symlink_to("/proc/self/fd/1")
    done = translate(article, "-o", link)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", ENGLISH)
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_a_full_stdout_is_one_line(article: Path) -> None:
    with open("/dev/full", "w") as full:
        done = translate(article, stdout_to=full)
    assert done.returncode == 1
    assert done.stderr == (
        f"{E}<stdout>: cannot be written (No space left on device); "
        "fix: free space on that disk, then run again\n"
    )
    with open("/dev/full", "w") as full:
        to_file = translate(article, "-o", "/dev/full", stdout_to=full)
    assert to_file.returncode == 1
    assert to_file.stderr == (
        f"{E}/dev/full: cannot be written (No space left on device); "
        "fix: free space on that disk, then run again\n"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# --- The network: one deadline, protocol errors, incomplete bodies --------------------------

PAGE_HTML = (
    "<html><head><title>Le sommet</title></head><body><article><h1>Le sommet</h1>"
    "<p>Le président est arrivé hier à Paris pour un sommet consacré au climat et à l'énergie."
    "</p><p>Les dirigeants ont promis de se revoir au printemps pour en tirer le bilan.</p>"
    "</article></body></html>"
)


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def _answer(path: str, port: int) -> list[bytes | float]:
    """What the raw server sends for `path`: bytes, or a float for a pause in seconds."""
    ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    body = PAGE_HTML.encode()
    if path == "/trickled-headers":
        return [b"HTTP/1.1 200 OK\r\n", *[item for _ in range(30) for item in (b"X", 1.0)]]
    if path.startswith("/hop"):
        hop = int(path[4:])
        return [0.6, f"HTTP/1.1 302 Found\r\nLocation: /hop{hop + 1}\r\n\r\n".encode()]
    if path == "/many-headers":
        return [b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 150 + b"\r\n" + body]
    if path == "/long-header":
        return [b"HTTP/1.1 200 OK\r\nX-A: " + b"b" * 70_000 + b"\r\n\r\n" + body]
    if path == "/garbage-status":
        return [b"HELLO THERE\r\n\r\n" + body]
    if path == "/broken-chunks":
        return [ok + b"Transfer-Encoding: chunked\r\n\r\n10\r\n<html><body><p>" + b"zz\r\nxx"]
    if path == "/bad-location":
        return [b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\n\r\n"]
    if path == "/truncated-gzip":
        packed = _gzip(body * 20)[:-60]
        head = f"Content-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n\r\n".encode()
        return [ok + head + packed]
    if path == "/short-body":
        return [ok + f"Content-Length: {len(body) + 500}\r\n\r\n".encode() + body]
    if path == "/no-type":
        return [f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body]
    return [b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"]


@pytest.fixture(scope="module")
def raw_server() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that answers each path with hand-made bytes."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            request = connection.recv(65536).decode("latin-1")
            path = request.split(" ")[1] if " " in request else "/"
            for item in _answer(path, port):
                if stop.is_set():
                    return
                if isinstance(item, float):
                    time.sleep(item)
                else:
                    connection.sendall(item)

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    stop.set()
    listener.close()


@pytest.mark.parametrize("path", ["/trickled-headers", "/hop0"])
def test_one_deadline_covers_headers_and_every_redirect(raw_server: str, path: str) -> None:
    import time

    from translate_news.errors import InputError
    from translate_news.inputs.url import fetch_url

    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        fetch_url(raw_server + path, timeout_s=1.5)
    assert caught.value.one_line() == (
        f"{raw_server}{path}: no complete answer within 1.5 s; fix: check the address or try later"
    )
    assert time.monotonic() - started < 1.5 + 2


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/many-headers", "the server's answer is not valid HTTP (HTTPException: got more than "
         "100 headers)"),
        ("/long-header", "the server's answer is not valid HTTP (LineTooLong: got more than "
         "65536 bytes when reading header line)"),
        ("/garbage-status", "the server's answer is not valid HTTP (BadStatusLine: HELLO THERE)"),
        ("/bad-location", "the server's answer is not valid HTTP (ValueError: Invalid IPv6 URL)"),
    ],
)  # fmt: skip
def test_protocol_errors_are_one_line(raw_server: str, path: str, what: str) -> None:
    from translate_news.errors import InputError
    from translate_news.inputs.url import fetch_url

    with pytest.raises(InputError) as caught:
        fetch_url(raw_server + path, timeout_s=10)
    assert caught.value.one_line() == (
        f"{raw_server}{path}: {what}; "
        "fix: check the address, or save the page in a browser and pass the file"
    )


@pytest.mark.parametrize("path", ["/truncated-gzip", "/short-body", "/broken-chunks"])
def test_an_incomplete_body_is_said_never_translated_in_part(raw_server: str, path: str) -> None:
    from translate_news.errors import InputError
    from translate_news.inputs.url import fetch_url

    with pytest.raises(InputError) as caught:
        fetch_url(raw_server + path, timeout_s=10)
    assert caught.value.one_line() == (
        f"{raw_server}{path}: the page arrived incomplete (the connection ended early); "
        "fix: try again later"
    )


def test_a_page_without_content_type_is_sniffed(raw_server: str) -> None:
    from translate_news.inputs import read_source

    page = read_source(raw_server + "/no-type")
    assert "<" not in page.text
    assert page.text.startswith("Le sommet\n\nLe président est arrivé hier à Paris")


# --- State held or written by someone else -------------------------------------------------


def test_a_memory_locked_exclusively_in_classic_journal_mode_is_bounded(tmp_path: Path) -> None:
    import sqlite3
    import time

    from conftest import make_news

    news = make_news(tmp_path / "news", 2)
    memory = tmp_path / "memory.sqlite"
    holder = sqlite3.connect(memory, isolation_level=None)  # rollback journal: no WAL
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        done = translate(news, "-o", tmp_path / "out", "--memory", memory)
        seconds = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"translate-news: warning: {memory}: translation memory is locked by another program "
        "(waited 5 s); going on without a translation memory"
    )
    assert "2 done, 0 up to date, 0 failed" in done.stderr
    assert seconds < 5 + 10


# --- Inputs that change under a folder run -------------------------------------------------


def test_a_file_swapped_for_a_fifo_or_an_outside_link_is_refused_at_open(tmp_path: Path) -> None:
    from translate_news.errors import InputError
    from translate_news.folders.job import read_limited

    root = tmp_path / "news"
    root.mkdir()
    fifo = root / "a.txt"
    os.mkfifo(fifo)  # nobody writes it: a blocking open would wait forever
    with pytest.raises(InputError) as caught:
        read_limited(fifo, 1000, root.resolve())
    assert (
        caught.value.one_line() == f"{fifo}: is a FIFO, not a regular file; fix: pass a text file"
    )
    secret = tmp_path / "secret.txt"
    secret.write_text("Le code secret.\n")
    link = root / "b.txt"
    link.symlink_to(secret)
    with pytest.raises(InputError) as caught:
        read_limited(link, 1000, root.resolve())
    assert caught.value.one_line() == (
        f"{link}: now leads outside the input folder; fix: check who replaces its files"
    )
    assert read_limited(link, 1000, None) == b"Le code secret.\n"  # named by the user: fine


def test_a_fifo_swapped_in_during_a_folder_run_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_fake: object
) -> None:
    import time

    from typer.testing import CliRunner

    from conftest import make_news
    from translate_news.cli import app
    from translate_news.folders import runner as batch

    news = make_news(tmp_path / "news", 3)
    real_discover = batch.discover

    def discover_then_swap(*args: object, **kwargs: object) -> object:
        found = real_discover(*args, **kwargs)
        victim = news / "day1" / "article 01.txt"
        victim.unlink()
        os.mkfifo(victim)
        return found

    monkeypatch.setattr(batch, "discover", discover_then_swap)
    started = time.monotonic()
    done = CliRunner().invoke(app, [str(news), "-o", str(tmp_path / "out"), "--no-memory"])
    assert time.monotonic() - started < 30
    assert done.exit_code == 1
    assert done.stderr.splitlines()[0] == (
        f"{E}{news}/day1/article 01.txt: is a FIFO, not a regular file; fix: pass a text file"
    )
    assert "2 done, 0 up to date, 1 failed" in done.stderr


# --- Text and names that are not valid Unicode -----------------------------------------------

SURROGATES = "Titre \udce9\n\nIl est parti. \ud800 Le président est arrivé hier à Paris.\n"


def test_lone_surrogates_are_kept_in_source_and_crash_no_stage(tiny_translator: object) -> None:
    import json

    from translate_news import summarize, translate_text
    from translate_news.renderers import render

    result = translate_text(SURROGATES, tiny_translator)
    sources = [result.article.title.source] + [s.source for s in result.article.sentences()]
    assert "\udce9" in sources[0] and any("\ud800" in source for source in sources)
    assert all(unit.target for unit in result.article.units() if unit.status == "translated")
    key = summarize(SURROGATES, lang="fr", sentences=1)
    assert len(key) == 1
    rendered = render(result, "json", False, False)
    data = json.loads(rendered.encode("utf-8", "backslashreplace"))
    assert [s["source"] for s in data["paragraphs"][0]] == [
        "Il est parti.",
        "\ud800 Le président est arrivé hier à Paris.",
    ]


def test_a_file_name_that_is_not_utf8_is_translated_and_round_trips(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    odd = os.fsdecode(b"caf\xe9.txt")  # '\udce9' in Python's view
    (news / odd).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    first = translate(news, "-o", out, "--no-memory", "-f", "json")
    assert first.returncode == 0, first.stderr
    assert "2 done, 0 up to date, 0 failed" in first.stderr
    written = out / os.fsdecode(b"caf\xe9.en.json")
    assert written.is_file()
    assert written.read_bytes().count(b'"source": "') > 1  # valid UTF-8, the name escaped
    again = translate(news, "-o", out, "--no-memory", "-f", "json")
    assert "0 done, 2 up to date, 0 failed" in again.stderr


# --- Options without bounds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--beams", "100000"], "--beams must be between 1 and 32, got 100000; "
         "fix: pass --beams 4 (or 1, greedy)"),
        (["--beams", "99999999999999999999"], "--beams must be between 1 and 32, got "
         "99999999999999999999; fix: pass --beams 4 (or 1, greedy)"),
        (["--threads", "100000"], "--threads must be between 1 and 256, got 100000; fix: pass "
         f"--threads {min(available_cpus(), 4)}"),
        (["--batch-tokens", "99999999999999999999"], "--batch-tokens must be between 16 and "
         "262,144, got 99999999999999999999; fix: pass --batch-tokens 2048"),
        (["--max-bytes", "-1"], "--max-bytes must be between 1 and 1,000,000,000, got -1; fix: "
         "pass --max-bytes 10000000"),
        (["--summary", "--sentences", "0"], "--sentences must be between 1 and 1,000, got 0; "
         "fix: pass --sentences 3"),
        (["--min-confidence", "nan"], "--min-confidence must be between 0 and 1, got nan; fix: "
         "pass --min-confidence 0.4"),
    ],
)  # fmt: skip
def test_every_numeric_option_has_a_range_checked_before_any_work(
    article: Path, args: list[str], line: str
) -> None:
    done = translate(article, *args)
    assert (done.returncode, done.stderr, done.stdout) == (2, f"{E}{line}\n", "")


@pytest.mark.parametrize(
    "line",
    [
        '{"input": "day0/article 00.txt", "status": "done", "sha256": null, "settings": {}, '
        '"outputs": 5}',
        '{"input": [1], "status": "done", "sha256": null, "settings": {}}',
        '{"input": 7, "status": "done", "sha256": null, "settings": {}}',
        "[1, 2, 3]",
        '{"input": "x", "status": "maybe", "sha256": null, "settings": {}}',
    ],
)
def test_manifest_lines_of_the_wrong_shape_are_ignored_and_redone(
    tmp_path: Path, line: str
) -> None:
    from conftest import make_news

    news = make_news(tmp_path / "news", 2)
    out = tmp_path / "out"
    assert translate(news, "-o", out, "--no-memory", "-q").returncode == 0
    with open(out / "manifest.jsonl", "a", encoding="utf-8") as manifest:
        manifest.write(line + "\n")
    again = translate(news, "-o", out, "--no-memory")
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[0] == (
        f"translate-news: warning: {out / 'manifest.jsonl'}: 1 damaged line(s) ignored; "
        "the files they recorded are done again"
    )
    assert "0 done, 2 up to date, 0 failed" in again.stderr  # the good lines still hold


def test_memory_rows_of_the_wrong_type_are_ignored_and_replaced(tmp_path: Path) -> None:
    import json
    import sqlite3

    from conftest import make_news

    news = make_news(tmp_path / "news", 1)
    memory = tmp_path / "memory.sqlite"
    out = tmp_path / "out"
    assert translate(news, "-o", out, "--memory", memory, "-q", "-f", "json").returncode == 0
    with sqlite3.connect(memory) as db:
        rows = db.execute("SELECT settings, source FROM memory").fetchall()
        assert len(rows) >= 2
        db.execute("UPDATE memory SET target = X'00ff' WHERE source = ?", (rows[0][1],))
        db.execute("UPDATE memory SET confidence = 9e999 WHERE source = ?", (rows[1][1],))
    again = translate(news, "-o", out, "--memory", memory, "--overwrite", "-f", "json")
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[0] == (
        f"translate-news: warning: {memory}: translation memory rows of the wrong type ignored; "
        "those sentences are translated again"
    )
    written = next(out.rglob("*.en.json")).read_text(encoding="utf-8")
    assert "Infinity" not in written and json.loads(written)["paragraphs"]
    with sqlite3.connect(memory) as db:  # the bad rows were replaced by good ones
        kinds = db.execute("SELECT DISTINCT typeof(target) FROM memory").fetchall()
        worst = db.execute("SELECT MAX(confidence) FROM memory").fetchone()[0]
    assert kinds == [("text",)] and (worst is None or worst <= 1)
    third = translate(news, "-o", out, "--memory", memory, "--overwrite", "-f", "json")
    assert "warning" not in third.stderr


# --- Model folders that are damaged ------------------------------------------------------


def _damaged_copy(tiny_model_dir: Path, tmp_path: Path, name: str, data: bytes | None) -> Path:
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    if data is None:  # truncated to half
        whole = (folder / name).read_bytes()
        data = whole[: len(whole) // 2]
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("source.spm", b"", "not a sentencepiece model"),
        ("target.spm", b"garbage, not a model", "not a sentencepiece model"),
        ("model.safetensors", None, "truncated"),
        ("generation_config.json", b"{num_beams: 4", "cannot be read as JSON"),
    ],
)
def test_a_damaged_model_file_is_one_true_line_on_each_engine(
    tiny_model_dir: Path, tmp_path: Path, article: Path, backend: str, name: str,
    data: bytes | None, what: str,
) -> None:  # fmt: skip
    from typer.testing import CliRunner

    from translate_news.cli import app

    folder = _damaged_copy(tiny_model_dir, tmp_path, name, data)
    done = CliRunner().invoke(app, [str(article), "--model", str(folder), "--backend", backend])
    assert done.exit_code == 1
    assert done.stderr.startswith(f"{E}{folder / name}: {what}")
    assert done.stderr.endswith(
        "; fix: fetch the model again (translate-news models download) or restore the file\n"
    )
    assert done.stderr.count("\n") == 1


def test_a_model_that_is_a_file_is_said_so(article: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from translate_news.cli import app

    done = CliRunner().invoke(app, [str(article), "--model", str(article)])
    assert done.exit_code == 1
    assert done.stderr == (
        f"{E}--model {article}: is a file, not a model folder; fix: pass the folder that holds "
        "config.json, the weights, source.spm, target.spm and vocab.json (or an alias or hub "
        "id)\n"
    )


# --- Standard input ------------------------------------------------------------------------


def test_one_ctrl_d_ends_input_typed_at_a_terminal() -> None:
    import subprocess
    import sys

    from conftest import FAULT_CLI

    controller, terminal = os.openpty()
    run = subprocess.Popen(
        [sys.executable, "-c", FAULT_CLI, "-"],
        stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    os.close(terminal)
    try:
        os.write(controller, ARTICLE.encode() + b"\x04")  # one Ctrl-D on a line of its own
        stdout, stderr = run.communicate(timeout=60)
    finally:
        run.kill()
        os.close(controller)
    assert run.returncode == 0, stderr
    assert stdout == ENGLISH
    assert stderr == (
        "translate-news: reading the article from the terminal; end it with Ctrl-D on a line "
        "of its own\n"
    )


def test_piped_stdin_needs_no_dash() -> None:
    import subprocess
    import sys

    from conftest import FAULT_CLI

    piped = subprocess.run(
        [sys.executable, "-c", FAULT_CLI], input=ARTICLE, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, ENGLISH, "")
    nothing = subprocess.run(
        [sys.executable, "-c", FAULT_CLI], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert (nothing.returncode, nothing.stdout) == (2, "")
    assert nothing.stderr == (
        f"{E}missing INPUT; fix: pass a file or a folder, - to read stdin, or pipe an article in\n"
    )


def test_quiet_and_verbose_together_is_a_usage_error(article: Path) -> None:
    done = translate(article, "-q", "-v")
    assert (done.returncode, done.stderr) == (2, f"{E}-q and -v together; fix: pass one of them\n")


def test_a_finished_folder_run_leaves_no_lock_file_and_counts_model_work(tmp_path: Path) -> None:
    from conftest import make_news

    news = make_news(tmp_path / "news", 2)
    memory = tmp_path / "memory.sqlite"
    first = translate(news, "-o", tmp_path / "out", "--memory", memory, "-v")
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "day0", "day1", "manifest.jsonl"
    ]  # fmt: skip
    again = translate(news, "-o", tmp_path / "again", "--memory", memory, "-v")
    model_line = next(line for line in again.stderr.splitlines() if "by the model" in line)
    assert model_line.endswith("; 0 sentences translated by the model")
    assert again.stderr.splitlines()[-1].endswith(", 8 sentences from memory")


def test_a_word_budget_no_sentence_fits_is_said(tmp_path: Path) -> None:
    article = tmp_path / "w.txt"
    article.write_text(
        "Titre\n\nLe président de la République est arrivé hier soir à Paris pour un sommet "
        "consacré au climat.\n\nIls se reverront au printemps pour tirer le bilan.\n",
        encoding="utf-8",
    )
    tight = translate(article, "--summary", "--words", "5")
    assert tight.returncode == 0
    assert tight.stderr == (
        f"translate-news: warning: {article}: no sentence fits --words 5; the summary is the "
        "best sentence alone (17 words)\n"
    )
    fitting = translate(article, "--summary", "--words", "9")
    assert (fitting.returncode, fitting.stderr) == (0, "")
    assert "Ils se reverront au printemps pour tirer le bilan." in fitting.stdout


def test_a_closed_stdin_is_one_line() -> None:
    import subprocess
    import sys

    from conftest import FAULT_CLI

    for args, code, line in (
        (["-"], 1, "<stdin>: is closed; fix: pipe an article in, or pass a file"),
        ([], 2, "missing INPUT; fix: pass a file or a folder, - to read stdin, or pipe an "
         "article in"),
    ):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", FAULT_CLI, *args], capture_output=True, text=True,
            timeout=60, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0),
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (code, f"{E}{line}\n")


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--nope"], "no such option: --nope; fix: see `translate-news --help` for the options"),
        (["-f", "pdf"], "unknown format 'pdf'; fix: use --format text, markdown, json, html, docx"),
        (["--beams", "x"], "invalid value for '--beams': Input should be a valid integer, unable "
         "to parse string as an integer; fix: see `translate-news --help` for the options"),
    ],
)  # fmt: skip
def test_command_line_mistakes_are_one_line_in_our_format(
    article: Path, args: list[str], what: str
) -> None:
    done = translate(article, *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{E}{what}\n"
