"""Pathological inputs at 1x, 10x and 100x their size: the text path's cost must grow linearly.

    python benchmarks/pathological.py [--scales 1 10 100]

Each input goes through what a run does before the model (reading, cleaning, segmentation
with the over-long sentence split, the summary) or, for HTML, the article extractor, for PDF
and Word files their reader first (PDFs of 1, 10, 100 pages: fixtures of tests/documents.py,
which needs the [dev] extra's fpdf2). Times
are CPU seconds; memory is the traced peak (tracemalloc, numpy included). The last column is
the cost from 10x to 100x divided by 10: 1.0 is linear, the bar is 1.5.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from translate_news.errors import InputError
from translate_news.inputs import decode_document
from translate_news.inputs.html import extract_article
from translate_news.inputs.reading import decode_bytes
from translate_news.options import SummaryOptions
from translate_news.summary.select import summarize_article
from translate_news.text.cleaning import prepare_article

WORDS = [
    "le",
    "gouvernement",
    "a",
    "annoncé",
    "de",
    "nouvelles",
    "mesures",
    "pour",
    "les",
    "régions",
    "touchées",
]


def words(count: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] + str(i % 97) for i in range(count))


def text_path(text: str) -> None:
    article = prepare_article(
        decode_bytes(text.encode("utf-8"), "x.txt"),
        count_tokens=lambda s: len(s.split()),
        max_tokens=250,
    )
    summarize_article(article, "fr", SummaryOptions(sentences=3))


def document_path(data: bytes | str, label: str) -> None:
    """A document's reader, then the text path."""
    assert isinstance(data, bytes)
    page = decode_document(data, label)[0]
    text_path(page.text)


def pdf_pages(pages: int) -> bytes:
    """A PDF of 7 x `pages` paragraphs of news text, about `pages` A4 pages (a running
    header, page numbers, hyphenation)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from documents import articles, build_pdf, latin_1

    paragraphs = [latin_1(text) for article in articles() for text in article["paragraphs"]]
    per_page = 7  # paragraphs of about 60 words fill an A4 page at 10.5 pt
    body = [paragraphs[i % len(paragraphs)] for i in range(per_page * pages)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.pdf"
        build_pdf(path, body, header="Communiqué", page_numbers=True, hyphenate=True)
        return path.read_bytes()


def scattered_words(count: int) -> bytes:
    """One PDF page of 200 x `count` words set apart in a grid (each its own text box)."""
    from fpdf import FPDF

    words = 200 * count
    side = int(words**0.5) + 1
    pitch = 560 / side
    pdf = FPDF(unit="pt", format=(595, 842))
    pdf.add_page()
    pdf.set_font("Helvetica", size=max(0.5, pitch / 6))
    for index in range(words):
        row, column = divmod(index, side)
        pdf.text(15 + column * pitch, 20 + row * pitch, "mot")
    return bytes(pdf.output())


def docx_paragraphs(count: int) -> bytes:
    """A Word file of `count` x 30 paragraphs and a table of `count` x 3 rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("Le gouvernement présente son plan", style="Title")
    for i in range(30 * count):
        document.add_paragraph(f"Le ministre {i} a annoncé jeudi un plan pour la région {i % 13}.")
    table = document.add_table(rows=3 * count, cols=2)
    for i, row in enumerate(table.rows):
        row.cells[0].text, row.cells[1].text = f"Région {i}", f"{i * 1000} euros"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


Make = Callable[[int], "str | bytes"]
CASES: dict[str, tuple[Make, Callable[[str | bytes], None]]] = {
    "one sentence, no punctuation (200 words x)": (lambda n: words(200 * n), text_path),
    "one line of 100 kB x": (lambda n: ("abc" * 33_334 * n)[: 100_000 * n], text_path),
    "one-word lines (1,000 x)": (lambda n: "\n".join(words(1000 * n).split()), text_path),
    "tiny paragraphs (50 x, 1 sentence each)": (
        lambda n: "\n\n".join(f"Le point {i} est noté ici." for i in range(50 * n)),
        text_path,
    ),
    "an article of 15 sentences x": (
        lambda n: (
            "Titre\n\n"
            + "\n\n".join(
                f"Le ministre {i} a annoncé jeudi un plan de relance pour la région {i % 13}."
                for i in range(15 * n)
            )
        ),
        text_path,
    ),
    "abbreviations: 'Voir p. 3 et cf. p. 4, ' (200 x)": (
        lambda n: "Voir p. 3 et cf. p. 4, " * (200 * n),
        text_path,
    ),
    "nested quotes: '« ' * 500 x, a sentence, ' »' * 500 x": (
        lambda n: "« " * (500 * n) + "Bonjour." + " »" * (500 * n),
        text_path,
    ),
    "glued stops: 'a.B' (1,000 x)": (lambda n: "a.B" * (1000 * n), text_path),
    "stops and spaces: '. ' * 1,000 x between words": (
        lambda n: "Il part" + " ." * (1000 * n) + " Puis il revient.",
        text_path,
    ),
    "nested HTML (depth 50 x)": (
        lambda n: (
            "<html><body>"
            + "<div>" * (50 * n)
            + "<p>"
            + words(300)
            + ".</p>"
            + "</div>" * (50 * n)
            + "</body></html>"
        ),
        lambda page: _extract(page),
    ),
    "PDF, 7 paragraphs, about a page (1 x)": (
        pdf_pages,
        lambda data: document_path(data, "x.pdf"),
    ),
    "PDF page of 200 scattered words (1 x), each its own box": (
        scattered_words,
        lambda data: document_path(data, "x.pdf"),
    ),
    "Word file, 30 paragraphs and 3 table rows (1 x)": (
        docx_paragraphs,
        lambda data: document_path(data, "x.docx"),
    ),
}


def _extract(page: str | bytes) -> None:
    assert isinstance(page, str)
    with contextlib.suppress(InputError):  # "no article found" is a bounded outcome too
        extract_article(page.encode("utf-8"), "page.html")


def measure(make: Make, run: Callable[[str | bytes], None], scale: int) -> tuple[float, int]:
    data = make(scale)
    tracemalloc.start()
    started = time.process_time()
    run(data)
    seconds = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    text_path("Un premier essai pour charger les tables. Une autre phrase.")  # lazy imports
    header = "".join(f"{f'{s}x s':>10}{f'{s}x MiB':>10}" for s in args.scales)
    print(f"{'input':<56}{header}{'100x/10x/10':>13}")
    for name, (make, run) in CASES.items():
        row, costs = "", {}
        for scale in args.scales:
            seconds, peak = measure(make, run, scale)
            costs[scale] = seconds
            row += f"{seconds:>10.3f}{peak / 2**20:>10.1f}"
        growth = costs[100] / max(costs[10], 1e-6) / 10 if {10, 100} <= set(costs) else 0.0
        print(f"{name:<56}{row}{growth:>13.2f}")


if __name__ == "__main__":
    main()
