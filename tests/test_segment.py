import random
import re

import pytest

from conftest import EXAMPLE, all_sources, newstest_lines
from translate_news.errors import UsageError
from translate_news.inputs.reading import read_input
from translate_news.text import segment
from translate_news.text.segment import (
    looks_like_headline,
    parse_article,
    split_long,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Dupont et Mme Durand sont venus. Ils sont repartis.",
            ["M. Dupont et Mme Durand sont venus.", "Ils sont repartis."],
        ),
        (
            "Rome fut fondée en 753 av. J.-C. selon la légende. Le taux est de 3,5 % cette année.",
            [
                "Rome fut fondée en 753 av. J.-C. selon la légende.",
                "Le taux est de 3,5 % cette année.",
            ],
        ),
        (
            "J. K. Rowling a écrit un livre. Il se vend bien.",
            ["J. K. Rowling a écrit un livre.", "Il se vend bien."],
        ),
        (
            "Il a dit : « C'est fini. » Puis il est parti.",
            ["Il a dit : « C'est fini. »", "Puis il est parti."],
        ),
        (
            '"Une base existe déjà pour cela. La structure continue", a souligné le président.',
            [
                '"Une base existe déjà pour cela.',
                'La structure continue", a souligné le président.',
            ],
        ),
        (
            "BICHKEK, 16 août - RIA Novosti. Les Etats de l'OCS doivent renforcer la sécurité.",
            [
                "BICHKEK, 16 août - RIA Novosti.",
                "Les Etats de l'OCS doivent renforcer la sécurité.",
            ],
        ),
        (
            "« Que faire ? » s'est-il demandé. Personne n'a répondu.",
            ["« Que faire ? » s'est-il demandé.", "Personne n'a répondu."],
        ),
    ],
)
def test_french_sentence_splitting(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_example_article_structure() -> None:
    text = read_input(EXAMPLE)
    article = parse_article(text)
    assert article.title is not None
    assert article.title.source.startswith("Le renforcement de la sécurité")
    assert len(article.paragraphs) == 16  # every non-empty line after the headline
    ids = [s.id for s in article.sentences()]
    assert ids == list(range(1, len(ids) + 1))
    zero = [s for s in article.sentences() if s.source == "0"]
    assert len(zero) == 1 and zero[0].status == "kept"
    # Nothing lost: the words of the input, in order, are the words of title + sources.
    words = " ".join([article.title.source, *all_sources(article)]).split()
    assert words == text.split()


def _paragraphs_from_lines(lines: list[str], seed: int = 0) -> list[list[str]]:
    """3-8 lines a paragraph; a line without final punctuation (headline) stands alone."""
    rng = random.Random(seed)
    paragraphs: list[list[str]] = []
    index = 0
    while index < len(lines):
        size, chunk = rng.randint(3, 8), []
        while index < len(lines) and len(chunk) < size:
            line = lines[index]
            index += 1
            if not re.search(r"[.!?…»\"')]\s*$", line):
                if chunk:
                    paragraphs.append(chunk)
                paragraphs.append([line])
                chunk = []
                break
            chunk.append(line)
        if chunk:
            paragraphs.append(chunk)
    return paragraphs


# Measured before the glued-sentence rule and after it: unchanged (2012: 0.9727, 2014: 0.9978).
@pytest.mark.parametrize(("name", "bar"), [("newstest2012.fra", 0.97), ("newstest2014.fra", 0.99)])
def test_splitter_recovers_newstest_line_boundaries(name: str, bar: float) -> None:
    paragraphs = _paragraphs_from_lines(newstest_lines(name))
    true_positive = false_positive = false_negative = 0
    for lines in paragraphs:
        text = " ".join(lines)
        gold, offset = set(), 0
        for line in lines[:-1]:
            offset += len(line) + 1
            gold.add(offset)
        predicted, offset = set(), 0
        pieces = split_sentences(text)
        assert "".join("".join(pieces).split()) == "".join(text.split())  # nothing lost
        for piece in pieces[:-1]:
            offset = text.index(piece, offset) + len(piece)
            while offset < len(text) and text[offset] == " ":
                offset += 1
            predicted.add(offset)
        true_positive += len(gold & predicted)
        false_positive += len(predicted - gold)
        false_negative += len(gold - predicted)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"{name} sentence boundaries: P={precision:.4f} R={recall:.4f} F1={f1:.4f}")
    assert f1 >= bar


def test_long_sentences_are_split_at_clauses_never_truncated() -> None:
    clause = "le gouvernement a annoncé de nouvelles mesures pour les régions touchées"
    sentence = "; ".join([clause] * 12) + "."

    def count(text: str) -> int:
        return len(text.split())

    pieces = split_long(sentence, count, 40)
    assert all(count(piece) <= 40 for piece in pieces)
    assert " ".join(pieces) == sentence
    assert all(piece.endswith((";", ".")) for piece in pieces)


