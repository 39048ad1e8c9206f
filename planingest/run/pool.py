"""Read documents in worker processes, with limits enforced from outside the parsing code.

Parsers of untrusted files hang, allocate without bound and (in C extensions)
crash.  None of that may stop a batch, so every document is read in a worker
process (:mod:`planingest.run.worker`) and the parent enforces:

- a wall-clock limit per document: a worker still busy at its deadline is killed
  (with its process group, so a converter it started dies too) and replaced;
  the document fails with "timed out after N s".  The limit is ``timeout_s`` plus
  ``ocr_page_timeout_s`` for each page that needs OCR, which the worker counts
  (cheaply) before reading and reports with its "started" message;
- a memory limit on resident memory: the parent reads a busy worker's resident
  set (with the converters it started: :mod:`planingest.run.resident`) every
  ``resident.CHECK_S`` seconds and kills it over the limit; the worker itself keeps
  a looser address-space limit as a backstop against allocations faster than
  that ("exceeded N MB memory limit" either way);
- crash containment: a worker that dies fails its document with
  "reader crashed (signal N)".

Workers are fresh interpreters started with ``python -c`` rather than
``multiprocessing``'s spawn, which would re-run the caller's unguarded
``__main__`` (a script or notebook calling :func:`run_batch`) in every worker.
They are reused across documents and replaced when one was killed or died, or
when its resident memory after a document passed ``recycle_mb`` (a reader that
grew, e.g. on a huge spreadsheet, would otherwise hold that memory for the rest of
the batch).  A worker holding the OCR engine sits at ≈345 MB after a scan (the
worker trims its heap after each document) and is kept: the next scan saves the
engine load (about 1 s on a quiet machine).

Each worker gets its own temporary folder (``$TMPDIR`` of the worker,
``planingest-w<parent pid>-*``): whatever a reader or a converter leaves there
goes when the worker ends, and folders of a run that was killed outright are
removed by the next run's pool.

:class:`PersistentReader` is the same worker for callers that hand out one
document at a time (a Ray task): it keeps its process across calls under the same
limits, and replaces it after a kill, a crash or ``recycle_mb``.

With a page store in the config and more than one worker, slots with no document
to read help with the long scans being read: :mod:`planingest.run.pageshare`.

Which function reads a file is a ``"module:function"`` string the worker imports
itself; tests pass their own fake readers that way, and production code holds
nothing test-specific.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from pathlib import Path

from planingest.core.records import ReadResult
from planingest.run import resident
from planingest.run.pageshare import PageSharing
from planingest.run.worker import BOOT, PageJob, ReadJob, ReadOutcome, WorkerConfig, memory_message

DEFAULT_READER = "planingest.run.process:read_document"
#: counts the pages of a document that need OCR (its time budget grows with them)
DEFAULT_PAGE_COUNTER = "planingest.run.ocrpages:ocr_page_plan"
#: OCRs one page of a long scan for its reader (page sharing)
DEFAULT_PAGE_READER = "planingest.run.ocrpages:page_words"
#: how long a new worker may take to start (Python start-up, imports) before its first document's clock runs
STARTUP_GRACE_S = 60.0
#: the folder holding the planingest package (a checkout's root), so a worker imports the same code as its parent
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_TMP_PREFIX = "planingest-w"


def remove_orphan_folders(tmp: str | None = None) -> int:
    """Remove the per-worker folders of runs whose process is gone (killed outright); returns how many."""
    removed = 0
    for path in Path(tmp or tempfile.gettempdir()).glob(f"{_TMP_PREFIX}*-*"):
        pid = path.name[len(_TMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: called with (job, pages done, pages needing OCR) as a worker reports OCR progress
PageProgress = Callable[[ReadJob, int, int], None]


def timeout_message(timeout_s: float, ocr_pages: int = 0, ocr_page_timeout_s: float = 0.0) -> str:
    """Names the budget the document had, and the options that raise it."""
    if ocr_pages <= 0 or ocr_page_timeout_s <= 0:
        return f"timed out after {timeout_s:g} s; raise --timeout to read it"
    total = timeout_s + ocr_pages * ocr_page_timeout_s
    return (f"timed out after {total:g} s ({timeout_s:g} s + {ocr_pages} OCR pages × {ocr_page_timeout_s:g} s); "
            "raise --timeout or --ocr-page-timeout to read it")


#: the messages of page sharing, handed to ``_Worker.on_share`` (run/pageshare.py)
SHARE_MESSAGES = ("plan", "reach")


class _Worker:
    """The parent's handle on one worker process and the job it is busy with."""

    #: called with (job, message) for SHARE_MESSAGES (set by the pool when it shares pages)
    on_share: Callable[[ReadJob, tuple], None] | None = None

    def __init__(self, config: WorkerConfig, on_page: PageProgress | None = None) -> None:
        self.config, self.on_page = config, on_page
        ours, theirs = socket.socketpair()
        self.tmp = tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-")
        env = dict(os.environ, TMPDIR=self.tmp)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        log = open(config.log_path, "ab") if config.log_path else None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", BOOT, str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                start_new_session=True,  # its own process group: killed as a whole, deaf to the terminal's Ctrl-C
            )
        finally:
            theirs.close()
            if log:
                log.close()
        self.conn = Connection(ours.detach())
        self.conn.send(config)
        self.ready = False  # start-up time does not count against a document's time limit
        self.job: ReadJob | None = None
        self.started = 0.0
        self.file_format: str | None = None
        self.ocr_pages = 0  # of the current job, as the worker counted them
        self.memory_check = 0.0  # when the worker's resident memory is read next

    def assign(self, job: ReadJob) -> None:
        self.job, self.started, self.file_format, self.ocr_pages = job, time.monotonic(), None, 0
        self.memory_check = self.started + resident.CHECK_S
        self.conn.send(job)

    @property
    def budget_s(self) -> float:
        """The current job's time limit: the base plus the per-page allowance of its OCR pages."""
        return self.config.timeout_s + self.ocr_pages * self.config.ocr_page_timeout_s

    @property
    def deadline(self) -> float:
        grace = 0.0 if self.ready else STARTUP_GRACE_S
        return self.started + grace + self.budget_s

    @property
    def wake_at(self) -> float:
        """When the parent must look at this busy worker even if it says nothing: its deadline or memory check."""
        return min(self.deadline, self.memory_check)

    @property
    def usable(self) -> bool:
        return not self.conn.closed and self.process.poll() is None

    def _fail(self, error: str, resource: str) -> ReadOutcome:
        job, self.job = self.job, None
        assert job is not None, "a failure is only recorded for a job in progress"
        read = ReadResult(self.file_format or "unknown", None, error=error)
        return ReadOutcome(job, read, time.monotonic() - self.started, cacheable=False, resource=resource)

    def collect(self, now: float) -> ReadOutcome | None:
        """The outcome of the current job if there is one yet (call after wait())."""
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "ready":
                    self.ready, self.started = True, max(self.started, time.monotonic())
                elif message[0] == "started":
                    self.file_format, self.ocr_pages = message[1], int(message[2])
                elif message[0] == "page":
                    if self.on_page is not None and self.job is not None:
                        self.on_page(self.job, int(message[1]), int(message[2]))
                elif message[0] in SHARE_MESSAGES:
                    if self.on_share is not None and self.job is not None:
                        self.on_share(self.job, message)
                else:
                    _, outcome, exiting, rss_mb = message
                    self.job = None
                    recycle = self.config.recycle_mb
                    if exiting or (recycle is not None and rss_mb > recycle):
                        self.kill()  # idle now: a fresh worker takes the next document
                    return outcome
        except (EOFError, OSError):  # the worker is gone; its exit status says how
            try:
                self.process.wait(1)
            except subprocess.TimeoutExpired:
                pass
            self.kill()
            code = self.process.returncode
            cause = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            return self._fail(f"reader crashed ({cause}); it is read again next run (if the file is very "
                              "large, raise --memory-mb)", "crash")
        if now >= self.memory_check:
            self.memory_check = now + resident.CHECK_S
            if resident.tree_resident_mb(self.process.pid) > self.config.memory_mb:
                self.kill()
                return self._fail(memory_message(self.config.memory_mb), "memory")
        if now >= self.deadline:
            self.kill()
            return self._fail(timeout_message(self.config.timeout_s, self.ocr_pages, self.config.ocr_page_timeout_s),
                              "timeout")
        return None

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        if self.job is None and self.usable:
            try:
                self.conn.send(None)
                self.process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


