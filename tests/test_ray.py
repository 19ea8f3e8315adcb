"""`--engine ray` on a local Ray cluster: same outputs and manifest as the local engine."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, tree
from translate_news import (
    FolderOptions,
    ModelOptions,
    Request,
    TranslateOptions,
    translate_folder,
)
from translate_news.cli import app
from translate_news.errors import UsageError
from translate_news.options import RayOptions
from translate_news.testing import MarkingTranslator

pytestmark = pytest.mark.ray
NO_MEMORY = FolderOptions(use_memory=False)
TINY = ModelOptions(device="cpu", threads=1, backend="transformers")
GREEDY = TranslateOptions(beams=1)


RAY_MISSING = "the [ray] extra is not installed (pip install -e '.[ray]')"


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray", reason=RAY_MISSING)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def make_news(root: Path, count: int) -> Path:
    lines = (DATA / "train.fr").read_text(encoding="utf-8").splitlines()
    for number in range(count):
        article = lines[number * 5 : number * 5 + 5]
        folder = root / f"day{number % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        text = article[0] + "\n\n" + " ".join(article[1:3]) + "\n\n" + " ".join(article[3:]) + "\n"
        (folder / f"article {number:02d}.txt").write_text(text, encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)))
    (root / "empty.txt").write_bytes(b"")
    return root


def test_ray_outputs_are_byte_identical_to_the_local_engine(
    ray_cluster: None, tiny_model_dir: Path, tmp_path: Path
) -> None:
    news = make_news(tmp_path / "news", 8)
    common = {"request": Request(model=TINY, translate=GREEDY), "folder_options": NO_MEMORY}
    local = translate_folder([news], tmp_path / "local", **common)
    on_ray = translate_folder(
        [news], tmp_path / "ray", engine="ray", ray_options=RayOptions(workers=2), **common
    )
    assert (on_ray.done, on_ray.up_to_date) == (local.done, local.up_to_date) == (8, 0)
    assert sorted(on_ray.failed) == sorted(local.failed)
    assert [name for name, _ in sorted(on_ray.failed)] == ["binary.txt", "empty.txt"]
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")  # manifest included


def test_resume_across_engines(ray_cluster: None, tmp_path: Path) -> None:
    news = make_news(tmp_path / "news", 6)
    out = tmp_path / "out"
    fake = functools.partial(MarkingTranslator)
    first = translate_folder([news], out, load=fake, folder_options=NO_MEMORY)
    assert first.done == 6
    (news / "day0" / "article 00.txt").write_text("Un titre\n\nUne phrase neuve.\n")
    (news / "day1" / "article 99.txt").write_text("Autre titre\n\nEncore une phrase.\n")
    on_ray = translate_folder([news], out, load=fake, folder_options=NO_MEMORY, engine="ray")
    assert (on_ray.done, on_ray.up_to_date) == (2, 5)
    assert (out / "day0" / "article 00.en.txt").read_text() == (
        "EN<Un titre>\n\nEN<Une phrase neuve.>\n"
    )
    back = translate_folder([news], out, load=fake, folder_options=NO_MEMORY)
    assert (back.done, back.up_to_date) == (0, 7)


def test_an_actor_killed_mid_run_is_restarted_and_nothing_is_lost(
    ray_cluster: None, tmp_path: Path
) -> None:
    news = make_news(tmp_path / "news", 12)
    pids = tmp_path / "pids"
    pids.mkdir()
    slow = functools.partial(MarkingTranslator, delay_s=0.6, pid_folder=str(pids))
    killed: list[int] = []

    def kill_first_actor() -> None:
        deadline = time.monotonic() + 120
        while not list(pids.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # inside its first batch
        victim = int(sorted(pids.iterdir())[0].name)
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    killer = threading.Thread(target=kill_first_actor)
    killer.start()
    report = translate_folder(
        [news],
        tmp_path / "out",
        load=slow,
        folder_options=NO_MEMORY,
        engine="ray",
        ray_options=RayOptions(workers=2, articles_per_batch=2),
    )
    killer.join()
    assert killed, "no actor was killed"
    assert len(list(pids.iterdir())) >= 3  # two actors, then the one started again
    assert (report.done, len(report.failed)) == (12, 2)
    straight = translate_folder([news], tmp_path / "straight", MarkingTranslator(),
                                folder_options=NO_MEMORY)  # fmt: skip
    assert straight.done == 12
    outputs = {k: v for k, v in tree(tmp_path / "out").items() if k != "manifest.jsonl"}
    expected = {k: v for k, v in tree(tmp_path / "straight").items() if k != "manifest.jsonl"}
    assert outputs == expected
    assert not list((tmp_path / "out").rglob("*.partial"))


def test_missing_ray_extra_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    news = make_news(tmp_path / "news", 1)
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(UsageError, match=r"pip install 'translate-news\[ray\]'"):
        translate_folder([news], tmp_path / "out", engine="ray")
    result = CliRunner().invoke(app, [str(news), "-o", str(tmp_path / "out"), "--engine", "ray"])
    assert result.exit_code == 2
    assert result.stderr == (
        "translate-news: error: --engine ray needs Ray Data, which is not installed; "
        "fix: pip install 'translate-news[ray]'\n"
    )
    assert not (tmp_path / "out").exists()  # nothing done before the check


def test_a_model_that_cannot_load_fails_each_file_with_its_line(
    ray_cluster: None, tmp_path: Path
) -> None:
    news = make_news(tmp_path / "news", 2)
    broken = functools.partial(MarkingTranslator, unavailable="fake/model@main: not downloaded")
    report = translate_folder(
        [news], tmp_path / "out", load=broken, folder_options=NO_MEMORY, engine="ray"
    )
    line = "fake/model@main: not downloaded; fix: run translate-news models download"
    assert report.done == 0
    assert dict(report.failed)["day0/article 00.txt"] == line
    assert dict(report.failed)["day1/article 01.txt"] == line


def test_engine_ray_is_for_folder_runs(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUne phrase.\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(article), "--engine", "ray"])
    assert result.exit_code == 2
    assert result.stderr == (
        "translate-news: error: --engine ray is for folder runs; "
        "fix: pass a folder (or several files) and -o OUT, or drop --engine\n"
    )


def _cli(args: list[str], ray_tmp: Path) -> tuple[subprocess.CompletedProcess, float]:
    """The CLI in a fresh process, its Ray (if any) under `ray_tmp`, the tiny model cached."""
    env = {**os.environ, "RAY_TMPDIR": str(ray_tmp)}
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "translate_news", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    return completed, time.monotonic() - started


@pytest.fixture
def ray_tmp() -> Iterator[Path]:
    """A short RAY_TMPDIR (Ray's socket paths must fit in 107 characters), not yet created.
    Every test that may start Ray takes it, so it also skips them where Ray is missing."""
    import shutil
    import tempfile

    pytest.importorskip("ray", reason=RAY_MISSING)

    parent = Path(tempfile.mkdtemp(prefix="tnr", dir="/tmp"))
    yield parent / "r"
    shutil.rmtree(parent, ignore_errors=True)


def _ray_processes(ray_tmp: Path) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eww", "-o", "args"], capture_output=True, text=True, check=True
    )
    return [line for line in listing.stdout.splitlines() if str(ray_tmp) in line]


def test_asking_for_gpus_the_cluster_lacks_is_one_line(
    tiny_model_dir: Path, tmp_path: Path, ray_tmp: Path
) -> None:
    news = make_news(tmp_path / "news", 2)
    args = [str(news), "-o", str(tmp_path / "out"), "--engine", "ray", "--gpus-per-worker", "1"]
    completed, seconds = _cli([*args, "--no-memory"], ray_tmp)
    assert completed.returncode == 2
    assert completed.stderr == (
        "translate-news: error: 1 worker(s) x --gpus-per-worker 1 need 1 GPU(s); the Ray "
        f"cluster has 0 GPU(s) and {os.cpu_count()} CPU(s); fix: pass --gpus-per-worker 0 for "
        "CPU actors, fewer --workers, or add GPU nodes\n"
    )  # nothing of Ray's own logging either
    assert seconds < 30


def test_cluster_addresses_that_do_not_answer_are_one_line(tmp_path: Path, ray_tmp: Path) -> None:
    import socket

    news = make_news(tmp_path / "news", 1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    fix = (
        "fix: start the cluster (`ray start --head` on its head node) or check the address; "
        "drop --ray-address to use a local Ray\n"
    )
    base = [str(news), "-o", str(tmp_path / "out"), "--engine", "ray", "--ray-address"]
    completed, seconds = _cli([*base, f"127.0.0.1:{closed}"], ray_tmp)
    assert completed.returncode == 1 and seconds < 15
    assert completed.stderr == (
        f"translate-news: error: --ray-address 127.0.0.1:{closed}: no Ray cluster answers there "
        f"(Connection refused); {fix}"
    )
    # `auto` with no cluster: Ray's own error, as one line (a fake ray module, since a test
    # cluster may be running on this machine and `auto` would find it)
    from translate_news.errors import TranslateNewsError
    from translate_news.folders.ray import _connect

    class NoCluster:
        def init(self, **kwargs: object) -> None:
            raise ConnectionError("Could not find any running Ray instance.\nMore text.")

    with pytest.raises(TranslateNewsError) as caught:
        _connect(NoCluster(), "auto")
    assert caught.value.one_line() + "\n" == (
        "--ray-address auto: cannot join the Ray cluster (Could not find any running Ray "
        f"instance.); {fix}"
    )


def test_nothing_to_do_starts_no_ray(tmp_path: Path, ray_tmp: Path) -> None:
    news = make_news(tmp_path / "news", 2)
    out = tmp_path / "out"
    translate_folder([news], out, load=functools.partial(MarkingTranslator),
                     folder_options=NO_MEMORY)  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_TMPDIR", str(ray_tmp))  # were Ray started, it would be there
        rerun = translate_folder([news], out, load=functools.partial(MarkingTranslator),
                                 folder_options=NO_MEMORY, engine="ray")  # fmt: skip
    assert (rerun.done, rerun.up_to_date) == (0, 2)
    assert not ray_tmp.exists() and _ray_processes(ray_tmp) == []


def test_ctrl_c_shuts_the_local_ray_down(
    tiny_model_dir: Path, tmp_path: Path, ray_tmp: Path
) -> None:
    """The CLI leaves at once on Ctrl-C (os._exit, no atexit hooks): Ray must be shut down
    before that, or its agents outlive the run."""
    news = make_news(tmp_path / "news", 60)
    args = [str(news), "-o", str(tmp_path / "out"), "--engine", "ray", "--no-memory",
            "--backend", "transformers", "--beams", "1"]  # fmt: skip
    run = subprocess.Popen(
        [sys.executable, "-m", "translate_news", *args],
        env={**os.environ, "RAY_TMPDIR": str(ray_tmp)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while not _ray_processes(ray_tmp) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _ray_processes(ray_tmp), "Ray never started"
    time.sleep(2)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert "interrupted; run the same command again to resume" in stderr
    deadline = time.monotonic() + 10
    while _ray_processes(ray_tmp) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _ray_processes(ray_tmp) == []
