import codecs

import pytest

from translate_news.errors import InputError
from translate_news.inputs.reading import decode_bytes, read_input

FRENCH = "Le président a déclaré à l’Élysée : « Ça suffit », côté cœur.\nDeuxième ligne."


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8 with BOM"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (FRENCH.replace("’", "'").replace("œ", "oe").encode("latin-1"), "latin-1"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf-16 LE"),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16 BE"),
    ],
)
def test_decodes_french_in_common_encodings(data: bytes, name: str) -> None:
    expected = FRENCH if name != "latin-1" else FRENCH.replace("’", "'").replace("œ", "oe")
    assert decode_bytes(data, name) == expected


def test_windows_and_old_mac_newlines_parse_like_unix_ones() -> None:
    from translate_news.text.cleaning import prepare_article

    text = decode_bytes(b"Titre\r\n\r\nUn. Deux.\rTrois.\n", "x")
    unix = prepare_article("Titre\n\nUn. Deux.\nTrois.\n")
    assert prepare_article(text) == unix
    assert [[s.source for s in p.sentences] for p in unix.paragraphs] == [
        ["Un.", "Deux."],
        ["Trois."],
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.txt: input is empty; fix: pass a file that contains an article"),
        (b"  \n\t\n", "x.txt: input is empty; fix: pass a file that contains an article"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "x.txt: looks like a binary file, not text; fix: pass a UTF-8 "
            "(or Windows-1252/Latin-1/UTF-16) French text file",
        ),
    ],
)
def test_refuses_empty_and_binary(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "x.txt")
    assert caught.value.one_line() == message


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(InputError, match=r"nope.txt: no such file; fix: check the path"):
        read_input(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"is a folder"):
        read_input(tmp_path)


def test_reads_a_file_without_changing_it(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    before = path.read_bytes()
    assert read_input(path) == FRENCH
    assert path.read_bytes() == before
