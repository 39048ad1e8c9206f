"""The worker process that reads documents (the child side of :mod:`planingest.run.pool`).

A worker is a fresh Python interpreter (``python -c``, see ``BOOT``) talking to
the parent over a socket.  Before it imports any parser it

- asks the kernel to kill it when the parent dies (a killed run leaves no
  orphan stuck in a hanging parser);
- limits its own address space (``RLIMIT_AS``) to its memory limit plus an
  allowance for what runtimes reserve and never touch
  (:func:`planingest.run.resident.address_space_mb`), so an allocation too fast
  for the parent's resident-memory check (a decompression bomb) raises
  ``MemoryError`` here instead of exhausting the machine; the worker then
  reports "exceeded N MB memory limit" and exits, to be replaced.  The limit
  itself is on resident memory and the parent enforces it (:mod:`planingest.run.pool`);
  the OCR engine is told it, to pick settings that fit.

Protocol: the parent sends a :class:`WorkerConfig`; the worker answers
``("ready",)``; then per :class:`ReadJob` it sends ``("started", file_format,
ocr_pages)`` (the pages that will go to OCR: the parent gives the document that
much more time), ``("page", k, n)`` as OCR pages are done, and ``("done",
ReadOutcome, exiting, rss_mb)`` (the worker's resident memory after the document:
the parent replaces a worker that grew).  ``None`` asks it to exit.  Nothing here
ever prints a traceback to the user's terminal: the worker's stdout/stderr go to
``OUT/.state/workers.log``.
"""
from __future__ import annotations

import errno
import hashlib
import importlib
import os
import signal
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from planingest.core.errors import internal_error
from planingest.core.records import ReadResult
from planingest.ingest import ocr_engine
from planingest.ingest.detect import detect_format
from planingest.ingest.heap import release_free_memory
from planingest.ingest.progress import set_page_hook, set_page_lookup
from planingest.ingest.registry import is_container
from planingest.run import pagestore
from planingest.run.containers import expand_container
from planingest.run.resident import address_space_mb

#: the command a worker is started with: argv is [fd of the socket, parent pid]
BOOT = "import sys; from planingest.run.worker import main; main(int(sys.argv[1]), int(sys.argv[2]))"
_PR_SET_PDEATHSIG = 1
_EXIT_DEFECT = 70


@dataclass(frozen=True)
class ReadJob:
    doc_id: str  # SHA-256 of the bytes the parent hashed
    path: str


@dataclass(frozen=True)
class PageJob(ReadJob):
    """OCR one page of a document another worker is reading, into the page store (page sharing)."""

    page: int = 0


@dataclass(frozen=True)
class WorkerConfig:
    reader: str  # "module:function" taking (Path, bytes, file_format, catalogue_dir) -> ReadResult
    timeout_s: float = 120.0
    memory_mb: int = 2048
    log_path: str | None = None  # where workers' stdout/stderr go (None: inherited)
    sys_path: tuple[str, ...] = field(default=())  # the parent's, so the reader imports the same modules
    catalogue_dir: str | None = None  # the run's vocabulary folder: reading uses its header words
    members_dir: str | None = None  # where containers' members are written (run/containers.py); None: not opened
    #: seconds each page that needs OCR adds to ``timeout_s`` (the document's budget grows with its scanned pages)
    ocr_page_timeout_s: float = 20.0
    #: "module:function" taking (Path, bytes, file_format) -> pages needing OCR; None: none counted
    page_counter: str | None = None
    #: a worker whose resident memory passed this after a document is replaced (None: never)
    recycle_mb: int | None = 1024
    #: folder where helpers leave pages of long scans for their reader (run/pagestore.py); None: no page sharing
    page_store: str | None = None
    #: "module:function" taking (Path, bytes, file_format, page_number) -> that page's OCR words (a JSON dict)
    page_reader: str | None = None


