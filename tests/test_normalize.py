import pytest

from translate_news.text.normalize import is_shouting, to_model_input, to_reader_output


@pytest.mark.parametrize(
    ("source", "model_input"),
    [
        ("Il a dit «\u00a0Bonjour\u00a0» à l’équipe.", 'Il a dit "Bonjour" à l\'équipe.'),
        ("Vraiment\u00a0? Oui\u00a0!", "Vraiment? Oui!"),
        ("Un  texte\tavec   espaces ", "Un texte avec espaces"),
        ("LE PRÉSIDENT DÉMISSIONNE À PARIS", "Le président démissionne à paris"),
        ("L'OCS et l'ONU", "L'OCS et l'ONU"),  # acronyms alone are not shouting
        ("e\u0301te\u0301 chaud", "été chaud"),  # NFC before the model
    ],
)
def test_model_input(source: str, model_input: str) -> None:
    assert to_model_input(source) == model_input


def test_shouting_detection() -> None:
    assert is_shouting("LE PRÉSIDENT DÉMISSIONNE")
    assert not is_shouting("L'ONU")  # too short to be a shouted sentence
    assert not is_shouting("Le président")


def test_reader_output() -> None:
    assert to_reader_output("  The president ,  he said ( today ) . ", "Le président") == (
        "The president, he said (today)."
    )
    assert to_reader_output("The president resigns", "LE PRÉSIDENT DÉMISSIONNE") == (
        "THE PRESIDENT RESIGNS"
    )
