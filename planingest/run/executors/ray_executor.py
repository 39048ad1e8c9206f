"""The read stage on a Ray cluster: one task per document, results back as they finish.

Why it is built this way:

- **Isolation is unchanged, the reader is kept.**  A task does not parse the
  file itself: it hands the document to a
  :class:`~planingest.run.pool.PersistentReader`, a reader process this Ray
  worker keeps across tasks (one per worker process, for the run's config), so
  the document is read in an isolated process with the run's time and memory
  limits, without paying a new interpreter, imports and OCR engine per document
  (BENCHMARKS.md "The Ray executor").  A reader that was killed, crashed or grew
  past ``--recycle-mb`` is replaced for the next task.
  A hostile file kills its reader, never the Ray worker, and comes back as an
  ordinary failed outcome ("reader crashed (signal 11)", "timed out after …"),
  which is not retried: it would only fail again.  The time limit grows with
  the document's OCR pages (``--ocr-page-timeout``) as locally; OCR page
  progress is not relayed to the driver (only finished documents are shown).
- **Node loss is Ray's to repair.**  A node (or Ray worker) that dies takes its
  in-flight tasks with it; Ray runs them again elsewhere, up to ``max_retries``
  times.  A document whose every try was lost is failed once, with the reason,
  and the batch goes on.
- **The driver keeps everything that matters.**  Only the read runs remotely;
  the batch caches each outcome the moment :func:`ray.wait` hands it over, and
  normalises and writes the tables under its lock as with the local executor.
  A driver that dies keeps every read it had received.
- **Files, not bytes, travel.**  A task gets the document's path (and content
  hash) and reads it on its node, so inputs must be on a folder every node
  mounts at the same path; the cache and the tables stay in the driver's
  ``--out`` folder.  Only outcomes pass through Ray's object store.
- **A bounded window.**  At most ``window`` tasks are submitted at a time (two
  per CPU of the cluster), so a national backfill does not put 160,000 tasks
  into the scheduler at once.

Ray is an optional extra (``pip install 'planingest[ray]'``); without it,
asking for this executor is a usage error that says how to install it.
"""
from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from planingest.core.errors import UsageError
from planingest.core.i18n import N_, _
from planingest.core.records import ReadResult
from planingest.run.pool import PersistentReader
from planingest.run.worker import ReadJob, ReadOutcome, WorkerConfig

INSTALL_HINT = N_("--executor ray needs Ray: pip install 'planingest[ray]'")
#: how often Ray runs a task again after its worker or node died (a hostile file never gets here)
MAX_RETRIES = 3
#: tasks submitted per CPU of the cluster at any one time
TASKS_PER_CPU = 2
#: where a Ray started for one run listens: nothing outside this machine needs to reach it
LOOPBACK = "127.0.0.1"


def import_ray() -> Any:
    """The ``ray`` module, or a UsageError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UsageError(_(INSTALL_HINT)) from None
    return ray


#: the reader this Ray worker process keeps across tasks, with the config it was started for
_kept: tuple[WorkerConfig, PersistentReader] | None = None
_kept_lock = threading.Lock()


def _close_kept_reader() -> None:
    global _kept
    if _kept is not None:
        _kept[1].close()
        _kept = None


atexit.register(_close_kept_reader)  # a Ray worker that exits stops its reader (and removes its temp folder)


def node_reader(config: WorkerConfig) -> PersistentReader:
    """This process's kept reader for ``config``; one for another config is stopped first (one run at a time)."""
    global _kept
    if _kept is not None and _kept[0] == config:
        return _kept[1]
    _close_kept_reader()
    reader = PersistentReader(config)
    _kept = (config, reader)
    return reader


def read_on_node(job: ReadJob, config: WorkerConfig, driver_sys_path: tuple[str, ...]) -> ReadOutcome:
    """The body of one Ray task: read ``job`` in this Ray worker's isolated reader process.

    The reader process gets this node's import path plus the driver's folders
    that exist here (so a reader given as "module:function" from the driver's
    project imports on a node that mounts it).  Reader logs go to the run's
    ``workers.log`` when the node sees the output folder, else to Ray's own
    per-worker log on the node.
    """
    here = list(sys.path)
    sys_path = tuple(here + [p for p in driver_sys_path if p not in here and os.path.isdir(p)])
    log_path = config.log_path if config.log_path and os.path.isdir(os.path.dirname(config.log_path)) else None
    # one reader per Ray worker: no idle worker to share pages with, and the driver's page store is not the node's
    node_config = replace(config, sys_path=sys_path, log_path=log_path, page_store=None)
    with _kept_lock:  # a Ray worker runs one task at a time; the lock only makes that an invariant
        return node_reader(node_config).read(job)


