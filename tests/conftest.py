"""Shared fixtures: an offline Hugging Face cache holding a tiny Marian model under the real id."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

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
