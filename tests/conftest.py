"""Shared fixtures: an offline Hugging Face cache holding a tiny Marian model under the real id."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# huggingface_hub reads these when it is first imported: set them before anything imports it.
_HF_HOME = Path(tempfile.mkdtemp(prefix="translate-news-hf-"))
os.environ["HF_HOME"] = str(_HF_HOME)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSLATE_NEWS_CACHE"] = str(_HF_HOME / "translate-news-cache")
os.environ.pop("HF_HUB_CACHE", None)
os.environ.pop("TRANSFORMERS_CACHE", None)

import pytest  # noqa: E402

from translate_news.document import Article  # noqa: E402
from translate_news.testing import MarkingTranslator  # noqa: E402

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sco_summit_fr.txt"
DEFAULT_ID = "Helsinki-NLP/opus-mt-fr-en"


FakeTranslator = MarkingTranslator  # same seam as the real backends; exact outputs
# The example article's page furniture, in reading order: what cleaning skips.
FURNITURE = ["S'abonner", "Fil d’actu", "0", "Pour participer aux discussions, identifiez-vous "
             "ou créez-vous un compte", "loader", "Chat",
             "Заголовок открываемого материала"]  # fmt: skip
ARTICLE = "Titre du jour\n\nLe président est arrivé hier à Paris pour le sommet.\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A two-paragraph French article in a file."""
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def fake_translator() -> FakeTranslator:
    return FakeTranslator()


@pytest.fixture
def use_fake(fake_translator: FakeTranslator) -> Iterator[FakeTranslator]:
    """Every backend (CLI included) loads the fake, registered as the real ones are."""
    from translate_news.testing import backends_replaced_by

    with backends_replaced_by(lambda: fake_translator):
        yield fake_translator


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight MarianMT model, built from tests/data, also cached as the real id."""
    from translate_news.testing import build_marian_model, install_in_hf_cache

    french = (DATA / "train.fr").read_text(encoding="utf-8").splitlines()
    english = (DATA / "train.en").read_text(encoding="utf-8").splitlines()
    folder = build_marian_model(tmp_path_factory.mktemp("tiny") / "opus-mt-tiny", french, english)
    install_in_hf_cache(folder, _HF_HOME, DEFAULT_ID)
    return folder


@pytest.fixture(scope="session")
def tiny_translator(tiny_model_dir: Path):
    """The tiny model loaded through the default id, greedy, on CPU, transformers backend."""
    from translate_news import ModelOptions, TranslateOptions, load_translator

    return load_translator(
        ModelOptions(device="cpu", threads=1, backend="transformers"), TranslateOptions(beams=1)
    )


@pytest.fixture(scope="session")
def tiny_ct2_translator(tiny_model_dir: Path):
    """The tiny model through CTranslate2, float32 greedy (comparable token for token)."""
    from translate_news import ModelOptions, TranslateOptions, load_translator

    options = ModelOptions(device="cpu", threads=1, backend="ctranslate2", compute_type="float32")
    return load_translator(options, TranslateOptions(beams=1))


REPO = Path(__file__).resolve().parents[1]
_BEFORE = pytest.StashKey[set[str] | None]()  # the repo's untracked files when the run began


def _repo_entries() -> set[str] | None:
    """Files git would see as new in the checkout (untracked, not ignored), or None
    where the checkout is not a git work tree."""
    listing = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "--others", "--exclude-standard", "-z"],
        capture_output=True, check=False,
    )  # fmt: skip
    if listing.returncode != 0:
        return None
    return {name for name in listing.stdout.decode("utf-8", "replace").split("\0") if name}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _repo_entries()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test that leaves a file in the repository fails the run, naming the file."""
    before = session.config.stash.get(_BEFORE, None)
    after = _repo_entries()
    if before is None or after is None:
        return
    left = sorted(after - before)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"tests left files in the repository: {', '.join(left[:10])}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# The CLI with the instant fake translator, plus the fault a test asks for (FAULT_* variables).