class PersistentReader:
    """One isolated worker kept across documents read one at a time: ``read(job) -> ReadOutcome``.

    For callers that hand out documents one by one (a Ray task per document,
    :mod:`planingest.run.executors.ray_executor`) and would otherwise pay a fresh
    interpreter, imports and the OCR engine load for each.  Every limit of
    :class:`ReaderPool` holds, enforced the same way (:class:`_Worker`): the
    document's time budget with its OCR pages, the resident-memory check every
    ``resident.CHECK_S`` s, crash containment, the per-worker temporary folder.
    A worker that was killed, crashed, asked to exit or grew past ``recycle_mb``
    is replaced by a fresh one for the next document.  No page sharing (one
    worker has no idle slot to share with).  ``close()`` stops the worker.
    """

    def __init__(self, config: WorkerConfig, on_page: PageProgress | None = None) -> None:
        self.on_page = on_page
        self.config = replace(config, sys_path=tuple(config.sys_path or sys.path), page_store=None)
        self._worker: _Worker | None = None
        remove_orphan_folders()

    @property
    def pid(self) -> int | None:
        """The live worker's process id (None: none running; the next read starts one)."""
        worker = self._worker
        return worker.process.pid if worker is not None and worker.usable else None

    def _fresh(self) -> _Worker:
        if self._worker is not None:
            self._worker.kill()
        self._worker = _Worker(self.config, self.on_page)
        return self._worker

    def read(self, job: ReadJob) -> ReadOutcome:
        worker = self._worker if self._worker is not None and self._worker.usable else self._fresh()
        try:
            worker.assign(job)
        except OSError:  # died while idle: a fresh one takes the job
            worker.job = None
            worker = self._fresh()
            worker.assign(job)
        try:
            while True:
                wait([worker.conn], max(0.0, worker.wake_at - time.monotonic()))
                outcome = worker.collect(time.monotonic())
                if outcome is not None:
                    return outcome
        except BaseException:  # interrupted mid-document (a cancelled task): the worker's state is unknown
            worker.job = None
            worker.kill()
            raise

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None