def test_long_sentence_without_spaces_is_cut_not_dropped() -> None:
    blob = "x" * 100
    pieces = split_long(blob, len, 30)
    assert "".join(pieces) == blob
    assert all(len(piece) <= 30 for piece in pieces)


def test_parse_article_splits_long_sentences_with_stable_ids() -> None:
    long = ", ".join(["une phrase assez longue"] * 30) + "."
    article = parse_article(
        f"Titre\n{long}\nFin.", count_tokens=lambda t: len(t.split()), max_tokens=20
    )
    sources = all_sources(article)
    assert len(sources) > 2 and sources[-1] == "Fin."
    assert " ".join(sources[:-1]) == long
    assert [s.id for s in article.sentences()] == list(range(1, len(sources) + 1))


def test_single_line_input_has_no_title() -> None:
    article = parse_article("Bonjour. Au revoir.")
    assert article.title is None
    assert all_sources(article) == ["Bonjour.", "Au revoir."]


def test_a_headline_too_long_for_the_model_is_a_paragraph() -> None:
    text = "Un titre de dix mots qui ne finit jamais vraiment ici\nSuite."
    article = parse_article(text, count_tokens=lambda t: len(t.split()), max_tokens=5)
    assert article.title is None
    assert [s.source for s in article.sentences()][-1] == "Suite."
    assert " ".join(s.source for s in article.sentences()).split() == text.split()


@pytest.mark.parametrize(
    ("first_line", "is_headline"),
    [
        ("Le renforcement de la sécurité reste l'objectif principal de l'OCS (Poutine)", True),
        ("Qui paiera ?", True),  # a short question is a headline
        ("Grève à la SNCF : « On ne lâchera rien ! »", True),
        ("Le gouvernement a présenté mercredi son budget.", False),  # a sentence: the lead
        ("Russia risks economic isolation from the West .", False),  # CNN-style spaced stop
        ("Il a dit « c'est fini. »", False),
        ("Pourquoi le gouvernement a-t-il attendu si longtemps ? Personne ne le sait.", False),
        ("PARIS (Reuters) - Le président a parlé", False),  # a dateline
        ("Par Jean Dupont", False),  # a byline
        ("Publié le 3 mars 2024 à 10h12", False),
        (" ".join(["mot"] * 31), False),  # too long for a headline
        ("2024", False),  # no letters
    ],
)
def test_looks_like_headline(first_line: str, is_headline: bool) -> None:
    assert looks_like_headline(first_line) is is_headline


def test_a_first_paragraph_is_never_swallowed_as_headline() -> None:
    text = (
        "Le gouvernement a présenté son budget mercredi.\n\n"
        "Les syndicats ont réagi aussitôt. Ils appellent à la grève."
    )
    article = parse_article(text)
    assert article.title is None
    assert all_sources(article) == [
        "Le gouvernement a présenté son budget mercredi.",
        "Les syndicats ont réagi aussitôt.",
        "Ils appellent à la grève.",
    ]
    forced = parse_article(text, headline="first-line")
    assert forced.title is not None
    assert forced.title.source == "Le gouvernement a présenté son budget mercredi."


def test_headline_rules_none_and_explicit_title() -> None:
    text = "Qui paiera ?\nLa facture arrive. Elle est lourde."
    assert parse_article(text).title.source == "Qui paiera ?"
    untitled = parse_article(text, headline="none")
    assert untitled.title is None and all_sources(untitled)[0] == "Qui paiera ?"
    given = parse_article(text, title="La facture")
    assert given.title.source == "La facture" and all_sources(given)[0] == "Qui paiera ?"
    with pytest.raises(UsageError) as caught:  # one type, one message, wherever it is checked
        parse_article(text, headline="sometimes")
    assert caught.value.one_line() == (
        "unknown headline rule 'sometimes'; fix: use --headline auto, first-line, none"
    )


def test_one_line_article_has_no_headline_whatever_it_looks_like() -> None:
    article = parse_article("Qui paiera ?")
    assert article.title is None and all_sources(article) == ["Qui paiera ?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Il vit dans les Pyrénées.Alors il skie.",
            ["Il vit dans les Pyrénées.", "Alors il skie."],
        ),
        ("Le bilan de 2007.Le suivant.", ["Le bilan de 2007.", "Le suivant."]),
        (
            "Il bloquait les clients.L'homme était ivre.",
            ["Il bloquait les clients.", "L'homme était ivre."],
        ),
        ("Il a signé.MANQUE DE RESPECT", ["Il a signé.", "MANQUE DE RESPECT"]),
        # never inside addresses, file names, or after an upper-case initial / abbreviation
        ("Voir www.Lemonde.Fr et jean.Dupont@exemple.fr ici.", None),
        ("Le fichier rapport.Pdf est joint.", None),
        ("M.Dupont est venu.", None),
        ("Mme.Durand est venue.", None),
        ("Les U.S.Army Rangers sont là.", None),
    ],
)
def test_glued_sentences_are_split(text: str, expected: list[str] | None) -> None:
    assert split_sentences(text) == (expected or [text])


