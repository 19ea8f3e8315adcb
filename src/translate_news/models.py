"""The models.txt list, model resolution (alias, hub id, local folder) and loading."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelUnavailableError, UsageError
from .model_files import check_model_folder

MODEL_LIST_NAME = "models.txt"
HUB_PROBE_TIMEOUT_S = 5.0  # one short request says whether the hub can be reached at all
# What a MarianMT model needs (not the TensorFlow, Flax or Rust copies of the weights).
MODEL_FILES = ("*.json", "*.spm", "*.safetensors", "pytorch_model.bin")
_log = logging.getLogger("translate_news")


@dataclass(frozen=True)
class ModelEntry:
    """One line of models.txt."""

    alias: str
    hub_id: str
    revision: str
    purpose: str


@dataclass(frozen=True)
class ResolvedModel:
    """Where the weights come from: a hub id at a revision, or a local folder."""

    id: str  # hub id, or the absolute path of a local folder
    revision: str | None  # None for a local folder
    is_local: bool

    def describe(self) -> str:
        """`id@revision`, or the folder path."""
        return self.id if self.is_local else f"{self.id}@{self.revision}"


def model_list_path() -> Path:
    """models.txt: packaged next to this module in a wheel, at the repo root in a checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.with_name(MODEL_LIST_NAME), here.parents[2] / MODEL_LIST_NAME):
        if candidate.is_file():
            return candidate
    raise ModelUnavailableError(
        f"{MODEL_LIST_NAME} not found next to {here.parent}", "reinstall translate-news"
    )


def parse_model_list(text: str) -> list[ModelEntry]:
    """Parse models.txt: `alias hub-id revision purpose...`, `#` starts a comment."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split(None, 3)
        if len(fields) < 3:
            raise ModelUnavailableError(
                f"{MODEL_LIST_NAME} line {number} needs `alias hub-id revision purpose`: {raw!r}",
                f"fix that line of {MODEL_LIST_NAME}",
            )
        purpose = fields[3] if len(fields) == 4 else ""
        entries.append(ModelEntry(fields[0], fields[1], fields[2], purpose))
    if not entries:
        raise ModelUnavailableError(f"{MODEL_LIST_NAME} lists no model", "add a model line to it")
    return entries


def load_model_list(path: Path | None = None) -> list[ModelEntry]:
    """The models the project uses, in file order; the first is the default (read once per
    version of the file, however many times a run resolves a model)."""
    path = path or model_list_path()
    stat = path.stat()
    return list(_parsed_model_list(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _parsed_model_list(path: str, mtime_ns: int, size: int) -> tuple[ModelEntry, ...]:
    return tuple(parse_model_list(Path(path).read_text(encoding="utf-8")))


def resolve_model(
    name: str | None, revision: str | None = None, entries: list[ModelEntry] | None = None
) -> ResolvedModel:
    """Turn `--model` (alias, hub id or folder; None = default) into a ResolvedModel."""
    if name is not None and Path(name).expanduser().is_file():
        raise ModelUnavailableError(
            f"--model {name}: is a file, not a model folder",
            "pass the folder that holds config.json, the weights, source.spm, target.spm "
            "and vocab.json (or an alias or hub id)",
        )
    if name is not None and Path(name).expanduser().is_dir():
        if revision is not None:
            raise UsageError(
                f"--revision {revision} makes no sense with the local folder {name}",
                "drop --revision or pass a hub id",
            )
        return ResolvedModel(str(Path(name).expanduser().resolve()), None, True)
    entries = entries if entries is not None else load_model_list()
    if name is None:
        name = entries[0].alias
    for entry in entries:
        if name in (entry.alias, entry.hub_id):
            return ResolvedModel(entry.hub_id, revision or entry.revision, False)
    if name.count("/") == 1 and not name.startswith((".", "/", "~")):
        return ResolvedModel(name, revision or "main", False)
    aliases = ", ".join(entry.alias for entry in entries)
    raise ModelUnavailableError(
        f"model {name!r} is not an alias ({aliases}), a hub id (owner/name) or an existing folder",
        "pass one of those to --model; `translate-news models list` lists the aliases",
    )


def _not_a_model_folder(spec: ResolvedModel, cause: BaseException) -> ModelUnavailableError:
    return ModelUnavailableError(
        f"{spec.id} is not a MarianMT model folder ({type(cause).__name__})",
        "pass a folder with config.json, weights, source.spm, target.spm and vocab.json",
    )


def _not_downloaded(spec: ResolvedModel, reason: str, asked: bool) -> ModelUnavailableError:
    """The model is not cached and cannot be fetched: why (the reason itself, so no -v is
    needed), and the fix that applies (a download command is no fix for a failed download)."""
    from huggingface_hub import constants

    what = f"model {spec.describe()} is not in the Hugging Face cache and cannot be downloaded"
    if constants.HF_HUB_OFFLINE:
        fix = "unset HF_HUB_OFFLINE (it forbids downloads) and run this again"
    elif asked:
        fix = "connect to the internet and run this again (HF_HOME chooses the cache)"
    else:
        fix = (
            f"connect to the internet and run `translate-news models download --model {spec.id}` "
            "once (HF_HOME chooses the cache)"
        )
    return ModelUnavailableError(f"{what} ({reason})", f"{fix}, or pass --model /path/to/folder")


def load_marian(spec: ResolvedModel) -> tuple[Any, Any]:
    """Load (tokenizer, model) with `from_pretrained` from the local folder of the model
    (`model_folder`: the HF cache, downloaded first when missing and the hub is reachable)."""
    from transformers import MarianMTModel, MarianTokenizer

    folder = model_folder(spec)
    try:
        with quiet_weight_loading():
            tokenizer = MarianTokenizer.from_pretrained(folder)
            model = MarianMTModel.from_pretrained(folder)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, EOFError) as error:
        if spec.is_local:
            raise _not_a_model_folder(spec, error) from error
        raise ModelUnavailableError(
            f"the cached model {spec.describe()} in {folder} cannot be loaded "
            f"({type(error).__name__})",
            f"run `translate-news models download --model {spec.id}` again to fetch it anew",
        ) from error
    return tokenizer, model


def hub_unreachable_reason(timeout_s: float = HUB_PROBE_TIMEOUT_S) -> str | None:
    """None when the model hub answers one short request; otherwise why it cannot be used.

    Honours HF_HUB_OFFLINE, HF_ENDPOINT and the usual proxy variables (urllib reads them).
    Without this probe, huggingface_hub retries each model file with back-off for minutes.
    """
    import urllib.error
    import urllib.request

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return "HF_HUB_OFFLINE is set"
    endpoint = constants.ENDPOINT.rstrip("/")
    request = urllib.request.Request(endpoint + "/api/models", method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s):
            return None
    except urllib.error.HTTPError:
        return None  # the hub answered (even an error status means it is reachable)
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"{endpoint} cannot be reached ({reason})"


def download_model(spec: ResolvedModel, asked: bool = False) -> Path:
    """Fetch a hub model's files into the HF cache (with a progress bar); its local folder."""
    from huggingface_hub import snapshot_download

    reason = hub_unreachable_reason()
    _log.info("model hub: %s", reason or "reachable")
    if reason is not None:
        raise _not_downloaded(spec, reason, asked)
    try:
        with quiet_hub_logging():
            folder = snapshot_download(
                spec.id, revision=spec.revision, allow_patterns=list(MODEL_FILES)
            )
    except Exception as error:  # the hub library raises many kinds; all mean "not fetched"
        _log.info("model download failed: %s", error)
        detail = " ".join(str(error).split())[:160] or type(error).__name__
        raise _not_downloaded(spec, f"the download failed: {detail}", asked) from error
    return Path(folder)


