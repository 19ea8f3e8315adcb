"""Reading quality of the PDF and Word readers on fixtures of known text.

    python benchmarks/document_reading.py

Fixtures are built from the OrangeSum articles of tests/data (tests/documents.py, the
[dev] extra's fpdf2): PDFs in one and two columns, with running headers and page numbers,
with words hyphenated at line ends (and compounds broken at their own hyphen), and Word
files (python-docx; when LibreOffice is installed, also the same files written by it, and
PDFs exported by it). Prints, per fixture and in all:

- paragraph boundary F1: where paragraphs begin (as word offsets) against the known ones;
- headers/footers removed: placed header, footer and page-number lines read as furniture
  (and body lines wrongly read as furniture, which count against it);
- hyphenation joins: broken words read back whole, compounds with their hyphen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from documents import articles, body_of, build_docx, build_pdf
from translate_news.inputs import read_source


@dataclass
class Score:
    """Counts a fixture adds to the totals."""

    true_starts: int = 0
    found_starts: int = 0
    right_starts: int = 0
    furniture: int = 0
    removed: int = 0
    wrongly_removed: int = 0
    breaks: int = 0
    joined: int = 0

    def add(self, other: Score) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def f1(self) -> float:
        precision = self.right_starts / max(1, self.found_starts)
        recall = self.right_starts / max(1, self.true_starts)
        return 2 * precision * recall / max(1e-9, precision + recall)


def starts(paragraphs: list[str]) -> tuple[list[str], list[int]]:
    """The words of the paragraphs, and the offsets where paragraphs begin."""
    words: list[str] = []
    offsets = []
    for paragraph in paragraphs:
        offsets.append(len(words))
        words += paragraph.split()
    return words, offsets


def score_paragraphs(expected: list[str], found: list[str]) -> Score:
    """Boundaries found against the known ones, the found words aligned to the known words
    (difflib), so that one extra or missing paragraph costs its own boundary, not all the
    later ones."""
    from difflib import SequenceMatcher

    truth_words, truth = starts(expected)
    found_words, read = starts(found)
    matcher = SequenceMatcher(None, truth_words, found_words, autojunk=False)
    position = {}
    for a, b, size in matcher.get_matching_blocks():
        position.update({b + k: a + k for k in range(size)})
    mapped = {position[offset] for offset in read if offset in position}
    return Score(len(truth), len(read), len(mapped & set(truth)))


def score_pdf(path: Path, expected: list[str], furniture: list[str], breaks: list) -> Score:
    page = read_source(path)
    lines = [line for line in page.text.split("\n") if line.strip()]
    body = body_of(page)
    removed = [line for line, origin in zip(lines, page.origins, strict=True)
               if origin.get("furniture")]  # fmt: skip
    score = score_paragraphs(expected, body)
    score.furniture = len(furniture)
    remaining = list(furniture)
    for line in removed:
        if line in remaining:
            remaining.remove(line)
            score.removed += 1
        else:
            score.wrongly_removed += 1
    text = " ".join(body)
    score.breaks = len(breaks)
    score.joined = sum((end + start if kept else end[:-1] + start) in text
                       for end, start, kept in breaks)  # fmt: skip
    return score


def libreoffice(source: Path, target: str, out: Path) -> Path | None:
    office = shutil.which("soffice")
    if office is None:
        return None
    subprocess.run([office, f"-env:UserInstallation=file://{out}/profile", "--headless",
                    "--convert-to", target, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


def score_exported_pdf(article: dict, out: Path) -> Score:
    """A Word file of the article (title, paragraphs, a running header) exported to PDF by
    LibreOffice, read back."""
    import docx

    document = docx.Document()
    document.add_paragraph(str(article["title"]), style="Title")
    for text in article["paragraphs"]:
        document.add_paragraph(str(text))
    header = "Communiqué de presse - Service de presse"
    document.sections[0].header.paragraphs[0].text = header
    out.mkdir()
    document.save(str(out / "article.docx"))
    exported = libreoffice(out / "article.docx", "pdf", out)
    assert exported is not None
    page = read_source(exported)
    pages = max(origin.get("page", 1) for origin in page.origins)
    expected = [str(text) for text in article["paragraphs"]]
    if pages == 1:  # a header on one page is not running: it is text
        return score_pdf(exported, [header, *expected], [], [])
    return score_pdf(exported, expected, [header] * pages, [])


def main() -> None:
    rows: list[tuple[str, Score]] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, article in enumerate(articles()):
            paragraphs = [str(text) for text in article["paragraphs"]]
            title = str(article["title"])
            for columns in (1, 2):
                path = root / f"{number}-{columns}.pdf"
                fixture = build_pdf(
                    path, paragraphs, title=title, columns=columns, hyphenate=True,
                    header="Communiqué de presse - Service de presse", page_numbers=True,
                    headings={len(paragraphs) // 2: "Les réactions"},
                )  # fmt: skip
                expected, furniture = fixture.paragraphs, fixture.furniture
                if fixture.pages == 1:  # a header on one page is not running: it is text
                    expected = [furniture[0], *expected]
                    furniture = furniture[1:]
                score = score_pdf(path, expected, furniture, fixture.breaks)
                rows.append((f"pdf {columns} col, article {number} ({fixture.pages} p.)", score))
            docx = build_docx(root / f"{number}.docx", article)
            page = read_source(docx.path)
            lines = [line for line in page.text.split("\n") if line.strip()][1:]
            rows.append((f"docx, article {number}", score_paragraphs(docx.paragraphs, lines)))
            written = libreoffice(docx.path, "odt", root / f"odt{number}")
            if written is not None:
                again = libreoffice(written, "docx:MS Word 2007 XML", root / f"lo{number}")
                lines = [line for line in read_source(again).text.split("\n") if line][1:]
                score = score_paragraphs(docx.paragraphs, lines)
                rows.append((f"docx by LibreOffice, article {number}", score))
                rows.append((f"pdf by LibreOffice, article {number}",
                             score_exported_pdf(article, root / f"export{number}")))  # fmt: skip
    total = Score()
    print(f"{'fixture':<40}{'paragraph F1':>14}{'furniture removed':>19}{'hyphen joins':>14}")
    for name, score in rows:
        total.add(score)
        furniture = f"{score.removed}/{score.furniture}" if score.furniture else "-"
        if score.wrongly_removed:
            furniture += f" (+{score.wrongly_removed} wrong)"
        joins = f"{score.joined}/{score.breaks}" if score.breaks else "-"
        print(f"{name:<40}{score.f1():>14.3f}{furniture:>19}{joins:>14}")
    print(
        f"{'all':<40}{total.f1():>14.3f}"
        f"{f'{total.removed}/{total.furniture}':>19}{f'{total.joined}/{total.breaks}':>14}"
        f"   ({len(rows)} fixtures; {total.wrongly_removed} body lines read as furniture)"
    )


if __name__ == "__main__":
    main()
