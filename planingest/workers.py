"""Read documents in child processes, with limits enforced from outside the parsing code.

Parsers of untrusted files hang, allocate without bound and (in C extensions)
crash.  None of that may stop a batch, so every document is read in a worker
process started with a fresh ``spawn`` context (no state inherited from the
parent), and the parent enforces:

- a wall-clock limit per document: a worker still busy at its deadline is killed
  and replaced; the document fails with "timed out after N s";
- a memory limit: the worker sets ``RLIMIT_AS`` on itself before importing any
  parser, so a runaway allocation raises ``MemoryError`` inside the worker, which
  reports "exceeded N MB memory limit" and exits to be replaced;
- crash containment: a worker that dies (segfault, abort, OOM kill) fails its
  document with "reader crashed (signal N)".

Workers are reused across documents (starting one costs a Python start-up) and
only replaced when one was killed or died.  Which function reads a file is a
``"module:function"`` string so the child imports it itself; tests pass their own
fake readers this way without anything test-specific in production code.
"""
from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from planingest.process import ReadResult

DEFAULT_READER = "planingest.process:read_document"
_PR_SET_PDEATHSIG = 1
#: how long a new worker may take to start (Python start-up, imports) before its first document's clock runs
STARTUP_GRACE_S = 60.0


@dataclass(frozen=True)
class ReadJob:
    doc_id: str  # SHA-256 of the bytes the parent hashed
    path: str


@dataclass(frozen=True)
class WorkerConfig:
    reader: str = DEFAULT_READER  # "module:function" taking (Path, bytes) -> ReadResult
    timeout_s: float = 120.0
    memory_mb: int = 2048
    log_path: str | None = None  # where workers' stdout/stderr go (None: inherited)


@dataclass(frozen=True)
class ReadOutcome:
    job: ReadJob
    read: ReadResult
    seconds: float
    cacheable: bool  # False when the failure may not happen again (limits, crashes, our defects)


# --------------------------------------------------------------------------
# Child side
# --------------------------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this worker when the parent dies (Linux), so that a
    killed run leaves no orphan stuck in a hanging parser."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _load_reader(spec: str) -> Callable[[Path, bytes], ReadResult]:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _detect(path: Path, data: bytes) -> str | None:
    """The format, for the failure message should the reader not come back."""
    try:
        from ingest.detect import detect_format

        return detect_format(path, data)
    except Exception:  # noqa: BLE001 - only a label for messages
        return None


def _memory_failure(memory_mb: int, file_format: str | None) -> ReadResult:
    return ReadResult(file_format=file_format or "unknown", interpretation=None,
                      error=f"exceeded {memory_mb} MB memory limit")


