"""A batch run: find files, skip what is cached, read the rest in isolated workers, write.

The order of a run, and why:

1. collect and hash every file (content is identity: a file copied under two
   paths is one document, a renamed file is not read again);
2. take the output lock, then for each document use the cached normalised rows
   if neither its bytes, the vocabularies nor the pipeline version changed, else
   the cached read result (normalising again is cheap), else read it;
3. read what is left in worker processes (:mod:`planingest.run.pool`), caching
   each result as it arrives so that a killed run keeps finished work;
4. write the five tables as a set, then the manifest, then prune the cache of
   documents that are no longer among the inputs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planingest.catalogue import catalogue_dir as resolve_catalogue_dir
from planingest.core.enums import Status
from planingest.core.errors import UsageError
from planingest.core.records import DocumentRecord, DocumentResult, ReadResult
from planingest.core.schema import TABLE_NAMES, build_tables, row_counts, schema_problem
from planingest.core.version import __version__
from planingest.normalize.vocabulary import catalogue_fingerprint, read_fingerprint
from planingest.run import pool as _pool
from planingest.run import process
from planingest.run.cache import StateCache
from planingest.run.executors import ReadExecutor
from planingest.run.executors.local import LocalExecutor
from planingest.run.worker import ReadJob, WorkerConfig
from planingest.store.folder import (
    STATE_DIR,
    OutputLock,
    RunLog,
    remove_stale_temps,
    write_manifest,
    write_tables,
)

STATUSES = tuple(Status)
_CHUNK = 1 << 20

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Submission:
    """One distinct document: its content hash and every path it was found under."""

    doc_id: str
    paths: tuple[str, ...]

    @property
    def source_path(self) -> str:
        return self.paths[0]


@dataclass(frozen=True)
class BatchSummary:
    run_id: str
    out: Path
    by_status: dict[str, int]
    rows: dict[str, int]  # indicators, projects, tasks, review
    read: int  # documents read (parsed) in this run
    cached: int  # documents taken from the cache
    failures: tuple[tuple[str, str], ...]  # (path, error)
    seconds: float
    unreadable: tuple[tuple[str, str], ...] = field(default=())  # files that could not even be opened

    @property
    def documents(self) -> int:
        return sum(self.by_status.values())

    @property
    def exit_code(self) -> int:
        return 1 if self.by_status.get("failed", 0) else 0

    def line(self) -> str:
        statuses = ", ".join(f"{self.by_status.get(s, 0)} {s}" for s in STATUSES)
        rows = ", ".join(f"{self.rows[t]} {t}" for t in ("indicators", "projects", "tasks"))
        return (f"{self.documents} documents ({statuses}); rows: {rows}; "
                f"{self.rows['review']} review items; read {self.read}, cached {self.cached}; "
                f"{self.seconds:.1f} s -> {self.out}")


# --------------------------------------------------------------------------
# Finding and hashing files
# --------------------------------------------------------------------------


def collect_files(paths: Iterable[str | os.PathLike], exclude: Iterable[Path] = ()) -> list[str]:
    """Every regular file under ``paths``, as found, sorted and without repeats.

    Hidden folders (.git, .state, …) are not entered, nor the excluded ones (the
    output folder), and a folder reached twice through symlinks is walked once.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for root in paths:
        root = os.fspath(root)
        if not os.path.exists(root):
            raise UsageError(f"no such file or folder: {root}")
        if not os.path.isdir(root):
            found.add(root)
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=True):
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen_dirs or Path(folder).resolve() in excluded:
                dirnames[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found.update(os.path.join(folder, name) for name in filenames)
    return sorted(p for p in found if _is_regular_or_broken(p))


def _is_regular_or_broken(path: str) -> bool:
    """Regular files, and dangling links (reported as unreadable); not FIFOs or devices."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def group_by_content(files: Sequence[str]) -> tuple[list[Submission], list[tuple[str, str]]]:
    """Hash ``files`` (sorted) into submissions; also return (path, error) of unreadable ones."""
    by_hash: dict[str, list[str]] = {}
    unreadable: list[tuple[str, str]] = []
    for path in files:
        try:
            by_hash.setdefault(file_sha256(path), []).append(path)
        except OSError as exc:
            unreadable.append((path, f"cannot open the file: {exc.strerror or exc}"))
    submissions = [Submission(doc_id, tuple(sorted(paths))) for doc_id, paths in by_hash.items()]
    submissions.sort(key=lambda s: s.source_path)
    return submissions, unreadable


# --------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------


def _failed(sub: Submission, read: ReadResult, error: str) -> DocumentResult:
    return DocumentResult(DocumentRecord.unread(sub.doc_id, sub.source_path, Status.FAILED, error,
                                                read.file_format, read.pages))


def normalise(sub: Submission, read: ReadResult, vocab) -> tuple[DocumentResult, bool]:
    """Rows for one document; the flag is False when a defect of ours made it fail."""
    try:
        result = process.normalise_document(sub.doc_id, sub.source_path, read, vocab)
    except Exception as exc:  # noqa: BLE001 - one document's defect must not stop the batch
        return _failed(sub, read, f"internal error while normalising ({type(exc).__name__}: {exc}); "
                                  "please report it"), False
    problem = schema_problem(result)
    if problem:
        return _failed(sub, read, f"internal error: rows do not fit the tables ({problem}); please report it"), False
    return result, True


class _Reporter:
    """Progress lines on stderr and the run log, one per document."""

    def __init__(self, total: int, progress: Progress | None, log: RunLog, run_id: str) -> None:
        self.total, self.progress, self.log, self.run_id = total, progress, log, run_id
        self.done = 0
        self.width = len(str(total))

    def document(self, path: str, doc_id: str | None, result: DocumentResult | None, *, read: bool,
                 seconds: float, status: str | None = None, error: str | None = None) -> None:
        self.done += 1
        doc = result.document if result else None
        status = doc.status if doc else status
        error = doc.error if doc else error
        rows = row_counts(result) if result else dict.fromkeys(("indicators", "projects", "tasks", "review"), 0)
        self.log.append({
            "run_id": self.run_id, "time": _now(), "path": path, "doc_id": doc_id, "status": status,
            "error": error, "read": read, "seconds": round(seconds, 3), "rows": rows,
        })
        if self.progress is not None:
            fmt = doc.file_format if doc else "?"
            line = (f"[{self.done:>{self.width}}/{self.total}] {status:<8} {fmt:<5} "
                    f"{rows['indicators']:>3} ind {rows['projects']:>3} proj {rows['tasks']:>3} tasks  {path}")
            if error and status != "ok":
                line += f": {error}"
            self.progress(line)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


# --------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------


def run_batch(
    paths: Sequence[str | os.PathLike],
    out: str | os.PathLike,
    workers: int | None = None,
    force: bool = False,
    timeout_s: float = 120.0,
    memory_mb: int = 2048,
    progress: Progress | None = None,
    *,
    vocab=None,
    catalogue_dir: str | os.PathLike | None = None,
    wait_s: float = 0.0,
    reader: str | None = None,
    executor: ReadExecutor | None = None,
) -> BatchSummary:
    """Ingest ``paths`` into the folder ``out``; see the module docstring for the steps.

    Raises UsageError (and OutputLockedError) before anything is written; every
    problem with a single document ends up in its row instead.  ``reader`` is the
    "module:function" the workers read files with (default
    ``planingest.run.pool.DEFAULT_READER``, looked up at call time).  ``executor``
    is where documents are read (:mod:`planingest.run.executors`; default: a
    :class:`LocalExecutor` with ``workers`` processes).
    """
    started = time.monotonic()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    run_id = new_run_id()
    files = collect_files(paths, exclude=[out])
    with OutputLock(out, wait_s):
        remove_stale_temps(out)
        state = StateCache(out / STATE_DIR)
        worker_log = out / STATE_DIR / "workers.log"
        worker_log.write_bytes(b"")  # this run's only: it is for diagnosing this run's failures
        keys = cache_keys(vocab, catalogue_dir)
        submissions, unreadable = group_by_content(files)
        log = RunLog(out)
        try:
            reporter = _Reporter(len(submissions) + len(unreadable), progress, log, run_id)
            folder = getattr(vocab, "catalogue_dir", None) or catalogue_dir
            config = WorkerConfig(reader or _pool.DEFAULT_READER, timeout_s, memory_mb, log_path=str(worker_log),
                                  catalogue_dir=os.fspath(folder) if folder else None)
            results, n_read = _process(submissions, state, keys, vocab, force, reporter, config,
                                       executor or LocalExecutor(workers))
            for path, error in unreadable:
                reporter.document(path, None, None, read=False, seconds=0.0, status="failed", error=error)
        finally:
            log.close()
        ordered = [results[s.doc_id] for s in submissions]
        tables = build_tables(ordered)
        write_tables(out, tables)
        summary = _summary(run_id, out, ordered, unreadable, n_read, time.monotonic() - started)
        write_manifest(out, _manifest(summary, paths, keys.norm, catalogue_dir, tables))
        state.prune(s.doc_id for s in submissions)
    return summary


@dataclass(frozen=True)
class CacheKeys:
    """What cached results depend on besides the document's bytes and the code."""

    norm: str  # every vocabulary file: an edit re-normalises
    read: str  # the files the read stage uses (header words, indicator names): an edit reads again


def cache_keys(vocab, catalogue_dir) -> CacheKeys:
    folder = getattr(vocab, "catalogue_dir", None) or resolve_catalogue_dir(catalogue_dir)
    return CacheKeys(norm=getattr(vocab, "fingerprint", None) or catalogue_fingerprint(folder),
                     read=getattr(vocab, "read_fingerprint", None) or read_fingerprint(folder))


def _process(submissions, state: StateCache, keys: CacheKeys, vocab, force: bool, reporter: _Reporter,
             config: WorkerConfig, executor: ReadExecutor) -> tuple[dict[str, DocumentResult], int]:
    """Results for every submission, from the cache where possible; returns (results, documents read)."""
    results: dict[str, DocumentResult] = {}
    to_read: list[Submission] = []
    for sub in submissions:
        key = (keys.norm, sub.source_path)
        cached = None if force else state.get("norm", sub.doc_id, key)
        if cached is None and not force:
            read = state.get("read", sub.doc_id, keys.read)
            if read is not None:
                cached, ok = normalise(sub, read, vocab)
                if ok:
                    state.put("norm", sub.doc_id, cached, key)
        if cached is None:
            to_read.append(sub)
            continue
        results[sub.doc_id] = cached
        reporter.document(sub.source_path, sub.doc_id, cached, read=False, seconds=0.0)
    by_id = {sub.doc_id: sub for sub in to_read}
    if to_read:
        for outcome in executor.map([ReadJob(sub.doc_id, sub.source_path) for sub in to_read], config):
            sub = by_id[outcome.job.doc_id]
            if outcome.cacheable:
                state.put("read", sub.doc_id, outcome.read, keys.read)
            result, ok = normalise(sub, outcome.read, vocab)
            if ok and outcome.cacheable:
                state.put("norm", sub.doc_id, result, (keys.norm, sub.source_path))
            results[sub.doc_id] = result
            reporter.document(sub.source_path, sub.doc_id, result, read=True, seconds=outcome.seconds)
    return results, len(to_read)


def _summary(run_id: str, out: Path, results: Sequence[DocumentResult], unreadable, n_read: int,
             seconds: float) -> BatchSummary:
    by_status: Counter[str] = Counter(r.document.status for r in results)
    by_status[Status.FAILED] += len(unreadable)
    rows: Counter[str] = Counter()
    for result in results:
        rows.update(row_counts(result))
    failures = tuple((r.document.source_path, r.document.error or "") for r in results
                     if r.document.status == "failed") + tuple(unreadable)
    return BatchSummary(run_id=run_id, out=out, by_status={s: by_status.get(s, 0) for s in STATUSES},
                        rows={t: rows.get(t, 0) for t in TABLE_NAMES if t != "documents"},
                        read=n_read, cached=len(results) - n_read, failures=failures, seconds=seconds,
                        unreadable=tuple(unreadable))


def _manifest(summary: BatchSummary, paths, fingerprint: str, catalogue_dir, tables) -> dict:
    return {
        "run_id": summary.run_id,
        "finished": _now(),
        "pipeline_version": __version__,
        "inputs": [os.fspath(p) for p in paths],
        "catalogue_dir": os.fspath(catalogue_dir) if catalogue_dir else None,
        "vocabulary_fingerprint": fingerprint,
        "documents": summary.by_status,
        "read": summary.read,
        "cached": summary.cached,
        "seconds": round(summary.seconds, 3),
        "tables": {name: {"file": f"{name}.parquet", "rows": table.num_rows} for name, table in tables.items()},
    }
