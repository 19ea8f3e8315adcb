"""`--format html`: a self-contained bilingual page, escaped, aligned, checked in Chromium."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, FakeTranslator, browser
from translate_news import Request, translate_file, translate_text
from translate_news.checks import check_translation
from translate_news.cli import app
from translate_news.renderers import render, result_to_dict

HOSTILE = (
    "Le <script>document.title='pwned'</script> titre\n\n"
    "Il a dit « <img src=x onerror=alert(1)> » & parti. "
    'Puis "</span></div><script>alert(2)</script>" arriva.\n'
)


class _Pairs(HTMLParser):
    """Counts sentence spans per column, scripts, and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.columns: list[str] = []
        self.spans = {"fr": [], "en": []}  # data-id of each sentence span, per column
        self.classes: dict[str, list[str]] = {}
        self.scripts = 0
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if values.get(name):
                self.external.append(str(values[name]))
        if tag == "div" and classes and classes[0] in ("fr", "en"):
            self.columns.append(classes[0])
        if tag == "span" and "s" in classes and self.columns and values.get("data-id"):
            self.spans[self.columns[-1]].append(str(values["data-id"]))
            self.classes.setdefault(str(values["data-id"]), classes)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.columns and self.stack and self.stack[-1] == "div":
            self.columns.pop()
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Pairs:
    parser = _Pairs()
    parser.feed(page)
    return parser


def test_article_text_is_escaped(fake_translator: FakeTranslator) -> None:
    page = render(translate_text(HOSTILE, fake_translator), "html")
    parsed = parse(page)
    assert parsed.scripts == 1  # ours only
    assert parsed.external == []  # self-contained: nothing to fetch
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert parsed.spans["fr"] == parsed.spans["en"] == ["0", "1", "2"]


def test_pairs_match_the_json_and_summary_is_marked(fake_translator: FakeTranslator) -> None:
    result = translate_file(EXAMPLE, fake_translator, Request(mode="both"))
    data = result_to_dict(result)
    sentences = [s for paragraph in data["paragraphs"] for s in paragraph]
    shown = [s for s in sentences if s["status"] != "skipped"]
    parsed = parse(render(result, "html"))
    assert parsed.spans["en"] == parsed.spans["fr"] == ["0"] + [str(s["id"]) for s in shown]
    assert [i for i, c in parsed.classes.items() if "key" in c] == [
        str(item["id"]) for item in data["summary"]
    ]
    with_furniture = parse(render(result, "html", keep_boilerplate=True))
    assert len(with_furniture.spans["en"]) == 1 + len(sentences)
    skipped = [str(s["id"]) for s in sentences if s["status"] == "skipped"]
    assert skipped and all("skipped" in with_furniture.classes[i] for i in skipped)
    footer = "".join(parsed.text)
    assert "Translated by fake/model@main with fake on cpu" in footer