def _read_one(job: ReadJob, reader, config: WorkerConfig, conn: Connection) -> tuple[ReadResult, bool, bool]:
    """Read one file; returns (result, cacheable, worker_must_exit)."""
    path = Path(job.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult("unknown", None, error=f"cannot read the file: {exc.strerror}"), False, False
    if hashlib.sha256(data).hexdigest() != job.doc_id:
        return ReadResult("unknown", None, error="the file changed while the run was going; run again"), False, False
    file_format = _detect(path, data)
    conn.send(("started", file_format))
    try:
        read = reader(path, data)
    except MemoryError:
        return _memory_failure(config.memory_mb, file_format), False, True
    except Exception as exc:  # noqa: BLE001 - a reader must not raise; if it does it is ours
        error = f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
        return ReadResult(file_format or "unknown", None, error=error, internal_error=True), False, False
    if read.internal_error and "MemoryError" in (read.error or ""):
        # read_document turns every exception into a result, MemoryError included
        return _memory_failure(config.memory_mb, read.file_format or file_format), False, True
    return read, not read.internal_error, False


def _redirect_output(log_path: str | None) -> None:
    """Send the worker's stdout/stderr (library warnings, a crash's C stack) to a log
    file instead of the user's terminal, where they would garble the progress lines."""
    if not log_path:
        return
    import faulthandler

    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    faulthandler.enable()


def serve(conn: Connection, config: WorkerConfig, parent_pid: int) -> None:
    """Worker main loop: send ("ready",) once, then per job ("started", fmt) and ("done", outcome, exiting)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent_pid)
    _redirect_output(config.log_path)
    try:
        _limit_memory(config.memory_mb)
        _serve_jobs(conn, config)
    except BaseException:  # noqa: BLE001 - never a traceback; the parent reports the exit status
        import traceback

        traceback.print_exc()  # into the worker log, when there is one
        os._exit(70)


def _serve_jobs(conn: Connection, config: WorkerConfig) -> None:
    try:
        reader = _load_reader(config.reader)
        reader_error = None
    except Exception as exc:  # noqa: BLE001
        reader = None
        reader_error = f"internal error: cannot load the reader {config.reader} ({type(exc).__name__}: {exc})"
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        started = time.monotonic()
        if reader is None:
            read, cacheable, must_exit = ReadResult("unknown", None, error=reader_error, internal_error=True), False, False
        else:
            try:
                read, cacheable, must_exit = _read_one(job, reader, config, conn)
            except MemoryError:  # reading or hashing a file larger than the limit
                read, cacheable, must_exit = _memory_failure(config.memory_mb, None), False, True
        outcome = ReadOutcome(job, read, time.monotonic() - started, cacheable)
        try:
            conn.send(("done", outcome, must_exit))
        except MemoryError:
            conn.send(("done", ReadOutcome(job, _memory_failure(config.memory_mb, read.file_format),
                                           outcome.seconds, False), True))
            return
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle
            failure = ReadResult(read.file_format or "unknown", None, internal_error=True,
                                 error=f"internal error: the reader's result could not be passed back ({exc})")
            conn.send(("done", ReadOutcome(job, failure, outcome.seconds, False), must_exit))
        if must_exit:
            return


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------


class _Worker:
    """The parent's handle on one worker process and the job it is busy with."""

    def __init__(self, ctx, config: WorkerConfig) -> None:
        self.config = config
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=serve, args=(child_conn, config, os.getpid()), daemon=True,
                                   name="planingest-reader")
        self.process.start()
        child_conn.close()
        self.ready = False  # start-up time does not count against a document's time limit
        self.job: ReadJob | None = None
        self.started = 0.0
        self.file_format: str | None = None

    def assign(self, job: ReadJob) -> None:
        self.job, self.started, self.file_format = job, time.monotonic(), None
        self.conn.send(job)

    @property
    def deadline(self) -> float:
        grace = 0.0 if self.ready else STARTUP_GRACE_S
        return self.started + grace + self.config.timeout_s

    def _fail(self, error: str) -> ReadOutcome:
        job, self.job = self.job, None
        read = ReadResult(self.file_format or "unknown", None, error=error)
        return ReadOutcome(job, read, time.monotonic() - self.started, cacheable=False)

    def collect(self, now: float) -> ReadOutcome | None:
        """The outcome of the current job if there is one yet (after a wait())."""
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "ready":
                    self.ready, self.started = True, max(self.started, time.monotonic())
                    continue
                if message[0] == "started":
                    self.file_format = message[1]
                    continue
                _, outcome, exiting = message
                self.job = None
                if exiting:
                    self.kill()
                return outcome
        except (EOFError, OSError):
            pass
        if not self.process.is_alive():
            self.kill()
            code = self.process.exitcode
            cause = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            return self._fail(f"reader crashed ({cause})")
        if now >= self.deadline:
            self.kill()
            return self._fail(f"timed out after {self.config.timeout_s:g} s")
        return None

    @property
    def usable(self) -> bool:
        return not self.conn.closed and self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Ask an idle worker to exit; kill it if it does not."""
        if self.job is None and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
        self.kill()


class ReaderPool:
    """Reads jobs in up to ``size`` isolated workers; yields outcomes as they finish."""

    def __init__(self, size: int, config: WorkerConfig) -> None:
        self.size = max(1, size)
        self.config = config
        self._ctx = multiprocessing.get_context("spawn")

    def map(self, jobs: Iterable[ReadJob]) -> Iterator[ReadOutcome]:
        pending = deque(jobs)
        workers: list[_Worker] = []
        try:
            while pending or any(w.job is not None for w in workers):
                workers = self._prune(workers)
                self._dispatch(pending, workers)
                busy = [w for w in workers if w.job is not None]
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
                now = time.monotonic()
                for worker in busy:
                    outcome = worker.collect(now)
                    if outcome is not None:
                        yield outcome
        finally:
            for worker in workers:
                worker.stop()

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

    def _dispatch(self, pending: deque[ReadJob], workers: list[_Worker]) -> None:
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
            worker = _Worker(self._ctx, self.config)
            workers.append(worker)
            worker.assign(pending.popleft())
