"""translate-news: French news articles into English, faithfully and fast.

Python API::

    from translate_news import Request, load_translator, translate_file
    translator = load_translator()          # load the model once
    result = translate_file("article.txt", translator)
    both = translate_file("article.txt", translator, Request(mode="both"))  # + summary
    print(render(result, "text"))
    key = summarize(open("article.txt").read(), lang="fr", sentences=3)   # no translation
    for result in translate_many(["a.txt", "https://...", "b.html"], translator):
        ...                                  # shared batches, results in input order
"""

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): `translate-news --help` loads none of them.
_EXPORTS = {
    "Article": "document",
    "Flag": "document",
    "FolderOptions": "options",
    "FolderReport": "folders.report",
    "ModelOptions": "options",
    "OutputOptions": "options",
    "PageText": "document",
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
    "read_source": "inputs",
    "render": "renderers",
    "result_to_dict": "renderers",
    "summarize": "summary.select",
    "summarize_article": "summary.select",
    "translate_file": "pipeline",
    "translate_folder": "folders.runner",
    "translate_many": "pipeline",
    "translate_page": "pipeline",
    "translate_each": "pipeline",
    "translate_text": "pipeline",
    "write_atomic": "folders.atomic",
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


if TYPE_CHECKING:  # what type checkers and IDEs see
    from .backends import Translator, load_translator
    from .checks import check_translation
    from .document import Article, Flag, PageText, Paragraph, Result, Sentence, SummarySentence
    from .errors import TranslateNewsError
    from .folders.atomic import write_atomic
    from .folders.report import FolderReport
    from .folders.runner import translate_folder
    from .inputs import read_source
    from .models import download, list_models
    from .options import (
        FolderOptions,
        ModelOptions,
        OutputOptions,
        Request,
        SummaryOptions,
        TranslateOptions,
    )
    from .pipeline import (
        translate_each,
        translate_file,
        translate_many,
        translate_page,
        translate_text,
    )
    from .renderers import render, result_to_dict
    from .summary.select import summarize, summarize_article
    from .version import __version__

__all__ = [
    "Article",
    "Flag",
    "FolderOptions",
    "FolderReport",
    "ModelOptions",
    "OutputOptions",
    "PageText",
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
    "read_source",
    "render",
    "result_to_dict",
    "summarize",
    "summarize_article",
    "translate_each",
    "translate_file",
    "translate_folder",
    "translate_many",
    "translate_page",
    "translate_text",
    "write_atomic",
]