class RayExecutor:
    """Reads each document as a Ray task; see the module docstring.

    ``address``: a cluster to join ("auto" for the one this machine is a node
    of, "HOST:6379", or "ray://HOST:10001"); ``None`` joins ``$RAY_ADDRESS`` if
    set and otherwise starts a Ray of its own on this machine with ``num_cpus``
    CPUs, shut down when the read stage ends.  If Ray is already
    initialised in this process (a notebook, the tests), that connection is used
    and left open.  ``submitted`` counts the tasks this executor has submitted.
    """

    def __init__(self, address: str | None = None, num_cpus: int | None = None,
                 max_retries: int = MAX_RETRIES) -> None:
        self.ray = import_ray()  # before the batch takes the lock or hashes anything
        self.address, self.num_cpus, self.max_retries = address, num_cpus, max_retries
        self.submitted = 0

    # -- connecting --------------------------------------------------------

    def _connect(self) -> bool:
        """Join or start Ray; True when this executor started the connection (and must end it)."""
        ray = self.ray
        if ray.is_initialized():
            return False
        quiet = {"log_to_driver": False, "configure_logging": False}
        address = self.address or os.environ.get("RAY_ADDRESS") or None
        if address is None:  # a Ray of our own on this machine, reachable only from it
            ray.init(num_cpus=self.num_cpus, include_dashboard=False, _node_ip_address=LOOPBACK, **quiet)
            return True
        try:
            ray.init(address=address, **quiet)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise UsageError(_("cannot join the Ray cluster at {address}: {error}").format(
                address=repr(address), error=exc)) from None
        return True

    def _window(self) -> int:
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        return max(2, TASKS_PER_CPU * cpus)

    # -- reading -----------------------------------------------------------

    def map(self, jobs: Sequence[ReadJob], config: WorkerConfig) -> Iterator[ReadOutcome]:
        if not jobs:
            return
        started_here = self._connect()
        try:
            yield from self._run(jobs, config)
        finally:
            if started_here:
                self.ray.shutdown()

    def _run(self, jobs: Sequence[ReadJob], config: WorkerConfig) -> Iterator[ReadOutcome]:
        ray = self.ray
        task = ray.remote(read_on_node).options(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)
        driver_sys_path = tuple(config.sys_path or sys.path)
        config = replace(config, sys_path=())
        window = self._window()
        queue = deque(jobs)
        in_flight: dict[Any, tuple[ReadJob, float]] = {}
        try:
            while queue or in_flight:
                while queue and len(in_flight) < window:
                    job = queue.popleft()
                    in_flight[task.remote(job, config, driver_sys_path)] = (job, time.monotonic())
                    self.submitted += 1
                done, _ = ray.wait(list(in_flight), num_returns=1)
                for ref in done:
                    job, submitted_at = in_flight.pop(ref)
                    yield self._outcome(ref, job, time.monotonic() - submitted_at)
        finally:
            for ref in in_flight:  # the driver stops early (Ctrl-C, an error): free the cluster
                ray.cancel(ref, force=True)

    def _outcome(self, ref: Any, job: ReadJob, seconds: float) -> ReadOutcome:
        ray = self.ray
        try:
            return ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # the task's own code raised: a defect of ours
            cause = exc.cause if getattr(exc, "cause", None) is not None else exc
            first = (str(cause).strip().splitlines() or [""])[0][:200]
            error = f"internal error while reading on the cluster ({type(cause).__name__}: {first}); please report it"
            return ReadOutcome(job, ReadResult("unknown", None, error=error, internal_error=True), seconds, False)
        except ray.exceptions.RayError as exc:  # worker or node lost on every try
            error = (f"the cluster lost the reader of this document on all {self.max_retries + 1} tries "
                     f"({type(exc).__name__}); its node or Ray worker died")
            return ReadOutcome(job, ReadResult("unknown", None, error=error), seconds, False)