@pytest.mark.browser
def test_page_in_a_realbrowser(tmp_path: Path, use_fake: FakeTranslator) -> None:
    page = tmp_path / "example.html"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    rendered = CliRunner().invoke(
        app, [str(EXAMPLE), "-f", "html", "-o", str(page), "--summary", "--full"]
    )
    assert rendered.exit_code == 0, rendered.stderr
    as_json = CliRunner().invoke(app, [str(EXAMPLE), "-f", "json", "--summary", "--full"])
    import json

    data = json.loads(as_json.stdout)
    shown = [s for p in data["paragraphs"] for s in p if s["status"] != "skipped"]

    dom = browser("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    parsed = parse(dom.stdout)  # the DOM as the browser built it
    assert len(parsed.spans["en"]) == len(parsed.spans["fr"]) == 1 + len(shown)

    screenshot = Path(__file__).resolve().parents[1] / "test-artifacts" / "html_view.png"
    screenshot.parent.mkdir(exist_ok=True)
    screenshot.unlink(missing_ok=True)
    shot = browser(f"--screenshot={screenshot}", "--window-size=1280,1600", page.as_uri())
    assert shot.returncode == 0, shot.stderr
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one

    hostile_page = tmp_path / "hostile.html"
    CliRunner().invoke(app, [str(hostile), "-f", "html", "-o", str(hostile_page)])
    hostile_dom = browser("--dump-dom", hostile_page.as_uri()).stdout
    assert "<title>EN&lt;Le &lt;script&gt;" in hostile_dom  # never ran: title unchanged
    assert "pwned</title>" not in hostile_dom


HOVER_TEST = """
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector('.fr .s[data-id="3"]').dispatchEvent(new MouseEvent("mouseenter"));
  document.querySelector('.en .s[data-id="5"]').click();
});
"""


@pytest.mark.browser
def test_hover_and_click_highlight_the_counterpart(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    """Our script, run by the browser: events on one column light up both (a test script
    appended to the page, and allowed by hash, dispatches them)."""
    import base64
    import hashlib

    page = tmp_path / "page.html"
    CliRunner().invoke(app, [str(EXAMPLE), "-f", "html", "-o", str(page)])
    html = page.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(HOVER_TEST.encode()).digest()).decode()
    html = html.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    html = html.replace("</body>", f"<script>{HOVER_TEST}</script></body>")
    page.write_text(html, encoding="utf-8")
    dom = browser("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    lit = sorted(
        (column, data_id)
        for column in ("fr", "en")
        for data_id, classes in _column_classes(dom.stdout, column).items()
        if "hl" in classes
    )
    assert lit == [("en", "3"), ("en", "5"), ("fr", "3"), ("fr", "5")]


def _column_classes(page: str, column: str) -> dict[str, list[str]]:
    """data-id -> classes of the sentence spans in one column."""

    class Spans(_Pairs):
        def __init__(self) -> None:
            super().__init__()
            self.found: dict[str, list[str]] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            classes = (values.get("class") or "").split()
            in_column = bool(self.columns) and self.columns[-1] == column
            if tag == "span" and in_column and "s" in classes and values.get("data-id"):
                self.found[str(values["data-id"])] = classes
            super().handle_starttag(tag, attrs)

    parser = Spans()
    parser.feed(page)
    return parser.found


LAYOUT_CHECK = """
document.addEventListener("DOMContentLoaded", () => {
  const head = document.querySelector(".columns-head");
  window.scrollTo(0, document.body.scrollHeight / 2);
  const top = Math.round(head.getBoundingClientRect().top);
  const links = [...document.querySelectorAll(".summary a[href^='#s-']")];
  const resolved = links.filter((a) => {
    const target = document.querySelector(a.getAttribute("href"));
    return target && target.classList.contains("s") && target.closest(".en");
  }).length;
  const backs = [...document.querySelectorAll("a.back")]
    .filter((a) => document.querySelector(a.getAttribute("href"))).length;
  const font = getComputedStyle(document.body).fontFamily.split(",")[0].trim();
  const flagged = [...document.querySelectorAll(".en .s.flag")];
  flagged[0].focus();
  const focused = document.activeElement === flagged[0] && flagged[0].title.includes("check ");
  const counted = document.querySelector(".to-check").textContent;
  document.body.dataset.check = [getComputedStyle(head).position, top, links.length,
    resolved, backs, font, flagged.length, focused, counted].join("|");
});
"""


@pytest.mark.browser
def test_finished_page_sticky_headers_summary_links_and_screenshots(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    import base64
    import hashlib
    import re

    page = tmp_path / "page.html"
    result = CliRunner().invoke(
        app, [str(EXAMPLE), "-f", "html", "-o", str(page), "--summary", "--full"]
    )
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<div>Français</div><div>English</div>" in html
    assert "prefers-color-scheme: dark" in html and "@media print" in html
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    for width, height in ((1400, 1800), (390, 2400)):
        shot = artifacts / f"html_view_{width}.png"
        shot.unlink(missing_ok=True)
        done = browser(f"--screenshot={shot}", f"--window-size={width},{height}", page.as_uri())
        assert done.returncode == 0, done.stderr
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    digest = base64.b64encode(hashlib.sha256(LAYOUT_CHECK.encode()).digest()).decode()
    html = html.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    page.write_text(html.replace("</body>", f"<script>{LAYOUT_CHECK}</script></body>"), "utf-8")
    dom = browser("--dump-dom", "--window-size=1400,700", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    check = re.search(r'data-check="([^"]*)"', dom.stdout)
    assert check is not None, dom.stdout[-500:]
    position, top, links, resolved, backs, font, flagged, focused, counted = check.group(1).split(
        "|"
    )
    assert (position, top) == ("sticky", "0")  # the column headers stay on screen
    assert links == resolved == backs == "3"  # summary -> sentence, and back
    assert font == "system-ui"
    # the fake's EN<...> copies of French sentences are flagged `untranslated`: marked, counted,
    # and their reason reachable by keyboard
    data = json.loads(CliRunner().invoke(app, [str(EXAMPLE), "-f", "json"]).stdout)
    expected = sum(bool(s["flags"]) for p in data["paragraphs"] for s in p)
    expected += bool(data["title"] and check_translation(data["title"]["source"],
                                                         data["title"]["target"]))  # fmt: skip
    assert int(flagged) == expected > 0 and focused == "true"
    assert counted == f"{expected} sentences to check"


NARROW_CHECK = """
document.addEventListener("DOMContentLoaded", () => {
  const both = document.querySelector(".en .s.key.flag");
  const style = both ? getComputedStyle(both) : null;
  document.body.dataset.check = [document.documentElement.scrollWidth, window.innerWidth,
    style ? style.borderBottomStyle : "missing", style ? style.textDecorationStyle : ""].join("|");
});
"""


@pytest.mark.browser
def test_a_long_address_wraps_at_phone_width_and_a_key_flagged_headline_has_one_line(
    tmp_path: Path, use_fake: FakeTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64
    import hashlib
    import re

    def losing_numbers(sentences: list[str]) -> list[str]:  # every number flagged as lost
        return [f"EN<{re.sub(r'[0-9]', '', sentence)}>" for sentence in sentences]

    monkeypatch.setattr(use_fake, "translate", losing_numbers)

    long_address = "https://www.example.fr/" + "tres-long-chemin-" * 12 + "article.html"
    article = tmp_path / "a.txt"
    article.write_text(
        "Le sommet de 2026 réunit 12 pays\n\n"
        f"Le compte rendu complet des 12 pays est en ligne à {long_address} depuis hier. "
        f"Anticonstitutionnellement{'ment' * 20} fut le mot du jour.\n",
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    result = CliRunner().invoke(
        app, [str(article), "-f", "html", "-o", str(page), "--summary", "--full", "--ratio", "1"]
    )
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(NARROW_CHECK.encode()).digest()).decode()
    html = html.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    page.write_text(html.replace("</body>", f"<script>{NARROW_CHECK}</script></body>"), "utf-8")
    dom = browser("--dump-dom", "--window-size=390,800", page.as_uri())
    check = re.search(r'data-check="([^"]*)"', dom.stdout)
    assert check is not None, dom.stdout[-500:]
    scroll_width, inner_width, border, decoration = check.group(1).split("|")
    assert int(scroll_width) <= int(inner_width)  # nothing pushes the page sideways
    assert (border, decoration) == ("none", "wavy")  # one underline, not two stacked
