"""`--engine ray`: a folder run executed by Ray Data on a cluster (or a local Ray instance).

The driver does what the local engine does around the work: discovery, the up-to-date check
against the manifest, the manifest itself and the progress. Ray Data does the work: files are
read and decoded in parallel tasks, then an actor pool (one model loaded per actor, on a GPU
when asked) segments, translates a batch of articles at a time and writes each article's
outputs atomically, returning one outcome row per file. An actor that dies is restarted by
Ray and its batch retried; outputs are idempotent, so a retried file is simply written again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .cache import with_memory
from .errors import InputError, OutputError, TranslateNewsError, UsageError
from .jobs import source_tokens
from .pipeline import translate_results
from .webpage import PageText

if TYPE_CHECKING:
    from .backends import Translator
    from .jobs import FolderJob, WorkItem
    from .options import RayOptions

RAY_FIX = "pip install 'translate-news[ray]'"
_OUTCOME_COLUMNS = ("relative", "status", "error", "warnings", "sentences", "tokens")


class Recorder(Protocol):
    """What the driver does with each file's outcome (the folder run's manifest and report)."""

    def add_translated(self, sentences: int, tokens: int) -> None:
        """Count translated sentences and their source tokens."""

    def record_done(self, work: WorkItem, warnings: list[str]) -> None:
        """The file's outputs are written."""

    def record_failed(self, relative: str, sha256: str | None, line: str) -> None:
        """The file failed, with this error line."""


def import_ray() -> Any:
    """The ray module, or a UsageError saying what to install."""
    try:
        import ray
        import ray.data  # Ray Data ships in ray's [data] extra
    except ImportError as error:
        raise UsageError("--engine ray needs Ray Data, which is not installed", RAY_FIX) from error
    return ray


def run_on_ray(
    job: FolderJob,
    works: Sequence[WorkItem],
    factory: Callable[[], Translator],
    options: RayOptions,
    threads: int | None,
    run: Recorder,
) -> None:
    """Do `works` on Ray; each outcome is recorded by `run` (manifest, report, progress)."""
    ray = import_ray()
    if not ray.is_initialized():
        ray.init(address=options.address, include_dashboard=False, log_to_driver=False)
    if not works:
        return
    ray.data.DataContext.get_current().enable_progress_bars = False  # the driver shows ours
    by_relative = {work.item.relative.as_posix(): work for work in works}
    rows = [
        {"path": str(work.item.path), "relative": relative, "outputs": json.dumps(work.outputs)}
        for relative, work in by_relative.items()
    ]
    gpus = options.gpus_per_worker
    if gpus is None:
        gpus = 1.0 if ray.cluster_resources().get("GPU", 0) > 0 else 0.0
    threads = threads or 1
    workers = options.workers or _default_workers(ray, gpus, threads)
    per_batch = options.articles_per_batch
    blocks = min(len(rows), max(2 * workers, -(-len(rows) // per_batch)))
    dataset = ray.data.from_items(rows, override_num_blocks=blocks)
    # Reading is I/O: its tasks claim no CPU, or actors holding every CPU would starve them.
    dataset = dataset.map(_read_row, fn_kwargs={"job": job}, num_cpus=0)
    # Ray Data starts a dead actor again and retries its batch (its actor pools default to
    # max_restarts=-1 and max_task_retries=-1; tests/test_ray.py kills one to check).
    dataset = dataset.map_batches(
        TranslateActor,
        fn_constructor_args=(job, factory),
        batch_size=per_batch,
        batch_format="pandas",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1 if gpus else threads,
        num_gpus=gpus,
    )
    try:
        for row in dataset.iter_rows():
            _record(row, by_relative, run)
    except ray.exceptions.RayError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TranslateNewsError(
            f"the Ray run failed: {first}", "see the worker logs (ray logs, or the dashboard)"
        ) from error


def _record(row: dict[str, Any], by_relative: dict[str, WorkItem], run: Recorder) -> None:
    """One outcome row from the actors, into the driver's manifest and report."""
    work = by_relative[row["relative"]]
    run.add_translated(int(row["sentences"]), int(row["tokens"]))
    if row["status"] == "done":
        run.record_done(work, json.loads(row["warnings"]))
    else:
        run.record_failed(row["relative"], work.sha256, str(row["error"]))


def _default_workers(ray: Any, gpus: float, threads: int) -> int:
    resources = ray.cluster_resources()
    if gpus:
        return max(1, int(resources.get("GPU", 1) // gpus))
    return max(1, int(resources.get("CPU", 1) // threads))


def _read_row(row: dict[str, Any], job: FolderJob) -> dict[str, Any]:
    """Task: read and decode one file (errors become the row's `error`)."""
    path = Path(row["path"])
    row.update(text=None, metadata=None, error=None)
    try:
        page = job.decode(path, job.read(path))
    except InputError as error:
        row["error"] = error.one_line()
        return row
    row["text"] = page.text
    row["metadata"] = json.dumps(page.metadata)
    return row


class TranslateActor:
    """One loaded model; turns batches of decoded articles into written outputs."""

    def __init__(self, job: FolderJob, factory: Callable[[], Translator]) -> None:
        self.job = job
        # A model that cannot load fails every file with its one line (an exception here
        # would kill the actor and surface as a Ray traceback).
        self.load_error: str | None = None
        try:
            self.translator, self.memory = with_memory(factory(), job.folder_options)
        except TranslateNewsError as error:
            self.load_error = error.one_line()

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        outcomes = {column: [] for column in _OUTCOME_COLUMNS}
        if self.load_error is not None:
            for row in batch.to_dict("records"):
                _add(outcomes, row["relative"], "failed", self.load_error)
            return outcomes
        prepared = []
        for row in batch.to_dict("records"):
            if row["error"]:  # reading or decoding failed in its task
                _add(outcomes, row["relative"], "failed", str(row["error"]))
                continue
            page = PageText(str(row["text"]), json.loads(row["metadata"]) or {})
            try:
                prepared.append((row, self.job.prepare(Path(row["path"]), page, self.translator)))
            except InputError as error:
                _add(outcomes, row["relative"], "failed", error.one_line())
        results = [result for _, result in prepared]
        sent = translate_results(results, self.translator)
        tokens = source_tokens(results, self.translator)
        for row, result in prepared:
            try:
                self.job.write(Path(row["path"]), result, json.loads(row["outputs"]))
            except OutputError as error:
                _add(outcomes, row["relative"], "failed", error.one_line())
                continue
            _add(outcomes, row["relative"], "done", None, result.warnings)
        if outcomes["sentences"]:  # the batch's counts ride on its first row
            outcomes["sentences"][0], outcomes["tokens"][0] = sent, tokens
        return outcomes


def _add(
    outcomes: dict[str, list[Any]],
    relative: str,
    status: str,
    error: str | None,
    warnings: list[str] | None = None,
) -> None:
    outcomes["relative"].append(relative)
    outcomes["status"].append(status)
    outcomes["error"].append(error)
    outcomes["warnings"].append(json.dumps(warnings or []))
    outcomes["sentences"].append(0)
    outcomes["tokens"].append(0)