@contextmanager
def quiet_hub_logging() -> Iterator[None]:
    """huggingface_hub's warnings (retry lines) hidden; its download bars stay."""
    hub_logger = logging.getLogger("huggingface_hub")
    level = hub_logger.level
    hub_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        hub_logger.setLevel(level)


@contextmanager
def quiet_weight_loading() -> Iterator[None]:
    """Hide transformers' own "Loading weights" bar (hub download bars are huggingface_hub's)."""
    from transformers.utils import logging as transformers_logging

    bar_was_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bar_was_enabled:
            transformers_logging.enable_progress_bar()


@dataclass(frozen=True)
class ModelStatus:
    """A models.txt entry, whether it is in the local cache, and whether it is the default."""

    entry: ModelEntry
    cached: bool
    default: bool


def list_models() -> list[ModelStatus]:
    """The models of models.txt (the first is the default) and whether each is downloaded."""
    return [
        ModelStatus(entry, is_cached(entry.hub_id, entry.revision), index == 0)
        for index, entry in enumerate(load_model_list())
    ]


def download(model: str | None = None, revision: str | None = None) -> Path:
    """Fetch a model (alias, hub id; None = the default) for offline use; its local folder.

    Already cached: no network at all. A local folder is only checked.
    """
    return model_folder(resolve_model(model, revision), asked=True)


def is_cached(hub_id: str, revision: str) -> bool:
    """Whether the model's config is in the local Hugging Face cache (no network)."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(hub_id, "config.json", revision=revision)
    return isinstance(found, str)


def cache_root() -> Path:
    """Where translate-news keeps derived files (CTranslate2 conversions).

    TRANSLATE_NEWS_CACHE overrides the user cache folder.
    """
    override = os.environ.get("TRANSLATE_NEWS_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("translate-news"))


def cached_folder(spec: ResolvedModel) -> Path | None:
    """The model's snapshot in the HF cache when its config is there; no network."""
    from huggingface_hub import snapshot_download

    if not is_cached(spec.id, spec.revision or "main"):
        return None
    try:
        return Path(snapshot_download(spec.id, revision=spec.revision, local_files_only=True))
    except Exception:  # any miss of the local cache lookup is "not cached"
        return None


def beams_of(generation: dict[str, Any], config: dict[str, Any]) -> int:
    """A model's own beam size: its generation config's, else its config's, else 1 (greedy).
    The CTranslate2 backend and the folder key both ask here, so they agree."""
    return int(generation.get("num_beams") or config.get("num_beams") or 1)


def default_beams(spec: ResolvedModel) -> int | None:
    """`beams_of` a local or cached model, read without loading it; None when the model is
    not here yet."""
    import json

    folder = Path(spec.id) if spec.is_local else cached_folder(spec)
    if folder is None:
        return None
    found: list[dict[str, Any]] = []
    for name in ("generation_config.json", "config.json"):
        try:
            found.append(json.loads((folder / name).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            found.append({})  # missing or damaged: the other file, else greedy
    return beams_of(*found)


def model_folder(spec: ResolvedModel, asked: bool = False) -> Path:
    """The local folder holding the Hugging Face files of a model.

    A cached model is used without any network request; a missing one is downloaded when
    the hub can be reached, else this fails at once with the one-line fix.
    """
    folder = Path(spec.id) if spec.is_local else cached_folder(spec) or download_model(spec, asked)
    check_model_folder(folder)
    return folder
