"""The web page of `translate-news serve`, in headless Chromium (Debian's) driven by
Playwright: type an article, submit, watch the progress, read the English column."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SERVE_MISSING, FakeTranslator, live_server

pytest.importorskip("fastapi", reason=SERVE_MISSING)
pytestmark = [pytest.mark.serve, pytest.mark.browser]

ARTICLE = "Le sommet de Bichkek\n\n" + "\n\n".join(
    f"Le président a parlé du sommet numéro {n} devant la presse." for n in range(1, 13)
)


class BatchReporting(FakeTranslator):
    """The fake, two sentences a batch, slowly, reporting each batch as the engines do."""

    from translate_news.backends.base import Capabilities

    capabilities = Capabilities(reports_batches=True)
    batch_done = None

    def translate(self, sentences: list[str]) -> list[str]:
        import time

        out = []
        for start in range(0, len(sentences), 2):
            batch = sentences[start : start + 2]
            time.sleep(0.15)
            out += super().translate(batch)
            if self.batch_done is not None:
                self.batch_done(len(batch), 10)
        return out


@pytest.fixture
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no Chromium installed (.ci/run installs the Debian chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason=SERVE_MISSING)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=found,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage"],
        )  # fmt: skip
        yield browser
        browser.close()


def _artefacts(tmp_path: Path) -> Path:
    """Where screenshots are kept: $TRANSLATE_NEWS_TEST_ARTEFACTS, else test-artifacts/ (git
    ignores it), as the other browser tests do."""
    default = Path(__file__).resolve().parents[1] / "test-artifacts"
    folder = Path(os.environ.get("TRANSLATE_NEWS_TEST_ARTEFACTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_page_translates_an_article_with_progress(chromium, tmp_path: Path) -> None:
    with live_server(BatchReporting) as (url, _):
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(url + "/")
        assert page.title() == "translate-news"
        page.focus("#article")
        page.keyboard.insert_text(ARTICLE)
        page.check("input[value=both]")
        page.focus("#go")
        page.keyboard.press("Enter")  # keyboard only
        page.wait_for_function(  # a function, not a string: the CSP forbids eval
            "() => /translating: [1-9][0-9]* of 13 sentences/.test("
            "document.getElementById('progress-text').textContent)",
            timeout=20_000,
        )
        page.wait_for_selector("#output:not([hidden])", timeout=30_000)
        english = page.locator("#rows td:nth-child(2)").all_text_contents()
        assert english[0].strip() == (
            "EN<Le président a parlé du sommet numéro 1 devant la presse.>"
        )
        assert len(english) == 12
        assert page.text_content("#headline") == "EN<Le sommet de Bichkek>"
        summary = page.locator("#summary li").all_text_contents()
        assert summary and all(item.startswith("EN<Le président") for item in summary)
        downloads = page.locator("#downloads a").all_text_contents()
        assert downloads == ["Download HTML", "Download Markdown", "Download JSON"]
        with page.expect_download() as saved:
            page.click("text=Download JSON")
        assert saved.value.suggested_filename == "article.en.json"
        folder = _artefacts(tmp_path)
        page.screenshot(path=str(folder / "serve-page-1400.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(folder / "serve-page-390.png"), full_page=True)
        assert problems == []  # no CSP violation, no script error


def test_every_control_is_reached_by_tab(chromium) -> None:
    with live_server() as (url, _):
        page = chromium.new_page()
        page.goto(url + "/")
        reached = []
        for _ in range(8):
            page.keyboard.press("Tab")
            reached.append(page.evaluate(
                "document.activeElement.id || document.activeElement.value"))  # fmt: skip
        assert {"article", "file", "full", "go"} <= set(reached), reached


def test_errors_show_on_the_page(chromium) -> None:
    with live_server() as (url, _):
        page = chromium.new_page()
        page.goto(url + "/")
        page.click("#go")
        assert page.text_content("#error") == (
            "Paste a French article (or its address), or choose a file."
        )
        page.fill("#article", "https://example.org/article")
        page.click("#go")
        page.wait_for_function(
            "() => !document.getElementById('error').hidden && "
            "document.getElementById('error').textContent.includes('URL')"
        )
        assert page.text_content("#error").startswith("this server does not fetch URLs")


def test_the_page_is_served_with_a_strict_policy() -> None:
    requests = pytest.importorskip("requests", reason=SERVE_MISSING)
    with live_server() as (url, _):
        answer = requests.get(url + "/", timeout=10)
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "http" not in answer.text.split("<body>")[0]  # no external asset
        assert requests.get(url + "/page.js", timeout=10).headers["content-type"].startswith(
            "text/javascript")  # fmt: skip
