"""Faults in folder runs, run as a user meets them: in a subprocess, each with its exact line.

Disk full and read-only disks use a small tmpfs (skipped where the test cannot mount one);
permissions are tested as an unprivileged user (root drops to `nobody` in the subprocess).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import FAULT_CLI, FakeTranslator, make_news, translate, tree
from translate_news.cli import app


def recorded_done(out: Path) -> dict[str, list[str]]:
    """Inputs the manifest records as done, with their outputs (damaged lines skipped)."""
    done = {}
    for line in (out / "manifest.jsonl").read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record["status"] == "done":
            done[record["input"]] = record["outputs"]
    return done


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """An empty 40 KiB tmpfs (ten 4 KiB pages), unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def remount(disk: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(disk)], check=True)


def test_a_full_disk_stops_the_run_with_one_line_and_the_rerun_completes(
    tmp_path: Path, tmpfs: Path
) -> None:
    news = make_news(tmp_path / "news", 24, sentences=12)  # ~2 KB outputs: 4 KiB pages each
    straight = translate(news, "-o", tmp_path / "straight", "--no-memory", "-q")
    assert straight.returncode == 0, straight.stderr
    out = tmpfs / "out"

    full = translate(news, "-o", out, "--no-memory", "-q")
    assert full.returncode == 1
    line = re.escape(f"translate-news: error: {out}/") + (
        r"\S[^\n]*: cannot be written \(No space left on device\); "
        r"fix: free space on that disk, then run again\n"
    )
    assert re.fullmatch(line, full.stderr), full.stderr
    done = recorded_done(out)
    assert 1 <= len(done) < 24
    expected = tree(tmp_path / "straight")
    for outputs in done.values():  # what the manifest recorded is complete
        for name in outputs:
            assert (out / name).read_bytes() == expected[name], name
    assert not list(out.rglob("*.partial"))

    remount(tmpfs, "size=4m")  # space freed
    again = translate(news, "-o", out, "--no-memory")
    assert again.returncode == 0, again.stderr
    assert f"{24 - len(done)} done, {len(done)} up to date, 0 failed" in again.stderr
    assert tree(out) == expected


def test_a_read_only_disk_is_one_line_before_any_work(tmp_path: Path, tmpfs: Path) -> None:
    news = make_news(tmp_path / "news", 2)
    remount(tmpfs, "ro")
    result = translate(news, "-o", tmpfs, "--no-memory")
    assert result.returncode == 1
    assert result.stderr == (
        f"translate-news: error: {tmpfs}: cannot be written (Read-only file system); "
        "fix: pass an -o folder on a writable disk\n"
    )
    missing = translate(news, "-o", tmpfs / "new", "--no-memory")
    assert missing.returncode == 1
    assert missing.stderr == (
        f"translate-news: error: {tmpfs / 'new'}: the output folder cannot be created "
        "(Read-only file system); fix: pass an -o folder you can write to\n"
    )


