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
import logging
import os
import pickle
import socket
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import InputError, OutputError, TranslateNewsError, UsageError, first_line
from ..pipeline import source_tokens, translate_results
from .memory import with_memory

if TYPE_CHECKING:
    from ..backends import Translator
    from ..options import RayOptions
    from .job import FolderJob, WorkItem

RAY_FIX = "pip install 'translate-news[ray]'"
RAY_CONNECT_TIMEOUT_S = 5.0
_CLUSTER_FIX = (
    "start the cluster (`ray start --head` on its head node) or check the address; "
    "drop --ray-address to use a local Ray"
)
_OUTCOME_COLUMNS = (
    "relative", "status", "error", "warnings", "sentences", "tokens", "flagged", "engine"
)  # fmt: skip


class Recorder(Protocol):
    """What the driver does with each file's outcome (the folder run's manifest and report)."""

    def add_translated(self, sentences: int, tokens: int) -> None:
        """Count translated sentences and their source tokens."""

    def record_done(
        self,
        work: WorkItem,
        warnings: list[str],
        flagged: int = 0,
        engine: dict[str, Any] | None = None,
    ) -> None:
        """The file's outputs are written (`flagged`: its sentences to check; `engine`: the
        engine that made them)."""

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
    """Do `works` on Ray; each outcome is recorded by `run` (manifest, report, progress).

    Nothing to do starts no Ray. A Ray started here (local, or joined) is shut down at the
    end, Ctrl-C included, so none of its processes outlive the run.
    """
    if not works:
        return
    ray = import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        _connect(ray, options.address)
    try:
        with _quiet_ray():
            _run_dataset(ray, job, works, factory, options, threads or 1, run)
    finally:
        if started_here:
            ray.shutdown()


@contextmanager
def _quiet_ray() -> Iterator[None]:
    """Ray Data's INFO/WARNING lines and Python warnings hidden unless -v."""
    if logging.getLogger("translate_news").isEnabledFor(logging.INFO):
        yield
        return
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    data_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        data_logger.setLevel(level)


def _connect(ray: Any, address: str | None) -> None:
    """`ray.init`, quiet unless -v, failing in seconds with one line when nobody answers."""
    verbose = logging.getLogger("translate_news").isEnabledFor(logging.INFO)
    if not verbose:  # Ray's C++ core reads its log level from the environment only
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    _check_reachable(address)
    try:
        with _stderr_hidden(not verbose):
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=verbose,
                logging_level=logging.INFO if verbose else logging.ERROR,
            )
    except (ConnectionError, RuntimeError, ValueError) as error:
        first = first_line(error)
        raise TranslateNewsError(
            f"--ray-address {address}: cannot join the Ray cluster ({first})", _CLUSTER_FIX
        ) from error


@contextmanager
def _stderr_hidden(hidden: bool) -> Iterator[None]:
    """Ray's C++ core writes start-up lines straight to file descriptor 2 (even the line that
    says which log level it read); a failure still reaches us as a Python exception."""
    if not hidden:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _check_reachable(address: str | None) -> None:
    """A `host:port` address must accept a TCP connection within a few seconds (Ray itself
    retries an unreachable address for minutes)."""
    if address is None or address in ("auto", "local"):
        return
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=RAY_CONNECT_TIMEOUT_S).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise TranslateNewsError(
            f"--ray-address {address}: no Ray cluster answers there ({reason})", _CLUSTER_FIX
        ) from error


def check_resources(resources: dict[str, float], workers: int, gpus: float, cpus: int) -> None:
    """Refuse, with what the cluster has, a request Ray would wait for forever."""
    have_gpus, have_cpus = resources.get("GPU", 0.0), resources.get("CPU", 0.0)
    has = f"the Ray cluster has {have_gpus:g} GPU(s) and {have_cpus:g} CPU(s)"
    if gpus and workers * gpus > have_gpus:
        raise UsageError(
            f"{workers} worker(s) x --gpus-per-worker {gpus:g} need {workers * gpus:g} GPU(s); "
            f"{has}",
            "pass --gpus-per-worker 0 for CPU actors, fewer --workers, or add GPU nodes",
        )
    if workers * cpus > have_cpus:
        raise UsageError(
            f"{workers} worker(s) x {cpus} CPU(s) need {workers * cpus} CPU(s); {has}",
            "pass fewer --workers (or --threads), or add nodes",
        )