class ReaderPool:
    """Reads jobs in up to ``size`` isolated workers; yields outcomes as they finish."""

    def __init__(self, size: int, config: WorkerConfig, on_page: PageProgress | None = None) -> None:
        self.size = max(1, size)
        self.on_page = on_page
        self.config = replace(config, sys_path=tuple(config.sys_path or sys.path))
        remove_orphan_folders()

    def map(self, jobs: Iterable[ReadJob]) -> Iterator[ReadOutcome]:
        pending = deque(jobs)
        workers: list[_Worker] = []
        self.sharing = sharing = self._page_sharing()
        try:
            while pending or any(w.job is not None for w in workers):
                workers = self._prune(workers)
                self._dispatch(pending, workers, sharing)
                if sharing is not None and not pending:
                    self._share_pages(workers, sharing)
                busy = [w for w in workers if w.job is not None]
                timeout = max(0.0, min(w.wake_at for w in busy) - time.monotonic())
                wait([w.conn for w in busy], timeout)
                now = time.monotonic()
                for worker in busy:
                    if worker.job is None:  # a page job cancelled just now
                        continue
                    outcome = worker.collect(now)
                    if outcome is None:
                        continue
                    if sharing is not None:
                        if isinstance(outcome.job, PageJob):
                            sharing.page_done(outcome)
                            continue
                        self._cancel_pages(outcome.job.doc_id, workers, sharing)
                    yield outcome
        finally:
            for worker in workers:
                worker.stop()
            if sharing is not None:
                sharing.close()

    #: the page sharing of the last map() (None: none); its counters say how many page jobs helped
    sharing: PageSharing | None = None

    def _page_sharing(self) -> PageSharing | None:
        """Pages are shared with a page store, a page reader and room for more than one worker."""
        if self.size < 2 or not self.config.page_store or not self.config.page_reader:
            return None
        return PageSharing(self.config.page_store, self.on_page, self.config.log_path)

    def _new_worker(self, sharing: PageSharing | None) -> _Worker:
        if sharing is None:
            return _Worker(self.config, self.on_page)
        worker = _Worker(self.config, sharing.progress)
        worker.on_share = sharing.message
        return worker

    def _share_pages(self, workers: list[_Worker], sharing: PageSharing) -> None:
        """Idle slots (no document is waiting) take pages of the long scans being read."""
        while True:
            idle = next((w for w in workers if w.job is None and w.usable), None)
            if idle is None and sum(1 for w in workers if w.usable) >= self.size:
                return
            page = sharing.next_job()
            if page is None:
                return
            if idle is None:
                idle = self._new_worker(sharing)
                workers.append(idle)
            try:
                idle.assign(page)
            except OSError:  # died while idle: the page is its reader's again
                idle.job = None
                idle.kill()

    @staticmethod
    def _cancel_pages(doc_id: str, workers: list[_Worker], sharing: PageSharing) -> None:
        """The document is done: page jobs still running for it are killed, its stored pages removed."""
        for worker in workers:
            if isinstance(worker.job, PageJob) and worker.job.doc_id == doc_id:
                worker.kill()
                worker.job = None
        sharing.document_done(doc_id)

    @staticmethod
    def _prune(workers: list[_Worker]) -> list[_Worker]:
        """Drop workers that died or were killed while idle."""
        alive = []
        for worker in workers:
            if worker.usable or worker.job is not None:
                alive.append(worker)
            else:
                worker.kill()
        return alive

    def _dispatch(self, pending: deque[ReadJob], workers: list[_Worker], sharing: PageSharing | None = None) -> None:
        for worker in workers:
            if pending and worker.job is None and worker.usable:
                try:
                    worker.assign(pending[0])
                except OSError:  # died while idle; a fresh one takes the job below
                    worker.job = None
                    worker.kill()
                    continue
                pending.popleft()
        while pending and sum(1 for w in workers if w.usable) < self.size:
            worker = self._new_worker(sharing)
            workers.append(worker)
            worker.assign(pending.popleft())