def test_english_text_is_split_with_english_abbreviations() -> None:
    text = "Mr. Smith met Gen. Allen in Washington on Jan. 5. They talked about Sen. Brown."
    assert split_sentences(text, "en") == [
        "Mr. Smith met Gen. Allen in Washington on Jan. 5.",
        "They talked about Sen. Brown.",
    ]
    assert len(split_sentences(text, "fr")) > 2  # French rules do not know these
    assert [s.source for s in parse_article(text, lang="en").units()] == split_sentences(text, "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mr. Smith went home. He slept.", "en"),  # an abbreviation pysbd knows
        ("Il est né en 1950. Puis il est parti.", "fr"),  # a number before the stop
        ("Voir le tableau (p. 5). Ensuite, on compare.", "fr"),  # brackets
        ("Le No.1 mondial a perdu. Il rentre.", "fr"),  # a stop inside a word
        ("He left... Then he came back. Later.", "en"),  # an ellipsis
        ("Il part. le lendemain, il revient.", "fr"),  # lower case after the stop
        ("She said 'go home. Now.' He went.", "en"),  # single quotes as quote marks
        ("Il est venu. J. Dupont aussi.", "fr"),  # an initial
    ],
)
def test_pysbd_decides_what_is_not_plain(text: str, lang: str) -> None:
    assert segment._plain_ends(text, lang) is None


def test_plain_paragraphs_split_exactly_as_pysbd_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path (`_plain_ends`) must give pysbd's answer wherever it answers."""
    paragraphs = []
    for name, lang in (("newstest2012.fra", "fr"), ("newstest2012.eng", "en")):
        lines = newstest_lines(name)[:1500]
        paragraphs += [(" ".join(lines[i : i + 3]), lang) for i in range(0, len(lines), 3)]
    plain = {}
    for text, lang in paragraphs:
        masked = text.translate(segment._MASK_QUOTES)
        ends = segment._plain_ends(masked, lang)
        if ends is not None:
            plain[(masked, lang)] = ends
    monkeypatch.setattr(segment, "_plain_ends", lambda text, lang: None)
    differing = [key for key, ends in plain.items() if segment._sentence_ends(*key) != ends]
    assert len(plain) > 0.2 * len(paragraphs)  # the fast path is taken...
    assert differing == []  # ...and agrees with pysbd


def test_long_paragraphs_go_to_pysbd_in_windows_with_its_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past PYSBD_WINDOW a paragraph is split window by window (pysbd is quadratic on it):
    on real news text joined into one paragraph, every end pysbd finds is found. (Windows
    find more: over 70 kB, a lone `d 'apparences` makes pysbd see one quotation of 17
    sentences, which a window does not.)"""
    lines = newstest_lines("newstest2012.fra")[:600]
    text = " ".join(lines).translate(segment._MASK_QUOTES)
    assert len(text) > 5 * segment.PYSBD_WINDOW
    monkeypatch.setattr(segment, "_plain_ends", lambda text, lang: None)
    sizes: list[int] = []
    real = segment._pysbd_ends

    def recorded(piece: str, lang: str) -> list[int]:
        sizes.append(len(piece))
        return real(piece, lang)

    monkeypatch.setattr(segment, "_pysbd_ends", recorded)
    windowed = segment._sentence_ends(text, "fr")
    assert max(sizes) <= segment.PYSBD_WINDOW and len(sizes) > 5
    whole = real(text, "fr")
    assert set(whole) <= set(windowed) and len(windowed) <= 1.05 * len(whole)


@pytest.mark.parametrize(
    "text",
    [
        "Voir p. 3 et cf. p. 4, " * 20_000,  # abbreviations: pysbd rewrites the text per one
        "« " * 200_000 + "Bonjour." + " »" * 200_000,  # a stop in a sea of spaces
        "a.B" * 300_000,  # glued stops in one word
    ],
)
def test_pathological_paragraphs_of_half_a_megabyte_split_in_bounded_time(text: str) -> None:
    import time

    started = time.process_time()
    pieces = split_sentences(text)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert time.process_time() - started < 60  # quadratic, this was hours
