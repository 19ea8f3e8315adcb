from pathlib import Path

import pytest

from translate_news.errors import ModelUnavailableError, UsageError
from translate_news.models import load_model_list, model_list_path, parse_model_list, resolve_model

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_registry_is_the_repo_models_txt() -> None:
    assert model_list_path() == REPO_ROOT / "models.txt"
    entries = load_model_list()
    assert entries[0].alias == "fr-en"
    assert entries[0].hub_id == "Helsinki-NLP/opus-mt-fr-en"
    assert entries[0].revision


def test_parse_registry_comments_and_errors() -> None:
    entries = parse_model_list("# comment\n\nxx  org/model  abc123  some purpose  # note\n")
    assert [(e.alias, e.hub_id, e.revision, e.purpose) for e in entries] == [
        ("xx", "org/model", "abc123", "some purpose")
    ]
    with pytest.raises(ModelUnavailableError, match="line 1"):
        parse_model_list("only-two fields\n")


def test_resolve_alias_hub_id_and_folder(tmp_path: Path) -> None:
    default = resolve_model(None)
    assert (default.id, default.is_local) == ("Helsinki-NLP/opus-mt-fr-en", False)
    assert resolve_model("fr-en") == default
    assert resolve_model("fr-en", "abc").revision == "abc"
    assert resolve_model("someone/opus-mt-xx").revision == "main"
    local = resolve_model(str(tmp_path))
    assert (local.id, local.revision, local.is_local) == (str(tmp_path.resolve()), None, True)
    with pytest.raises(UsageError):
        resolve_model(str(tmp_path), "abc")
    with pytest.raises(ModelUnavailableError, match="not an alias"):
        resolve_model("no-such-alias")
