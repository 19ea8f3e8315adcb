"""translate-news: French news articles into English, faithfully and fast.

Python API::

    from translate_news import Request, load_translator, translate_file
    translator = load_translator()          # load the model once
    result = translate_file("article.txt", translator)
    both = translate_file("article.txt", translator, Request(mode="both"))  # + summary
    print(render(result, "text"))
    key = summarize(open("article.txt").read(), lang="fr", sentences=3)   # no translation
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): `translate-news --help` loads none of them.
_EXPORTS = {
    "Article": "document",
    "Flag": "document",
    "FolderOptions": "options",
    "FolderReport": "batch",
    "ModelOptions": "options",
    "OutputOptions": "options",
    "Paragraph": "document",
    "Request": "options",
    "Result": "document",
    "Sentence": "document",
    "SummaryOptions": "options",
    "SummarySentence": "document",
    "TranslateNewsError": "errors",
    "TranslateOptions": "options",
    "Translator": "backends",
    "__version__": "version",
    "check_translation": "checks",
    "download": "models",
    "list_models": "models",
    "load_translator": "backends",
    "render": "writing",
    "result_to_dict": "writing",
    "summarize": "summarize",
    "summarize_article": "summarize",
    "translate_file": "pipeline",
    "translate_folder": "batch",
    "translate_text": "pipeline",
    "write_atomic": "atomic",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'translate_news' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


class _Package(types.ModuleType):
    """The package, whose `summarize` stays the function.

    `summarize` is also the name of a module of this package, and importing a submodule binds
    it on the package: that would hide the lazily exported function of the same name.
    """

    @property
    def summarize(self) -> Any:
        from .summarize import summarize

        return summarize

    @summarize.setter
    def summarize(self, value: Any) -> None:
        pass  # the import system binding the submodule: `translate_news.summarize` is the function


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:  # what type checkers and IDEs see
    from .atomic import write_atomic
    from .backends import Translator, load_translator
    from .batch import FolderReport, translate_folder
    from .checks import check_translation
    from .document import Article, Flag, Paragraph, Result, Sentence, SummarySentence
    from .errors import TranslateNewsError
    from .models import download, list_models
    from .options import (
        FolderOptions,
        ModelOptions,
        OutputOptions,
        Request,
        SummaryOptions,
        TranslateOptions,
    )
    from .pipeline import translate_file, translate_text
    from .summarize import summarize, summarize_article
    from .version import __version__
    from .writing import render, result_to_dict

__all__ = [
    "Article",
    "Flag",
    "FolderOptions",
    "FolderReport",
    "ModelOptions",
    "OutputOptions",
    "Paragraph",
    "Request",
    "Result",
    "Sentence",
    "SummaryOptions",
    "SummarySentence",
    "TranslateNewsError",
    "TranslateOptions",
    "Translator",
    "__version__",
    "check_translation",
    "download",
    "list_models",
    "load_translator",
    "render",
    "result_to_dict",
    "summarize",
    "summarize_article",
    "translate_file",
    "translate_folder",
    "translate_text",
    "write_atomic",
]
