"""The first run without a network: the model error comes in seconds, and a cached model
needs no network at all (the hub endpoint is a local server that counts what it gets)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import _HF_HOME, EXAMPLE


def unavailable(reason: str, fix: str | None = None) -> str:
    fix = fix or (
        "connect to the internet and run `translate-news models download --model "
        "Helsinki-NLP/opus-mt-fr-en` once (HF_HOME chooses the cache)"
    )
    return (
        "translate-news: error: model Helsinki-NLP/opus-mt-fr-en@main is not in the Hugging "
        f"Face cache and cannot be downloaded ({reason}); fix: {fix}, or pass --model "
        "/path/to/folder\n"
    )


def _run(env_changes: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    env.update(env_changes)
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "translate_news", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return completed, time.monotonic() - started


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


def test_unreachable_hub_fails_fast_with_one_line(tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    env = {"HF_HOME": str(tmp_path / "empty"), "HF_ENDPOINT": endpoint}
    completed, seconds = _run(env, str(EXAMPLE))
    assert completed.returncode == 1
    assert completed.stdout == ""
    reason = f"{endpoint} cannot be reached ([Errno 111] Connection refused)"
    assert completed.stderr == unavailable(reason)  # no retry lines, no traceback
    download, _ = _run(env, "--download")
    assert download.returncode == 1
    assert download.stderr == unavailable(
        reason, "connect to the internet and run this again (HF_HOME chooses the cache)"
    )  # not "run --download" to the one who just did
    assert seconds < 15


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_hub_that_never_answers_fails_within_the_probe_timeout(
    tmp_path: Path, silent_server: str
) -> None:
    env = {"HF_HOME": str(tmp_path / "empty"), "HF_ENDPOINT": silent_server}
    completed, seconds = _run(env, str(EXAMPLE), "-v")
    assert completed.returncode == 1
    lines = completed.stderr.splitlines()
    assert lines[-1] + "\n" == unavailable(f"{silent_server} cannot be reached (timed out)")
    assert any("model hub: " in line and "cannot be reached" in line for line in lines)
    assert not any("Retry" in line or "Traceback" in line for line in lines)
    assert seconds < 15


class _CountingHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_error(404)

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_cached_model_makes_no_network_request(tiny_model_dir: Path, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            "HF_HOME": str(_HF_HOME),
            "HF_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}",
            "TRANSLATE_NEWS_CACHE": str(tmp_path / "cache"),
        }
        completed, _ = _run(env, str(EXAMPLE), "--beams", "1", "--backend", "transformers")
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.strip()
        completed, _ = _run(env, "--download")
        assert completed.returncode == 0, completed.stderr
        assert "is ready for offline use" in completed.stdout
    finally:
        server.shutdown()
    assert _CountingHandler.requests == []
