"""The seams: an output format, an input kind, a backend and a check each added from outside
the package (registered at run time, used from the CLI and a folder run, no edit elsewhere);
translate_many; the honest contracts; and the shape of the import graph."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ARTICLE, FakeTranslator
from translate_news import (
    FolderOptions,
    ModelOptions,
    PageText,
    Request,
    TranslateOptions,
    render,
    translate_folder,
    translate_many,
    translate_text,
)
from translate_news.backends import BACKENDS, Backend
from translate_news.checks import CHECKS, Check, Flag
from translate_news.cli import app
from translate_news.errors import ConversionError, InputError, UsageError
from translate_news.inputs import READERS, Reader
from translate_news.renderers import RENDERERS, Renderer
from translate_news.testing import MarkingTranslator

runner = CliRunner()
NO_MEMORY = FolderOptions(use_memory=False)
E = "translate-news: error: "


# --- one new file per extension kind -------------------------------------------------------


def _shout(result: Any, keep_boilerplate: bool) -> str:
    """A renderer someone else wrote: every English sentence in capitals, one a line."""
    return "".join(f"{unit.output_text().upper()}\n" for unit in result.article.units())


SHOUT = Renderer("shout", (".shout",), _shout, holds_summary=False, inline_flags=False)


def test_a_renderer_added_from_outside_is_a_format_of_the_cli_and_of_folder_runs(
    article: Path, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    with RENDERERS.registered(SHOUT):
        done = runner.invoke(app, [str(article), "-f", "shout"])
        shouted = "EN<TITRE DU JOUR>\nEN<LE PRÉSIDENT EST ARRIVÉ HIER À PARIS POUR LE SOMMET.>\n"
        assert (done.exit_code, done.stdout) == (0, shouted)
        by_suffix = tmp_path / "a.en.shout"
        assert runner.invoke(app, [str(article), "-o", str(by_suffix)]).exit_code == 0
        assert by_suffix.read_text() == done.stdout
        out = tmp_path / "out"
        done = runner.invoke(app, [str(article.parent), "-o", str(out), "-f", "shout",
                                   "--no-memory", "-q"])  # fmt: skip
        assert done.exit_code == 0, done.stderr
        assert (out / "a.en.shout").read_text() == by_suffix.read_text()
    unknown = runner.invoke(app, [str(article), "-f", "shout"])
    assert (unknown.exit_code, unknown.stderr) == (
        2, f"{E}unknown format 'shout'; fix: use --format text, markdown, json, html, docx\n"
    )  # fmt: skip


def _read_dispatch(data: bytes, label: str, url: str | None = None) -> list[PageText]:
    """A reader someone else wrote: `TITRE: ...` then `TEXTE: ...` lines."""
    fields = dict(line.split(": ", 1) for line in data.decode("utf-8").splitlines() if line)
    return [PageText(f"{fields['TITRE']}\n\n{fields['TEXTE']}\n", {"title": fields["TITRE"]})]


DISPATCH = Reader("dispatch", (".dispatch",), ("text/x-dispatch",), _read_dispatch)


def test_a_reader_added_from_outside_reads_files_on_the_cli_and_in_folder_runs(
    tmp_path: Path, use_fake: FakeTranslator
) -> None:
    news = tmp_path / "news"
    news.mkdir()
    dispatch = news / "afp.dispatch"
    dispatch.write_text("TITRE: Grève à Paris\nTEXTE: Les trains sont arrêtés.\n")
    with READERS.registered(DISPATCH):
        done = runner.invoke(app, [str(dispatch)])
        assert (done.exit_code, done.stdout) == (
            0, "EN<Grève à Paris>\n\nEN<Les trains sont arrêtés.>\n"
        )  # fmt: skip
        out = tmp_path / "out"
        done = runner.invoke(app, [str(news), "-o", str(out), "--no-memory", "-q"])
        assert done.exit_code == 0, done.stderr
        assert (
            out / "afp.en.txt"
        ).read_text() == "EN<Grève à Paris>\n\nEN<Les trains sont arrêtés.>\n"
    assert "*.dispatch" not in FolderOptions().file_patterns()  # gone with its record


class _Upper:
    """A backend someone else wrote: French in capitals, no scores."""

    name = "upper"

    def translate(self, sentences: list[str]) -> list[str]:
        return [sentence.upper() for sentence in sentences]

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def provenance(self) -> dict[str, Any]:
        return {"id": "upper/model", "revision": "1", "backend": "upper", "device": "cpu"}


def test_a_backend_added_from_outside_is_a_backend_of_the_cli_and_of_folder_runs(
    article: Path, tmp_path: Path
) -> None:
    with BACKENDS.registered(Backend("upper", lambda *_: _Upper())):
        done = runner.invoke(app, [str(article), "--backend", "upper", "-f", "json"])
        assert done.exit_code == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["model"]["backend"] == "upper"
        assert (
            data["paragraphs"][0][0]["target"]
            == "LE PRÉSIDENT EST ARRIVÉ HIER À PARIS POUR LE SOMMET."
        )
        assert data["paragraphs"][0][0]["confidence"] is None  # it declares no scores
        out = tmp_path / "out"
        args = [str(article.parent), "-o", str(out), "--backend", "upper", "--no-memory", "-q"]
        assert runner.invoke(app, args).exit_code == 0
        assert (out / "a.en.txt").read_text().startswith("TITRE DU JOUR\n")
        manifest = json.loads((out / "manifest.jsonl").read_text().splitlines()[-1])
        assert manifest["settings"]["model"]["backend"] == "upper"
    done = runner.invoke(app, [str(article), "--backend", "upper"])
    assert done.exit_code == 2
    assert (
        done.stderr
        == f"{E}unknown backend 'upper'; fix: use --backend auto, ctranslate2, transformers\n"
    )


def _exclaim(pair: Any) -> list[Flag]:
    return [Flag("sommet", "a summit: check the names")] if "sommet" in pair.source else []


def test_a_check_added_from_outside_flags_sentences_on_the_cli_and_in_folder_runs(
    article: Path, tmp_path: Path, use_fake: FakeTranslator
) -> None:
    with CHECKS.registered(Check("sommet", _exclaim)):
        done = runner.invoke(app, [str(article), "--show-flags"])
        assert done.stdout.endswith("sommet.> [check: sommet: a summit: check the names]\n"), (
            done.stdout
        )
        out = tmp_path / "out"
        done = runner.invoke(app, [str(article.parent), "-o", str(out), "-f", "json",
                                   "--no-memory", "-q"])  # fmt: skip
        data = json.loads((out / "a.en.json").read_text())
        assert data["paragraphs"][0][0]["flags"] == [
            {"check": "sommet", "detail": "a summit: check the names"}
        ]
    assert "sommet" not in CHECKS.names()


def test_plug_ins_come_from_entry_points_and_a_broken_one_is_skipped(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from translate_news import registry

    class EntryPoint:
        def __init__(self, name: str, record: Any) -> None:
            self.name, self.record = name, record

        def load(self) -> Any:
            if isinstance(self.record, Exception):
                raise self.record
            return self.record

    broken = EntryPoint("broken", ImportError("no module x"))
    found = {"translate_news.renderers": [EntryPoint("shout", SHOUT), broken]}
    monkeypatch.setattr(registry, "_entry_points", lambda group: found.get(group, []))
    fresh: registry.Registry[Renderer] = registry.Registry(
        "renderer", "translate_news.renderers", ("text",), "--format"
    )
    assert fresh.names(plugins=False) == ("text",)  # nothing imported, nothing looked up
    assert fresh.names() == ("text", "shout")
    assert fresh.get("shout") is SHOUT
    assert "plug-in broken (translate_news.renderers) not loaded: no module x" in caplog.text


# --- translate_many --------------------------------------------------------------------------


def test_translate_many_shares_batches_and_keeps_the_input_order(
    tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    first = tmp_path / "a.txt"
    first.write_text("Titre A\n\nUne phrase.\n")
    page = PageText("Titre B\n\nUne phrase.\n\nAutre chose.\n", {"url": "https://x.test/b"})
    results = list(translate_many([first, page, str(first)], fake_translator))
    assert [r.source for r in results] == [str(first), "https://x.test/b", str(first)]
    assert [render(r, "text") for r in results] == [
        "EN<Titre A>\n\nEN<Une phrase.>\n",
        "EN<Titre B>\n\nEN<Une phrase.>\n\nEN<Autre chose.>\n",
        "EN<Titre A>\n\nEN<Une phrase.>\n",
    ]
    # one call: the three articles shared a batch, each distinct sentence sent once
    assert fake_translator.calls == [["Titre A", "Une phrase.", "Titre B", "Autre chose."]]


def test_translate_many_yields_before_it_reads_everything(
    fake_translator: FakeTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_news import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_CHARACTERS", 1)
    read: list[int] = []

    def items() -> Iterator[PageText]:
        for number in range(3):
            read.append(number)
            yield PageText(f"Titre {number}\n\nPhrase {number}.\n")

    results = translate_many(items(), fake_translator)
    assert next(results).article.title is not None and read == [0]
    assert len(list(results)) == 2 and read == [0, 1, 2]


def test_translate_many_yields_what_came_before_a_bad_item_then_its_error(
    tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    missing = tmp_path / "gone.txt"
    results = translate_many([PageText("Titre A\n\nPhrase A.\n"), missing], fake_translator)
    assert render(next(results), "text") == "EN<Titre A>\n\nEN<Phrase A.>\n"
    with pytest.raises(InputError) as caught:
        next(results)
    assert caught.value.one_line() == f"{missing}: no such file; fix: check the path"


def test_translate_many_gives_one_result_per_article_of_an_input_that_holds_several(
    tmp_path: Path, fake_translator: FakeTranslator
) -> None:
    def two(data: bytes, label: str, url: str | None = None) -> list[PageText]:
        return [PageText(part) for part in data.decode().split("\f")]

    feed = tmp_path / "day.two"
    feed.write_text("Titre A\n\nPhrase A.\n\fTitre B\n\nPhrase B.\n")
    with READERS.registered(Reader("two", (".two",), (), two)):
        results = list(translate_many([feed], fake_translator))
        assert [r.article.title.target for r in results] == ["EN<Titre A>", "EN<Titre B>"]
        done = runner.invoke(app, [str(feed)])
        assert done.exit_code == 1
        assert done.stderr == (
            f"{E}{feed}: holds 2 articles, not one; fix: translate them with translate_many, "
            "one item per article\n"
        )


# --- honest contracts ------------------------------------------------------------------------


def test_a_call_asking_for_other_beams_than_the_loaded_translator_is_refused(
    fake_translator: FakeTranslator,
) -> None:
    with pytest.raises(UsageError) as caught:
        translate_text(ARTICLE, fake_translator, Request(translate=TranslateOptions(beams=4)))
    assert caught.value.one_line() == (
        "this call asks for --beams 4, but the loaded translator has 1; fix: load a translator "
        "with TranslateOptions(beams=4), or leave beams unset"
    )
    same = translate_text(ARTICLE, fake_translator, Request(translate=TranslateOptions(beams=1)))
    assert same.model.beams == 1


def test_json_reports_the_mode_as_given_and_why_a_sentence_is_left_alone(
    fake_translator: FakeTranslator,
) -> None:
    text = "Titre\n\nLe président est arrivé hier à Paris pour le sommet. " * 1 + (
        "Il pleuvait. La foule attendait devant la mairie depuis le matin.\n"
    )
    modes = {}
    for mode in ("full", "summary", "both"):
        request = Request(mode=mode)
        data = json.loads(render(translate_text(text, fake_translator, request), "json"))
        modes[mode] = data
        assert data["mode"] == mode
    left = [s for p in modes["summary"]["paragraphs"] for s in p if s["target"] is None]
    assert left and all((s["status"], s["reason"]) == ("kept", "not in the summary") for s in left)
    assert all("reason" not in s for p in modes["both"]["paragraphs"] for s in p)


def test_rendering_a_result_twice_gives_the_same_page(fake_translator: FakeTranslator) -> None:
    result = translate_text(ARTICLE, fake_translator)
    assert result.made_at is not None and result.made_at.endswith(" UTC")
    assert render(result, "html") == render(result, "html")
    assert result.made_at in render(result, "html")


def test_auto_falling_back_records_the_engine_that_ran_and_stays_up_to_date(
    tmp_path: Path,
) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(ARTICLE)

    def no_conversion(*_: Any) -> Any:
        raise ConversionError("the model cannot be converted", "use --backend transformers")

    loads: list[str] = []

    spec = ModelOptions().resolved()

    def reference(*_: Any) -> Any:
        loads.append("transformers")
        fake = MarkingTranslator()
        fake.PROVENANCE = {"id": spec.id, "revision": spec.revision, "backend": "transformers",
                           "device": "cpu", "beams": 1}  # fmt: skip
        return fake

    ct2, reference_record = BACKENDS.get("ctranslate2"), BACKENDS.get("transformers")
    plan = lambda _options: ("cpu", None)  # noqa: E731
    from dataclasses import replace

    with (
        BACKENDS.registered(replace(ct2, load=no_conversion, installed=lambda: True, plan=plan)),
        BACKENDS.registered(replace(reference_record, load=reference, plan=plan)),
    ):
        request = Request(model=ModelOptions(backend="auto"), translate=TranslateOptions(beams=1))
        first = translate_folder(
            [news], tmp_path / "out", request=request, folder_options=NO_MEMORY
        )
        record = json.loads((tmp_path / "out" / "manifest.jsonl").read_text().splitlines()[-1])
        assert first.done == 1 and record["settings"]["model"]["backend"] == "transformers"
        again = translate_folder(
            [news], tmp_path / "out", request=request, folder_options=NO_MEMORY
        )
        assert (again.done, again.up_to_date, loads) == (0, 1, ["transformers"])


def test_the_model_is_resolved_once_per_options(monkeypatch: pytest.MonkeyPatch) -> None:
    from translate_news import models

    calls: list[str | None] = []
    real = models.resolve_model

    def counting(name: str | None, revision: str | None = None) -> Any:
        calls.append(name)
        return real(name, revision)

    monkeypatch.setattr(models, "resolve_model", counting)
    options = ModelOptions()
    assert options.resolved() is options.resolved()
    assert calls == [None]


# --- the import graph ------------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "translate_news"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """The translate_news modules `path` imports (at the top of the module, or anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    )
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.startswith("translate_news"):
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("translate_news"))
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in modules}