@dataclass(frozen=True)
class ReadOutcome:
    job: ReadJob
    read: ReadResult
    seconds: float
    cacheable: bool  # False when the failure may not happen again (limits, crashes, our defects)
    #: the limit the document ran into ("memory", "timeout"), "crash", or None: never the document's
    #: verdict, only remembered until the limit is raised
    resource: str | None = None


def _die_with_parent(parent_pid: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the socket's EOF still ends an idle worker
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def _limit_memory(memory_mb: int) -> None:
    """The address-space backstop; the resident limit is the parent's to enforce, and the OCR engine's to fit."""
    import resource

    ocr_engine.RESIDENT_LIMIT_MB = memory_mb
    limit = address_space_mb(memory_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


Reader = Callable[[Path, bytes, "str | None", "str | None"], ReadResult]


PageCounter = Callable[[Path, bytes, "str | None"], "int | list[int]"]


def _load_function(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _load_reader(spec: str) -> Reader:
    return _load_function(spec)


def _detect(path: Path, data: bytes) -> str | None:
    """The format: reported to the parent before reading (for the failure message should
    the reader not come back) and handed to the reader, so it is detected once."""
    try:
        return detect_format(path, data)
    except Exception:  # noqa: BLE001 - the reader detects again and reports what is wrong
        return None


def _count_ocr_pages(counter: str | None, path: Path, data: bytes, file_format: str | None) -> tuple[int, list[int]]:
    """Pages of the document that will go to OCR (0 when unknown: the base time limit still holds), and their
    numbers when the counter names them (a list: pages other workers can read one at a time), else []."""
    if not counter:
        return 0, []
    try:
        count: PageCounter = _load_function(counter)
        counted = count(path, data, file_format)
        if isinstance(counted, int):
            return max(0, counted), []
        numbers = sorted({int(n) for n in counted})
        return len(numbers), numbers
    except (Exception, MemoryError):  # noqa: BLE001 - the reader meets the same damage (or limit) and reports it
        return 0, []


def _share_pages(config: WorkerConfig, job: ReadJob, numbers: list[int], conn: Connection) -> None:
    """Offer the document's OCR pages to the parent for helpers, and look each page up in the store before
    reading it (telling the parent which page the reader has reached)."""
    if config.page_store is None or not numbers:
        return
    conn.send(("plan", numbers))
    set_page_lookup(pagestore.lookup(config.page_store, job.doc_id, lambda n: conn.send(("reach", n))))


def read_page_job(job: PageJob, config: WorkerConfig) -> tuple[ReadResult, bool, bool]:
    """OCR one page into the page store; returns (result, cacheable, worker_must_exit) like :func:`read_one`.

    A failure here costs nothing but the page: the document's reader then reads it itself.
    """
    path = Path(job.path)
    try:
        data = _read_regular_file(path)
    except OSError as exc:
        return _failure(f"cannot read the file: {exc.strerror}"), False, False
    if hashlib.sha256(data).hexdigest() != job.doc_id or not config.page_store or not config.page_reader:
        return _failure("page job refused: the file changed, or no page store"), False, False
    file_format = _detect(path, data)
    try:
        words = _load_function(config.page_reader)(path, data, file_format, job.page)
        stored = pagestore.write_page(config.page_store, job.doc_id, job.page, words)
    except MemoryError:
        return _memory_failure(config.memory_mb, file_format), False, True
    except Exception as exc:  # noqa: BLE001 - the page is read by the document's reader instead
        return _failure(f"page {job.page} not read: {exc!r}"[:300], file_format), False, False
    if not stored:
        return _failure(f"page {job.page} not stored: its document is done", file_format), False, False
    return ReadResult(file_format, None, pages=1), False, False


def resident_mb() -> float:
    """This process's resident memory now (MB), from /proc; its peak where /proc is missing."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def memory_message(memory_mb: int) -> str:
    return f"exceeded {memory_mb} MB memory limit; raise --memory-mb to read it"


def _memory_failure(memory_mb: int, file_format: str | None) -> ReadResult:
    return ReadResult(file_format or "unknown", None, error=memory_message(memory_mb))


def _failure(error: str, file_format: str | None = None, internal: bool = False) -> ReadResult:
    return ReadResult(file_format or "unknown", None, error=error, internal_error=internal)


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, opened without blocking (a file swapped for a FIFO must not hang)."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return fh.read()


def read_one(job: ReadJob, reader, config: WorkerConfig, conn: Connection) -> tuple[ReadResult, bool, bool]:
    """Read one file; returns (result, cacheable, worker_must_exit)."""
    if isinstance(job, PageJob):
        return read_page_job(job, config)
    path = Path(job.path)
    try:
        data = _read_regular_file(path)
    except OSError as exc:
        return _failure(f"cannot read the file: {exc.strerror}"), False, False
    if hashlib.sha256(data).hexdigest() != job.doc_id:
        return _failure("the file changed while the run was going; run again"), False, False
    file_format = _detect(path, data)
    ocr_pages, numbers = _count_ocr_pages(config.page_counter, path, data, file_format)
    conn.send(("started", file_format, ocr_pages))
    done = 0

    def page_done(_number: int) -> None:
        nonlocal done
        done += 1
        conn.send(("page", done, max(ocr_pages, done)))

    set_page_hook(page_done)
    try:
        _share_pages(config, job, numbers, conn)
        if config.members_dir is not None and is_container(file_format):
            read = expand_container(path, data, file_format or "zip", config.members_dir)
        else:
            read = reader(path, data, file_format, config.catalogue_dir)
    except MemoryError:
        return _memory_failure(config.memory_mb, file_format), False, True
    except Exception as exc:  # noqa: BLE001 - a reader must not raise; if it does it is ours
        error = internal_error("reading", exc)
        return _failure(error, file_format, internal=True), False, False
    finally:
        set_page_hook(None)
        set_page_lookup(None)
    return read, not read.internal_error, False


def _serve(conn: Connection, config: WorkerConfig) -> None:
    try:
        reader, reader_error = _load_reader(config.reader), None
    except Exception as exc:  # noqa: BLE001
        reader, reader_error = None, f"internal error: cannot load the reader {config.reader} ({exc!r})"
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
            read, cacheable, must_exit = _failure(reader_error or "internal error", internal=True), False, False
        else:
            try:
                read, cacheable, must_exit = read_one(job, reader, config, conn)
            except MemoryError:  # reading or hashing a file larger than the limit
                read, cacheable, must_exit = _memory_failure(config.memory_mb, None), False, True
        seconds = time.monotonic() - started
        release_free_memory()  # the resident memory reported (and judged for recycling) is what is really held
        resource = "memory" if must_exit else None  # the worker exits only after running out of memory
        try:
            conn.send(("done", ReadOutcome(job, read, seconds, cacheable, resource), must_exit, resident_mb()))
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle, or MemoryError
            memory = isinstance(exc, MemoryError)
            failure = (_memory_failure(config.memory_mb, read.file_format) if memory else
                       _failure(f"internal error: the reader's result could not be passed back ({exc!r})",
                                read.file_format, internal=True))
            conn.send(("done", ReadOutcome(job, failure, seconds, False, "memory" if memory else None),
                       must_exit or memory, 0.0))
            must_exit = must_exit or memory
        if must_exit:
            return


def main(fd: int, parent_pid: int) -> None:
    """Entry point of a worker process (see ``BOOT``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent_pid)
    import faulthandler

    faulthandler.enable()  # a segfault's Python stack goes to the log
    os.set_inheritable(fd, False)  # a converter the reader starts must not hold our socket open
    conn = Connection(fd)
    try:
        config: WorkerConfig = conn.recv()
        sys.path[:] = list(config.sys_path) or sys.path
        _limit_memory(config.memory_mb)
        _serve(conn, config)
    except (EOFError, OSError):
        os._exit(0)
    except BaseException:  # noqa: BLE001 - never a traceback on the terminal: the log gets it
        import traceback

        traceback.print_exc()
        os._exit(_EXIT_DEFECT)