def test_a_read_only_memory_given_by_name_is_one_line_before_any_work(
    tmp_path: Path, tmpfs: Path
) -> None:
    news = make_news(tmp_path / "news", 2)
    remount(tmpfs, "size=4m")  # room for SQLite's journal files
    memory = tmpfs / "memory.sqlite"
    assert translate(news, "-o", tmp_path / "first", "--memory", memory, "-q").returncode == 0
    remount(tmpfs, "ro")
    result = translate(news, "-o", tmp_path / "out", "--memory", memory, "-q")
    assert result.returncode == 1
    assert re.fullmatch(
        re.escape(f"translate-news: error: {memory}: translation memory cannot be opened (")
        + r"[^\n]+"
        + re.escape("); fix: pass --memory PATH in a writable folder, or --no-memory\n"),
        result.stderr,
    ), result.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user may write to (pytest's own are root-only when run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="translate-news-faults-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_unprivileged(shared: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user that permissions apply to (`nobody` when the tests run as root)."""
    if os.geteuid() != 0:
        return translate(*args)
    warm = make_news(shared / "warm-up", 1)
    return translate(*args, as_nobody=str(warm))


def _run_with_one_locked(
    shared: Path, count: int, locked_name: str
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """A folder run as an unprivileged user over `count` articles, one entry locked (mode 0):
    (the locked entry, out, the run)."""
    news = make_news(shared / "news", count)
    for path in [shared, *shared.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    locked = news / locked_name
    locked.chmod(0o000)
    out = shared / "out"
    return locked, out, as_unprivileged(shared, news, "-o", out, "--no-memory")


def test_an_unreadable_file_fails_alone(shared_folder: Path) -> None:
    locked, out, result = _run_with_one_locked(shared_folder, 2, "day0/article 00.txt")
    assert result.returncode == 1
    first, last = result.stderr.splitlines()
    assert first == (
        f"translate-news: error: {locked}: cannot be read (Permission denied); "
        "fix: check its permissions"
    )
    assert last.startswith("translate-news: 1 done, 0 up to date, 1 failed in ")
    assert (out / "day1" / "article 01.en.txt").is_file()
    alone = as_unprivileged(shared_folder, locked)
    assert (alone.returncode, alone.stderr) == (
        1,
        f"translate-news: error: {locked}: cannot be read (Permission denied); "
        "fix: check its permissions\n",
    )


def test_an_unlistable_subfolder_fails_its_files_in_one_line(shared_folder: Path) -> None:
    locked, _, result = _run_with_one_locked(shared_folder, 4, "day1")
    assert result.returncode == 1
    first, last = result.stderr.splitlines()
    assert first == (
        f"translate-news: error: {locked}: the folder cannot be listed (Permission denied); "
        "fix: check its permissions"
    )
    assert last.startswith("translate-news: 2 done, 0 up to date, 1 failed in ")


def test_an_output_folder_without_write_permission_is_one_line(shared_folder: Path) -> None:
    news = make_news(shared_folder / "news", 2)
    for path in [shared_folder, *shared_folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    out = shared_folder / "out"
    out.mkdir(mode=0o555)
    out.chmod(0o555)
    result = as_unprivileged(shared_folder, news, "-o", out, "--no-memory")
    assert (result.returncode, result.stderr) == (
        1,
        f"translate-news: error: {out}: cannot be written (Permission denied); "
        "fix: check the folder's permissions\n",
    )
    assert os.listdir(out) == []


@pytest.mark.parametrize("after", [1, 2])  # 2: the manifest is open when the folder goes
def test_an_output_folder_removed_mid_run_stops_it(tmp_path: Path, after: int) -> None:
    news = make_news(tmp_path / "news", 4)
    out = tmp_path / "out"
    fault = {"remove_output": str(out), "remove_after": str(after)}
    result = translate(news, "-o", out, "--no-memory", **fault)
    assert (result.returncode, result.stderr) == (
        1,
        f"translate-news: error: {out}: the output folder was removed during the run; "
        "fix: run again (it redoes what is missing)\n",
    )
    assert not out.exists()  # nothing recreated, nothing written elsewhere
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news"]
    again = translate(news, "-o", out, "--no-memory")
    assert again.returncode == 0, again.stderr
    assert "4 done, 0 up to date, 0 failed" in again.stderr


def test_a_second_run_on_one_output_folder_is_refused_and_the_first_unharmed(
    tmp_path: Path,
) -> None:
    news = make_news(tmp_path / "news", 3)
    out, marks = tmp_path / "out", tmp_path / "marks"
    marks.mkdir()
    first = subprocess.Popen(
        [sys.executable, "-c", FAULT_CLI, str(news), "-o", str(out), "--no-memory", "-q"],
        env={**os.environ, "FAULT_DELAY": "3", "FAULT_MARKS": str(marks)},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(marks.iterdir()):  # the first run holds the lock and is translating
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    second = translate(news, "-o", out, "--no-memory")
    assert (second.returncode, second.stderr) == (
        1,
        f"translate-news: error: {out}: another translate-news run is writing to this folder; "
        "fix: wait for it to finish, or pass another -o folder\n",
    )
    assert first.wait(timeout=60) == 0 and first.stderr is not None
    assert first.stderr.read() == ""
    straight = translate(news, "-o", tmp_path / "straight", "--no-memory", "-q")
    assert straight.returncode == 0
    assert tree(out) == tree(tmp_path / "straight")


def _truncated(lines: list[bytes]) -> bytes:
    return b"".join(lines[:2]) + lines[2][:40]  # cut mid-line


def _garbage(lines: list[bytes]) -> bytes:
    return b"\x00\xff garbage\n{not json}\n" + bytes(range(128, 256)) + b"\n"


@pytest.mark.parametrize(
    ("damage", "damaged", "counts"),
    [(_truncated, 1, "2 done, 2 up to date"), (_garbage, 3, "4 done, 0 up to date")],
)
def test_a_corrupt_or_truncated_manifest_redoes_what_it_lost(
    tmp_path: Path, use_fake: FakeTranslator, damage: Any, damaged: int, counts: str
) -> None:
    news = make_news(tmp_path / "news", 4)
    out = tmp_path / "out"
    arguments = [str(news), "-o", str(out), "--no-memory"]
    assert CliRunner().invoke(app, [*arguments, "-q"]).exit_code == 0
    finished = tree(out)
    manifest = out / "manifest.jsonl"
    manifest.write_bytes(damage(manifest.read_bytes().splitlines(keepends=True)))
    again = CliRunner().invoke(app, arguments)
    assert again.exit_code == 0
    assert again.stderr.splitlines()[0] == (
        f"translate-news: warning: {manifest}: {damaged} damaged line(s) ignored; "
        "the files they recorded are done again"
    )
    assert f"{counts}, 0 failed" in again.stderr
    assert tree(out) == finished


def test_a_memory_locked_by_another_program_is_dropped_with_one_warning(
    tmp_path: Path, use_fake: FakeTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_news.folders import memory as cache

    monkeypatch.setattr(cache, "BUSY_TIMEOUT_S", 0.5)
    news = make_news(tmp_path / "news", 2)
    memory = tmp_path / "memory.sqlite"
    arguments = [str(news), "-o", str(tmp_path / "out"), "--memory", str(memory)]
    assert CliRunner().invoke(app, [*arguments, "-q"]).exit_code == 0
    (news / "day0" / "article 00.txt").write_text("Titre\n\nUne phrase nouvelle.\n")
    holder = sqlite3.connect(memory, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than we wait
    try:
        locked = CliRunner().invoke(app, arguments)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert locked.exit_code == 0, locked.stderr
    assert locked.stderr.splitlines()[0] == (
        f"translate-news: warning: {memory}: translation memory failed (database is locked); "
        "going on without a translation memory"
    )
    assert "1 done, 1 up to date, 0 failed" in locked.stderr
    text = (tmp_path / "out" / "day0" / "article 00.en.txt").read_text()
    assert text == "EN<Titre>\n\nEN<Une phrase nouvelle.>\n"


KILLING_RUN = """
import os, random, signal, sys
from translate_news.folders import memory as cache
from translate_news.folders import runner as batch
from translate_news.cli import app

batch.CHUNK_CHARACTERS = 300  # many chunks in a small folder
kind, at, log = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "a")
count = {"output": 0, "fsync": 0, "memory": 0, "manifest": 0}

def tick(event):
    count[event] += 1
    if event == kind and count[event] == at:
        os.kill(os.getpid(), signal.SIGKILL)

real_replace, real_fsync, real_store = os.replace, os.fsync, cache.TranslationMemory.store
def replace(source, target):
    target = str(target)
    if target.endswith(".en.txt"):
        log.write(target + "\\n"); log.flush()  # what this run wrote, for the test
        tick("output")
    elif target.endswith("manifest.jsonl"):
        tick("manifest")  # the compaction at the end of a run
    real_replace(source, target)
def fsync(fd):  # before an output's rename, and after each manifest line
    tick("fsync")
    real_fsync(fd)
def store(self, settings, rows):
    tick("memory")
    real_store(self, settings, rows)

os.replace, os.fsync, cache.TranslationMemory.store = replace, fsync, store
app(sys.argv[4:], prog_name="translate-news")
"""


def test_kill_9_ten_times_then_a_clean_finish_is_byte_identical(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    """Ten runs killed at random points (seeded) on one output folder, then one that finishes:
    outputs and manifest equal an uninterrupted run's, no `.partial` is left, and no run
    translates again an input the manifest had recorded as done."""
    news = make_news(tmp_path / "news", 30)
    engine = ["--backend", "transformers", "--device", "cpu", "--beams", "1", "--threads", "1"]
    memory = ["--memory", str(tmp_path / "memory.sqlite")]
    out = tmp_path / "out"

    def run(kind: str, at: int, log: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", KILLING_RUN, kind, str(at), str(log), str(news)]
        return subprocess.run(
            [*command, "-o", str(out), *engine, *extra, "-q"],
            capture_output=True,
            text=True,
            timeout=300,
        )

    points = random.Random(14)
    kills = [(points.choice(["output", "fsync", "memory"]), points.randint(1, 2)) for _ in range(9)]
    kills.append(("manifest", 1))  # the tenth dies compacting the manifest, all files done
    for number, (kind, at) in enumerate(kills):
        before = recorded_done(out) if (out / "manifest.jsonl").exists() else {}
        log = tmp_path / f"written-{number}.log"
        killed = run(kind, at, log, *memory)
        assert killed.returncode == -9, (kind, at, killed.stderr)
        rewritten = set(log.read_text().splitlines()) if log.exists() else set()
        again = {str(out / name) for outputs in before.values() for name in outputs}
        assert not rewritten & again, (kind, at, rewritten & again)
    assert len(recorded_done(out)) == 30  # the tenth kill came after the last file

    finished = run("none", 0, tmp_path / "last.log", *memory)
    assert finished.returncode == 0, finished.stderr
    assert (tmp_path / "last.log").read_text() == ""  # nothing translated again
    plain = [sys.executable, "-m", "translate_news", str(news), "-o", str(tmp_path / "straight")]
    straight = subprocess.run(
        [*plain, *engine, "--no-memory", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert straight.returncode == 0, straight.stderr
    assert not list(out.rglob("*.partial"))
    assert tree(out) == tree(tmp_path / "straight")
