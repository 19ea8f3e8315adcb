"""PDF and Word inputs: paragraphs rebuilt as a reader sees them, nothing lost, bad files one
line each (fixtures built by tests/documents.py from OrangeSum articles)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from documents import (
    RELATIONSHIP_NS,
    WORD_NS,
    articles,
    body_of,
    build_docx,
    build_pdf,
    latin_1,
)
from translate_news.cli import app
from translate_news.errors import InputError
from translate_news.inputs import read_source

E = "translate-news: error: "
runner = CliRunner()


def words_in_json(document: dict) -> list[str]:
    """Every word of the title and of every sentence's `source`, in order."""
    texts = [document["title"]["source"]] if document["title"] else []
    texts += [sentence["source"] for paragraph in document["paragraphs"] for sentence in paragraph]
    return " ".join(texts).split()


def json_of(path: Path, *args: str) -> dict:
    result = runner.invoke(app, [str(path), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def long_article() -> dict:
    return articles()[2]  # 18 paragraphs: three pages


@pytest.mark.parametrize("columns", [1, 2])
def test_pdf_paragraphs_title_and_furniture(
    tmp_path: Path, long_article: dict, columns: int
) -> None:
    fixture = build_pdf(
        tmp_path / "a.pdf", long_article["paragraphs"], title=long_article["title"],
        columns=columns, header="Communiqué de presse - Ministère du Travail",
        page_numbers=True, hyphenate=True, headings={3: "Les syndicats appellent à la grève"},
    )  # fmt: skip
    assert fixture.pages >= 3 and len(fixture.breaks) >= 8
    page = read_source(fixture.path)
    assert page.text.split("\n", 1)[0] == fixture.title == page.metadata["title"]
    assert body_of(page) == fixture.paragraphs  # hyphenated words joined, compounds kept
    assert page.origins[0] == {"page": 1, "kind": "title"}
    kinds = [origin["kind"] for origin in page.origins if not origin.get("furniture")]
    assert kinds.count("heading") == 1
    furniture = [line for line, origin in zip(page.text.split("\n\n"), page.origins, strict=True)
                 if origin.get("furniture")]  # fmt: skip
    assert sorted(furniture) == sorted(fixture.furniture)  # every header and number, no more


def test_pdf_hyphenation_joins_words_and_keeps_compounds(tmp_path: Path) -> None:
    breaks, text = [], ""
    for number, article in enumerate(articles()):  # narrow columns: many broken words
        paragraphs = [latin_1(text) for text in article["paragraphs"]]
        fixture = build_pdf(tmp_path / f"{number}.pdf", paragraphs, columns=2, hyphenate=True)
        breaks += fixture.breaks
        text += read_source(fixture.path).text
    kept = [(end, start) for end, start, keeps in breaks if keeps]  # porte-/parole, Jean-/Luc
    joined = [(end, start) for end, start, keeps in breaks if not keeps]  # gouverne-/ment
    assert len(kept) >= 5 and len(joined) >= 30
    for end, start in joined:
        assert f"{end[:-1]}{start}" in text and f"{end}\n" not in text
    for end, start in kept:
        assert f"{end}{start}" in text


def test_pdf_translation_drops_furniture_and_keeps_every_word_in_json(
    tmp_path: Path, long_article: dict, use_fake
) -> None:
    fixture = build_pdf(
        tmp_path / "a.pdf", long_article["paragraphs"], title=long_article["title"],
        header="Communiqué de presse", page_numbers=True, hyphenate=True,
    )  # fmt: skip
    assert fixture.pages >= 3
    text = runner.invoke(app, [str(fixture.path)])
    assert text.exit_code == 0, text.output
    assert "Communiqué de presse" not in text.stdout and "Page 1" not in text.stdout
    assert text.stdout.startswith("EN<Réforme des retraites: qui fera grève le 5 décembre?>\n\nEN<")
    document = json_of(fixture.path)
    assert words_in_json(document) == read_source(fixture.path).text.split()
    origins = document["origins"]
    assert origins["title"] == {"page": 1, "kind": "title"}
    assert len(origins["paragraphs"]) == len(document["paragraphs"])
    skipped = [paragraph for paragraph, origin in zip(document["paragraphs"], origins["paragraphs"],
               strict=True) if origin.get("furniture")]  # fmt: skip
    assert skipped and all(s["status"] == "skipped" and s["reason"].startswith("page furniture")
                           for paragraph in skipped for s in paragraph)  # fmt: skip


def test_docx_pieces_in_reading_order(tmp_path: Path) -> None:
    fixture = build_docx(tmp_path / "a.docx", articles()[0])
    page = read_source(fixture.path)
    lines = [line for line in page.text.split("\n") if line.strip()]
    assert lines[0] == fixture.title == page.metadata["title"]
    assert lines[1:] == fixture.paragraphs
    assert [origin["kind"] for origin in page.origins[1:]] == fixture.kinds
    parts = [origin["part"] for origin in page.origins]
    assert parts[:2] == ["body", "header"] and parts[-2:] == ["footnote", "footer"]
    cell = next(origin for origin in page.origins if origin["kind"] == "table cell")
    assert {key: cell[key] for key in ("table", "row", "cell")} == {"table": 1, "row": 1, "cell": 1}


def test_docx_every_word_in_json(tmp_path: Path, use_fake) -> None:
    fixture = build_docx(tmp_path / "a.docx", articles()[1])
    document = json_of(fixture.path)
    assert words_in_json(document) == read_source(fixture.path).text.split()
    assert document["title"]["source"] == fixture.title
    assert document["origins"]["title"]["kind"] == "title"


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


def _error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path)
    return caught.value.one_line()


def test_bad_documents_are_one_line_each(tmp_path: Path) -> None:
    good = build_pdf(tmp_path / "good.pdf", [latin_1(articles()[0]["paragraphs"][0])]).path
    cases = {
        "truncated.pdf": good.read_bytes()[: len(good.read_bytes()) // 2],
        "scan.pdf": None,
        "notword.docx": _zip({"notes.txt": b"bonjour"}),
        "plain.docx": b"Ceci n'est pas un document Word.",
        "bomb.docx": _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"0" * 20_000_000}),
        "cut.docx": None,
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "release.odt": _zip(
            {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
        ),
    }
    build_pdf(tmp_path / "scan.pdf", [], scan_pages=2)
    docx = build_docx(tmp_path / "whole.docx", articles()[0]).path.read_bytes()
    cases["cut.docx"] = docx[: len(docx) // 2]
    for name, data in cases.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    expected = {
        "truncated.pdf": "is a truncated PDF (it has no end); fix: open it in a PDF viewer and "
        "save or export it again, or pass its text",
        "scan.pdf": "has no text layer (a scan?); fix: run OCR on it first "
        "(ocrmypdf in.pdf out.pdf)",
        "notword.docx": "is a zip file but not a Word document; fix: save it as a Word document "
        "(.docx) from Word or LibreOffice",
        "plain.docx": "is not a Word document (not a zip file); fix: save it as a Word document "
        "(.docx) from Word or LibreOffice",
        "bomb.docx": "inflates to 20,000,004 bytes in 2 parts, over the 10,000,000-byte limit "
        "(a zip bomb?); fix: pass --max-bytes with a larger limit if the file is genuine",
        "cut.docx": "is not a Word document (not a zip file); fix: save it as a Word document "
        "(.docx) from Word or LibreOffice",
        "old.doc": "is an old Word (.doc) or Office file; fix: save it as .docx "
        "(soffice --headless --convert-to docx FILE)",
        "release.odt": "is an OpenDocument file (.odt), not a Word document; fix: save it as "
        ".docx (soffice --headless --convert-to docx FILE)",
    }
    for name, line in expected.items():
        assert _error(tmp_path / name) == f"{tmp_path / name}: {line}"


def test_a_zip_member_zipfile_cannot_read_is_one_line(tmp_path: Path) -> None:
    data = bytearray(_zip({"mimetype": b"application/x", "[Content_Types].xml": b"<x/>"},
                          zipfile.ZIP_STORED))  # fmt: skip
    data[4:6] = (118).to_bytes(2, "little")  # "version needed to extract": 11.8
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x01\x02"))  # the first entry
    data[central + 6 : central + 8] = (118).to_bytes(2, "little")
    (tmp_path / "odd.docx").write_bytes(bytes(data))
    assert _error(tmp_path / "odd.docx") == (
        f"{tmp_path / 'odd.docx'}: is a damaged Word document (zip file version 11.8); fix: "
        "save it as a Word document (.docx) from Word or LibreOffice"
    )


def test_password_and_page_cap(tmp_path: Path) -> None:
    from fpdf import FPDF

    locked = FPDF()
    locked.set_encryption(owner_password="o", user_password="secret")
    locked.add_page()
    locked.set_font("Helvetica", size=11)
    locked.text(20, 20, "Le ministre a parlé.")
    locked.output(str(tmp_path / "locked.pdf"))
    assert _error(tmp_path / "locked.pdf") == (
        f"{tmp_path / 'locked.pdf'}: is protected by a password; fix: remove it first "
        "(qpdf --decrypt --password=PASSWORD in.pdf out.pdf)"
    )
    book = FPDF()
    book.set_font("Helvetica", size=11)
    for number in range(2000):
        book.add_page()
        book.text(20, 20, f"Page {number}")
    book.output(str(tmp_path / "book.pdf"))
    assert _error(tmp_path / "book.pdf") == (
        f"{tmp_path / 'book.pdf'}: has 2,000 pages, over the 500-page limit for an article; "
        "fix: split it (qpdf in.pdf --pages . 1-50 -- part.pdf) and pass the parts"
    )


def test_scanned_pages_among_text_are_a_warning(tmp_path: Path, use_fake) -> None:
    fixture = build_pdf(tmp_path / "mixed.pdf", [latin_1(articles()[0]["paragraphs"][0])],
                        scan_pages=2)  # fmt: skip
    result = runner.invoke(app, [str(fixture.path)])
    assert result.exit_code == 0
    assert (f"{fixture.path}: pages 2, 3 of 3 have no text layer (scans?) and are not read; "
            "run OCR (ocrmypdf) to read them") in result.stderr  # fmt: skip


def test_documents_by_content_not_name(tmp_path: Path, use_fake) -> None:
    fixture = build_pdf(tmp_path / "a.pdf", [latin_1(articles()[0]["paragraphs"][0])])
    renamed = tmp_path / "communique.txt"
    renamed.write_bytes(fixture.path.read_bytes())
    assert read_source(renamed).text == read_source(fixture.path).text
    piped = runner.invoke(app, ["-"], input=fixture.path.read_bytes())
    assert piped.exit_code == 0 and piped.stdout.startswith("EN<")


def test_folder_run_reads_documents_and_goes_on_past_bad_ones(tmp_path: Path, use_fake) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    build_pdf(folder / "one.pdf", [latin_1(articles()[0]["paragraphs"][0])])
    build_docx(folder / "two.docx", articles()[1])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n")
    (folder / "fake.docx").write_bytes(_zip({"a.txt": b"x"}))
    result = runner.invoke(app, [str(folder), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    outputs = sorted(path.name for path in (tmp_path / "out").iterdir() if path.suffix == ".txt")
    assert outputs == ["one.en.txt", "two.en.txt"]
    errors = [line for line in result.stderr.splitlines() if line.startswith(E)]
    assert len(errors) == 2 and re.search(r"broken\.pdf: is a truncated PDF", errors[0] + errors[1])


def _structure(document) -> dict:
    """What a translated copy must keep: styles of every paragraph, tables' shapes, header
    and footer paragraphs, and which runs are bold or italic (by position)."""
    return {
        "styles": [p.style.name for p in document.paragraphs],
        "tables": [
            (len(t.rows), len(t.columns), t.style.name if t.style else None)
            for t in document.tables
        ],
        "header": [p.style.name for p in document.sections[0].header.paragraphs],
        "footer": [p.style.name for p in document.sections[0].footer.paragraphs],
    }


def test_docx_copy_keeps_layout_and_translates_every_piece(tmp_path: Path, use_fake) -> None:
    import docx

    fixture = build_docx(tmp_path / "in.docx", articles()[0])
    before = fixture.path.read_bytes()
    out = tmp_path / "out.en.docx"
    result = runner.invoke(app, [str(fixture.path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert fixture.path.read_bytes() == before  # the input is never touched
    source, copy = docx.Document(str(fixture.path)), docx.Document(str(out))
    assert _structure(copy) == _structure(source)
    translated = read_source(out)  # the copy read back: every piece is the English
    lines = [line for line in translated.text.split("\n") if line.strip()]
    from translate_news import translate_file
    from translate_news.testing import MarkingTranslator

    expected = translate_file(fixture.path, MarkingTranslator()).article
    assert lines == [expected.title.target] + [
        " ".join(sentence.output_text() for sentence in paragraph.sentences)
        for paragraph in expected.paragraphs
    ]
    assert all(line.startswith("EN<") for line in lines)
    assert [o["kind"] for o in translated.origins] == [
        o["kind"] for o in read_source(fixture.path).origins
    ]
    bold = [run.text for p in copy.paragraphs for run in p.runs if run.bold]
    italic = [run.text for p in copy.paragraphs for run in p.runs if run.italic]
    assert bold == fixture.bold and italic == fixture.italic  # on the very words they covered


class Rewording:
    """A translator whose output keeps no source words: formatting cannot be aligned."""

    name = "fake"

    def translate(self, sentences: list[str]) -> list[str]:
        return [f"English sentence {len(sentence)}." for sentence in sentences]

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def provenance(self) -> dict:
        return {"id": "fake/model", "revision": "main", "backend": "fake", "device": "cpu"}


def test_docx_copy_puts_unaligned_formatting_on_the_whole_sentence(tmp_path: Path) -> None:
    import docx

    from translate_news import render, translate_file

    fixture = build_docx(tmp_path / "in.docx", articles()[0])
    result = translate_file(fixture.path, Rewording())
    out = tmp_path / "out.docx"
    out.write_bytes(render(result, "docx"))
    paragraph = docx.Document(str(out)).paragraphs[2]  # the one with three bold words
    first = next(p for p in result.article.paragraphs if p.origin["kind"] == "paragraph"
                 and p.origin["part"] == "body")  # fmt: skip
    first_sentence = first.sentences[0]
    runs = [(run.text, run.bold) for run in paragraph.runs]
    assert runs[0] == (first_sentence.target, True)  # the bold words' sentence, all bold
    assert all(not bold for _, bold in runs[1:])


def test_docx_from_other_inputs_and_bilingual(tmp_path: Path, use_fake) -> None:
    import docx

    source = tmp_path / "a.txt"
    source.write_text("Le sommet s'ouvre\n\nLe président est arrivé. Il parle demain.\n\n"
                      "Les ministres suivent.\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "a.en.docx"
    assert runner.invoke(app, [str(source), "-o", str(out), "--summary", "--full",
                               "--sentences", "1"]).exit_code == 0  # fmt: skip
    document = docx.Document(str(out))
    rows = [(p.style.name, p.text) for p in document.paragraphs]
    assert rows[0] == ("Title", "EN<Le sommet s'ouvre>")
    assert rows[1] == ("Heading 1", "Summary") and rows[2][0] == "List Bullet"
    assert rows[3:] == [("Normal", "EN<Le président est arrivé.> EN<Il parle demain.>"),
                        ("Normal", "EN<Les ministres suivent.>")]  # fmt: skip
    bilingual = tmp_path / "b.docx"
    assert runner.invoke(app, [str(source), "-o", str(bilingual), "--bilingual"]).exit_code == 0
    table = docx.Document(str(bilingual)).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Français", "English"],
        ["Le président est arrivé. Il parle demain.",
         "EN<Le président est arrivé.> EN<Il parle demain.>"],
        ["Les ministres suivent.", "EN<Les ministres suivent.>"],
    ]  # fmt: skip
    refused = runner.invoke(app, [str(source), "--bilingual"])
    assert refused.exit_code == 2
    assert refused.stderr == (f"{E}--bilingual with -f text; fix: use it with -f docx "
                              "(the html format is always bilingual)\n")  # fmt: skip


def test_docx_to_a_terminal_is_refused(tmp_path: Path, use_fake, monkeypatch) -> None:
    import sys

    source = tmp_path / "a.txt"
    source.write_text("Le président est arrivé.\n", encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from translate_news.errors import UsageError
    from translate_news.folders.atomic import write_stdout

    with pytest.raises(UsageError) as caught:
        write_stdout(b"PK")
    assert caught.value.one_line() == (
        "<stdout>: is a terminal, and this format is a binary file; fix: pass -o FILE with "
        "the format's extension (e.g. -o article.en.docx)"
    )
    piped = runner.invoke(app, [str(source), "-f", "docx"])  # CliRunner's stdout is no terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK\x03\x04")


def test_folder_run_writes_docx_outputs(tmp_path: Path, use_fake) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    build_docx(folder / "release.docx", articles()[0])
    (folder / "note.txt").write_text("Le président est arrivé.\n", encoding="utf-8")
    result = runner.invoke(app, [str(folder), "-o", str(tmp_path / "out"), "-f", "docx", "-q"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert "release.en.docx" in names and "note.en.docx" in names
    copy = read_source(tmp_path / "out" / "release.en.docx")
    assert copy.text.startswith("EN<")


OFFICE_MISSING = "no LibreOffice installed (Debian's libreoffice-writer-nogui)"


def _libreoffice(source: Path, target_format: str, out: Path) -> Path:
    """`source` converted by LibreOffice (a file as a real word processor writes it)."""
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip(OFFICE_MISSING)
    profile = out / "profile"  # its own profile: no state shared with another run
    subprocess.run(
        [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         target_format, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / f"{source.stem}.{target_format.split(':')[0]}"
    assert converted.exists()
    return converted


@pytest.mark.office
def test_libreoffice_docx_is_read_and_copied_with_its_layout(tmp_path: Path, use_fake) -> None:
    import docx

    fixture = build_docx(tmp_path / "made.docx", articles()[0])
    odt = _libreoffice(fixture.path, "odt", tmp_path / "odt")
    written = _libreoffice(odt, "docx:MS Word 2007 XML", tmp_path / "docx")
    page = read_source(written)
    lines = [line for line in page.text.split("\n") if line.strip()]
    assert lines == [fixture.title, *fixture.paragraphs]
    assert [origin["kind"] for origin in page.origins[1:]] == fixture.kinds
    out = tmp_path / "copy.en.docx"
    assert runner.invoke(app, [str(written), "-o", str(out)]).exit_code == 0
    assert _structure(docx.Document(str(out))) == _structure(docx.Document(str(written)))
    assert all(line.startswith("EN<") for line in read_source(out).text.split("\n") if line)


@pytest.mark.office
def test_libreoffice_pdf_paragraphs_and_header(tmp_path: Path) -> None:
    import docx

    article = articles()[2]
    document = docx.Document()
    document.add_paragraph(article["title"], style="Title")
    for text in article["paragraphs"]:
        document.add_paragraph(text)
    document.sections[0].header.paragraphs[0].text = "Communiqué de presse"
    document.save(str(tmp_path / "long.docx"))
    pdf = _libreoffice(tmp_path / "long.docx", "pdf", tmp_path / "pdf")
    page = read_source(pdf)
    assert page.text.split("\n", 1)[0] == article["title"]
    assert body_of(page) == article["paragraphs"]
    headers = [o for o in page.origins if o.get("kind") == "header"]
    assert len(headers) >= 3 and all(o["furniture"].startswith("a running header") for o in headers)


def _pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is `content`, Flate-compressed."""
    import zlib

    packed = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]  # fmt: skip
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_pdf_decompression_bomb_is_refused_before_it_inflates(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf_with_content(b" " * 20_000_000))  # 20 MB of spaces in ~20 kB
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError) as caught:
        read_source(bomb, max_bytes=1_000_000)
    assert caught.value.one_line() == (
        f"{bomb}: its compressed text streams inflate past 10,000,000 bytes (a decompression "
        "bomb?); fix: pass --max-bytes with a larger limit if the file is genuine"
    )
    text = b"BT /F1 12 Tf 72 700 Td (Le ministre a parle.) Tj ET"
    (tmp_path / "fine.pdf").write_bytes(_pdf_with_content(text))
    fine = read_source(tmp_path / "fine.pdf", max_bytes=1_000_000)  # a small stream: read
    assert fine.text == "Le ministre a parle.\n"


def test_docx_copy_with_a_summary_puts_it_under_the_headline(tmp_path: Path, use_fake) -> None:
    import docx

    fixture = build_docx(tmp_path / "in.docx", articles()[0])
    out = tmp_path / "both.docx"
    result = runner.invoke(app, [str(fixture.path), "-o", str(out), "-s", "--full",
                                 "--sentences", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    assert rows[0][0] == "Title" and rows[1] == ("Heading 1", "Summary")
    assert [style for style, _ in rows[2:4]] == ["List Bullet", "List Bullet"]
    assert all(text.startswith("EN<") for _, text in rows[2:4])
    assert rows[4] == ("Heading 1", "EN<Ce que dit le texte>")  # then the document as it was


@pytest.mark.parametrize("number", range(4))
@pytest.mark.parametrize("kind", ["pdf, one column", "pdf, two columns", "docx"])
def test_nothing_is_lost_on_any_fixture(tmp_path: Path, number: int, kind: str) -> None:
    """Title and every sentence's `source`, joined, hold every word the reader found."""
    from translate_news import result_to_dict, translate_file
    from translate_news.testing import MarkingTranslator

    article = articles()[number]
    if kind == "docx":
        path = build_docx(tmp_path / "a.docx", article).path
    else:
        path = build_pdf(
            tmp_path / "a.pdf", list(article["paragraphs"]), title=article["title"],
            columns=2 if "two" in kind else 1, header="Communiqué", page_numbers=True,
            hyphenate=True,
        ).path  # fmt: skip
    document = result_to_dict(translate_file(path, MarkingTranslator()))
    assert words_in_json(document) == read_source(path).text.split()
    paragraphs = article["paragraphs"][:4] if kind == "docx" else article["paragraphs"]
    found = " ".join(s["source"] for p in document["paragraphs"] for s in p)
    for text in paragraphs:  # each of the article's paragraphs whole, in the sources
        assert (text if kind == "docx" else latin_1(text)) in found


def test_docx_copy_leaves_untranslated_pieces_as_they_were(tmp_path: Path, use_fake) -> None:
    import docx
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("Le ministre a présenté la réforme mercredi à Paris.")
    link = document.add_paragraph()
    link.add_run("https://www.justice.gouv.fr").bold = True  # an address: kept as it is
    figures = document.add_paragraph("2019 - 2022")  # no letters: kept
    source = tmp_path / "in.docx"
    document.save(str(source))
    before = [etree.tostring(p._p) for p in (link, figures)]
    out = tmp_path / "out.docx"
    assert runner.invoke(app, [str(source), "-o", str(out)]).exit_code == 0
    copy = docx.Document(str(out)).paragraphs
    assert copy[0].text == "EN<Le ministre a présenté la réforme mercredi à Paris.>"
    assert [etree.tostring(p._p) for p in copy[1:]] == before


def test_docx_copy_keeps_a_link_on_its_words(tmp_path: Path, use_fake) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Le rapport est publié sur ")
    rel = document.part.relate_to("https://www.justice.gouv.fr", RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)  # fmt: skip
    paragraph._p.append(parse_xml(
        f'<w:hyperlink xmlns:w="{WORD_NS}" xmlns:r="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships" r:id="{rel}"><w:r><w:rPr><w:u w:val="single"/>'
        "</w:rPr><w:t>justice.gouv.fr</w:t></w:r></w:hyperlink>"
    ))  # fmt: skip
    paragraph.add_run(" depuis ce matin.")
    source = tmp_path / "in.docx"
    document.save(str(source))
    out = tmp_path / "out.docx"
    assert runner.invoke(app, [str(source), "-o", str(out)]).exit_code == 0
    copy = docx.Document(str(out)).paragraphs[0]
    links = copy._p.findall(f"{{{WORD_NS}}}hyperlink")
    assert [link.xpath("string(.)") for link in links] == ["justice.gouv.fr"]
    assert links[0].get(f"{{{RELATIONSHIP_NS}}}id") == rel
    assert copy.text == "EN<Le rapport est publié sur justice.gouv.fr depuis ce matin.>"