FAULT_CLI = """
import os, shutil, sys
from translate_news.testing import MarkingTranslator, backends_replaced_by

delay, marks = float(os.environ.get("FAULT_DELAY", "0")), os.environ.get("FAULT_MARKS")
fake = backends_replaced_by(
    lambda: MarkingTranslator(delay, marks), MarkingTranslator.PROVENANCE
)
fake.__enter__()  # for the life of the process (kept referenced)
if os.environ.get("FAULT_REMOVE_OUTPUT"):  # the output folder goes after the Nth output
    real_replace, written = os.replace, []
    def replace_then_remove(source, target):
        real_replace(source, target)
        if str(target).endswith(".en.txt"):
            written.append(target)
            if len(written) == int(os.environ["FAULT_REMOVE_AFTER"]):
                shutil.rmtree(os.environ["FAULT_REMOVE_OUTPUT"])
    os.replace = replace_then_remove
from translate_news.cli import app
if os.environ.get("FAULT_AS_NOBODY"):  # import everything first: the code is root's to read
    warm = os.environ["FAULT_AS_NOBODY"]
    app([warm, "-o", warm + "-en", "--no-memory", "-q"], standalone_mode=False)
    app([warm + "/day0/article 00.txt", "-o", warm + "-one.txt", "-q"], standalone_mode=False)
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
app(sys.argv[1:], prog_name="translate-news")
"""


def translate(
    *args: str | Path, stdout_to: Any = subprocess.PIPE, **fault: str
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the fake translator in a fresh process; `fault` sets FAULT_* vars."""
    env = {**os.environ, **{f"FAULT_{key.upper()}": value for key, value in fault.items()}}
    command = [sys.executable, "-c", FAULT_CLI, *map(str, args)]
    return subprocess.run(
        command, stdout=stdout_to, stderr=subprocess.PIPE, text=True, timeout=120, env=env
    )


def make_news(root: Path, count: int, sentences: int = 4) -> Path:
    """`count` French articles from tests/data, in two subfolders."""
    lines = (DATA / "train.fr").read_text(encoding="utf-8").splitlines()
    for number in range(count):
        picked = [lines[(number * sentences + k) % len(lines)] for k in range(sentences)]
        folder = root / f"day{number % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        text = picked[0] + "\n\n" + " ".join(picked[1:]) + "\n"
        (folder / f"article {number:02d}.txt").write_text(text, encoding="utf-8")
    return root


def all_sources(article: Article) -> list[str]:
    return [sentence.source for sentence in article.sentences()]


def newstest_lines(name: str = "newstest2014.fra") -> list[str]:
    path = SHARED / name
    if not path.exists():  # pragma: no cover - shared data is part of every checkout here
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run the evaluation-data tests")
        pytest.skip(f"{path} not available")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (a run's lock file aside) and its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".translate-news.lock"
    }


def browser(*args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with `args` (skips the test where none is installed)."""
    found = next(
        (
            shutil.which(name)
            for name in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(name)
        ),
        None,
    )
    if found is None:
        pytest.skip("no Chromium installed (.ci/run installs the Debian chromium package)")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--no-first-run", "--disable-dev-shm-usage", "--virtual-time-budget=2000",
    ]  # fmt: skip
    return subprocess.run([found, *flags, *args], capture_output=True, text=True, timeout=120)


from hypothesis import HealthCheck, settings  # noqa: E402

# `ci` runs on every test run; `long` is for a deliberate soak (see tests/test_properties.py).
_PROPERTY_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=2000, **_PROPERTY_SETTINGS)
settings.register_profile("long", max_examples=10_000, **_PROPERTY_SETTINGS)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _no_traceback_from_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CLI case of the suite (CliRunner) checks that, without -v, stderr holds no
    traceback and no exception escaped the CLI's error boundary."""
    from typer.testing import CliRunner

    invoke = CliRunner.invoke

    def checked(self: CliRunner, app: object, args: object = None, **kwargs: object) -> object:
        result = invoke(self, app, args, **kwargs)
        arguments = [str(arg) for arg in args] if isinstance(args, list | tuple) else []
        if "-v" not in arguments and "--verbose" not in arguments:
            assert "Traceback" not in result.stderr, result.stderr
            escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
            assert not escaped, repr(result.exception)
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked)


SERVE_MISSING = "the [serve] extra is not installed (pip install -e '.[serve]')"


@contextmanager
def live_server(
    load: Any = None, request: Any = None, **settings: Any
) -> Iterator[tuple[str, Any]]:
    """(base URL, Service) of a `translate-news serve` running in a thread on 127.0.0.1 (a
    free port) while inside; `load` makes the translator (default: the marking fake)."""
    pytest.importorskip("fastapi", reason=SERVE_MISSING)
    import threading
    import time
    from dataclasses import replace

    from translate_news.options import Request
    from translate_news.serve.app import Service
    from translate_news.serve.server import make_server
    from translate_news.serve.settings import ServeSettings

    chosen = replace(ServeSettings(port=0), **settings)
    service = Service(chosen, request or Request(), load or MarkingTranslator)
    service.worker.start()
    server = make_server(service)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", service
    finally:
        server.should_exit = True
        thread.join(10)
        service.worker.stop(10)