def _run_dataset(
    ray: Any,
    job: FolderJob,
    works: Sequence[WorkItem],
    factory: Callable[[], Translator],
    options: RayOptions,
    threads: int,
    run: Recorder,
) -> None:
    ray.data.DataContext.get_current().enable_progress_bars = False  # the driver shows ours
    by_relative = {work.item.relative.as_posix(): work for work in works}
    rows = [
        {
            "path": str(work.item.path),
            "root": str(work.item.root or ""),
            "relative": relative,
            "outputs": json.dumps(work.outputs),
            "data": work.data,
        }
        for relative, work in by_relative.items()
    ]
    gpus = options.gpus_per_worker
    if gpus is None:
        gpus = 1.0 if ray.cluster_resources().get("GPU", 0) > 0 else 0.0
    workers = options.workers or _default_workers(ray, gpus, threads)
    check_resources(ray.cluster_resources(), workers, gpus, 1 if gpus else threads)
    per_batch = options.articles_per_batch
    blocks = min(len(rows), max(2 * workers, -(-len(rows) // per_batch)))
    dataset = ray.data.from_items(rows, override_num_blocks=blocks)
    # Decoding tasks claim no CPU, or actors holding every CPU would starve them.
    dataset = dataset.map(_decode_row, fn_kwargs={"job": job}, num_cpus=0)
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
        first = first_line(error)
        raise TranslateNewsError(
            f"the Ray run failed: {first}", "see the worker logs (ray logs, or the dashboard)"
        ) from error


def _record(row: dict[str, Any], by_relative: dict[str, WorkItem], run: Recorder) -> None:
    """One outcome row from the actors, into the driver's manifest and report."""
    work = by_relative[row["relative"]]
    run.add_translated(int(row["sentences"]), int(row["tokens"]))
    if row["status"] == "done":
        engine = json.loads(row["engine"])
        run.record_done(work, json.loads(row["warnings"]), int(row["flagged"]), engine)
    else:
        run.record_failed(row["relative"], work.sha256, str(row["error"]))


def _default_workers(ray: Any, gpus: float, threads: int) -> int:
    resources = ray.cluster_resources()
    if gpus:
        return max(1, int(resources.get("GPU", 1) // gpus))
    return max(1, int(resources.get("CPU", 1) // threads))


def _decode_row(row: dict[str, Any], job: FolderJob) -> dict[str, Any]:
    """Task: decode one file's bytes (errors become the row's `error`)."""
    path = Path(row["path"])
    data = row.pop("data")  # read and hashed by the driver: not read again
    row.update(page=None, error=None)
    try:
        page = job.decode(path, data)
    except InputError as error:
        row["error"] = error.one_line()
        return row
    row["page"] = pickle.dumps(page)  # text, metadata, a document's origins and file
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
            page = pickle.loads(row["page"])  # made by _decode_row, in this run
            try:
                prepared.append((row, self.job.prepare(Path(row["path"]), page, self.translator)))
            except InputError as error:
                _add(outcomes, row["relative"], "failed", error.one_line())
        results = [result for _, result in prepared]
        sent = translate_results(results, self.translator, self.job.request.translate)
        tokens = source_tokens(results, self.translator)
        for row, result in prepared:
            try:
                self.job.write(Path(row["path"]), result, json.loads(row["outputs"]))
            except OutputError as error:
                _add(outcomes, row["relative"], "failed", error.one_line())
                continue
            _add(outcomes, row["relative"], "done", None, result.warnings)
            outcomes["flagged"][-1] = result.article.to_check()
            outcomes["engine"][-1] = json.dumps(result.model.engine())
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
    outcomes["flagged"].append(0)
    outcomes["engine"].append("null")