def test_the_top_level_imports_have_no_cycle_and_nothing_imports_the_cli() -> None:
    graph = {_module_name(p): _imports(p, True) for p in PACKAGE.rglob("*.py")}
    cli_users = {
        m for m, deps in graph.items() if any(d.startswith("translate_news.cli") for d in deps)
    }
    assert {m for m in cli_users if not m.startswith("translate_news.cli")} <= {
        "translate_news.__main__"
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        assert module not in visiting, " -> ".join([*visiting, module])
        if module in done:
            return
        visiting.append(module)
        for dependency in graph.get(module, ()):
            if dependency != module and not module.startswith(dependency + "."):
                visit(dependency)  # a package's __init__ imported by its own modules is no cycle
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_options_import_no_backend_and_no_module_is_over_400_lines() -> None:
    options = _imports(PACKAGE / "options.py", top_level_only=False)
    assert not any(name.startswith("translate_news.backends") for name in options)
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}  # fmt: skip
    assert long == {}


# --- the command group ---------------------------------------------------------------------


def test_models_list_and_download_are_commands_and_the_old_flags_their_aliases() -> None:
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and listed.stdout.startswith("alias\thub id\trevision\t")
    assert runner.invoke(app, ["--list-models"]).stdout == listed.stdout
    asked = ["models", "download", "--model", "nobody/nothing"]
    fetched = runner.invoke(app, asked)  # offline (HF_HUB_OFFLINE=1): it cannot be fetched
    assert fetched.exit_code == 1 and fetched.stderr.startswith(E + "model nobody/nothing@main")
    assert fetched.stderr.count("\n") == 1
    old = runner.invoke(app, ["--download", "--model", "nobody/nothing"])
    assert (old.exit_code, old.stderr) == (fetched.exit_code, fetched.stderr)
    unknown = runner.invoke(app, ["models", "nope"])
    assert (unknown.exit_code, unknown.stderr) == (
        2, f"{E}no such command 'nope'; fix: see `translate-news --help` for the commands\n"
    )  # fmt: skip


def test_a_missing_package_is_one_line_that_says_how_to_install(article: Path) -> None:
    def no_torch(*_: Any) -> Any:
        raise ModuleNotFoundError("No module named 'torch'", name="torch")

    with BACKENDS.registered(Backend("broken-env", no_torch)):
        done = runner.invoke(app, [str(article), "--backend", "broken-env"])
    assert (done.exit_code, done.stderr) == (
        1, f"{E}the Python package 'torch' is not installed; fix: install translate-news with "
        "its dependencies (see the README's set-up command)\n",
    )  # fmt: skip
