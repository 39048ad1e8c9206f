"""A batch run: find files, skip what is cached, read the rest in isolated workers, write.

The order of a run, and why:

0. check the output folder (exit 2 with what is wrong, before anything is read);
1. collect and hash every file (content is identity: a file copied under two
   paths is one document, a renamed file is not read again); a file larger
   than ``max_file_mb`` is not even hashed;
2. take the output lock, repair a commit a killed run left half-done, then
   for each document use the cached normalised rows
   if neither its bytes, the vocabularies nor the pipeline version changed, else
   the cached read result (normalising again is cheap), else read it;
3. read what is left in worker processes (:mod:`planingest.run.pool`), caching
   each result as it arrives so that a killed run keeps finished work;
4. write the five tables and the manifest as one snapshot
   (:mod:`planingest.store.snapshot`), then prune the cache of documents that
   are no longer among the inputs.  Documents under a folder that could not be
   listed this time keep their rows (from the cache) and are not pruned.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from planingest.catalogue import catalogue_dir as resolve_catalogue_dir
from planingest.core.enums import Status
from planingest.core.errors import UsageError, cap_message
from planingest.core.i18n import N_, _, pad
from planingest.core.records import ContainerListing, DocumentRecord, DocumentResult, ReadResult
from planingest.core.schema import TABLE_NAMES, build_tables, row_counts, schema_problem
from planingest.core.shown import shown
from planingest.core.version import __version__
from planingest.normalize.plans import group_plans
from planingest.normalize.vocabulary import catalogue_fingerprint, read_fingerprint
from planingest.run import containers, pagestore, process
from planingest.run import pool as _pool
from planingest.run.cache import LimitMemo, StateCache
from planingest.run.discover import collect_files, discover, display_path, raw_path_hex
from planingest.run.executors import ReadExecutor
from planingest.run.executors.local import LocalExecutor
from planingest.run.submissions import Submission, group_by_content
from planingest.run.worker import ReadJob, WorkerConfig
from planingest.store import snapshot
from planingest.store.datapackage import write_datapackage
from planingest.store.folder import (
    STATE_DIR,
    OutputLock,
    RunLog,
    output_file_mode,
    output_problems,
)

__all__ = ["collect_files", "group_by_content", "run_batch", "BatchSummary", "Submission"]

STATUSES = tuple(Status)
#: the words of the summary, for the catalogue
_WORDS = (N_("ok"), N_("partial"), N_("empty"), N_("failed"), N_("skipped"), N_("indicators"), N_("projects"),
          N_("tasks"), N_(", "))

Progress = Callable[[str], None]


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
        statuses = _(", ").join(f"{self.by_status.get(s, 0)} {_(s)}" for s in STATUSES)
        rows = _(", ").join(f"{self.rows[t]} {_(t)}" for t in ("indicators", "projects", "tasks"))
        return _("{documents} documents ({statuses}); rows: {rows}; {review} review items; read {read}, "
                 "cached {cached}; {seconds:.1f} s -> {out}").format(
            documents=self.documents, statuses=statuses, rows=rows, review=self.rows["review"], read=self.read,
            cached=self.cached, seconds=self.seconds, out=self.out)


# --------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------


def _capped(result: DocumentResult) -> DocumentResult:
    """Every error message at a readable length (a library may put a whole file in one)."""
    error = result.document.error
    if error is None:
        return result
    clean = cap_message(display_path(error))  # a reader may quote a file name that is not UTF-8
    return result if clean == error else replace(result, document=replace(result.document, error=clean))


def _failed(sub: Submission, read: ReadResult, error: str) -> DocumentResult:
    return DocumentResult(DocumentRecord.unread(sub.doc_id, sub.source_path, Status.FAILED, error,
                                                read.file_format, read.pages))


def checked_rows(sub: Submission, read: ReadResult, vocab) -> tuple[DocumentResult, bool]:
    """Rows for one document, checked against the tables' schema (a defect of ours fails this document
    alone, never the batch); the flag is False when such a defect made it fail."""
    try:
        result = process.normalise_document(sub.doc_id, sub.source_path, read, vocab)
    except Exception as exc:  # noqa: BLE001 - one document's defect must not stop the batch
        return _failed(sub, read, f"internal error while normalising ({type(exc).__name__}: {exc}); "
                                  "please report it"), False
    problem = schema_problem(result)
    if problem:
        return _failed(sub, read, f"internal error: rows do not fit the tables ({problem}); please report it"), False
    return _capped(result), True


class _Reporter:
    """Progress lines on stderr and the run log, one per document, and OCR pages of long scans as they are done."""

    #: at most one page line per document this often (seconds); the first and the last page are always shown
    PAGE_INTERVAL_S = 5.0

    def __init__(self, total: int, progress: Progress | None, log: RunLog, run_id: str) -> None:
        self.total, self.progress, self.log, self.run_id = total, progress, log, run_id
        self.done = 0
        self.width = len(str(total))
        self.page_shown: dict[str, float] = {}  # doc_id -> when its last page line was shown
        self.names: dict[str, str] = {}  # doc_id -> the path shown (a member's, not its scratch file's)

    def page(self, job: ReadJob, done: int, pages: int) -> None:
        """A worker finished OCR page ``done`` of ``pages`` of the document at ``job.path``."""
        if self.progress is None:
            return
        now = time.monotonic()
        last = self.page_shown.get(job.doc_id)
        if last is not None and done < pages and now - last < self.PAGE_INTERVAL_S:
            return
        self.page_shown[job.doc_id] = now
        path = display_path(self.names.get(job.doc_id, job.path))
        line = _("OCR page {done}/{pages}  {path}").format(done=done, pages=pages, path=path)
        self.progress(" " * (2 * self.width + 3) + line)

    def document(self, path: str, doc_id: str | None, result: DocumentResult | None, *, read: bool,
                 seconds: float, status: str | None = None, error: str | None = None) -> None:
        self.done += 1
        doc = result.document if result else None
        status = doc.status if doc else status
        error = cap_message(doc.error if doc else error)
        rows = row_counts(result) if result else dict.fromkeys(("indicators", "projects", "tasks", "review"), 0)
        entry = {
            "run_id": self.run_id, "time": _now(), "path": display_path(path), "doc_id": doc_id, "status": status,
            "error": error, "read": read, "seconds": round(seconds, 3), "rows": rows,
        }
        raw = raw_path_hex(path)
        if raw is not None:
            entry["path_bytes_hex"] = raw  # the name's bytes, which the display form escapes
        self.log.append(entry)
        path = display_path(path)
        if self.progress is not None:
            fmt = doc.file_format if doc else "?"
            line = (f"[{self.done:>{self.width}}/{self.total}] {pad(_(status or '?'), 8)} {fmt:<5} "
                    + _("{ind:>3} ind {proj:>3} proj {tasks:>3} tasks  {path}").format(
                        ind=rows["indicators"], proj=rows["projects"], tasks=rows["tasks"], path=path))
            if error and status != "ok":
                line += f": {shown(error)}"
            self.progress(line)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """Sortable by time (snapshots are pruned by it), unique by its random tail."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + secrets.token_hex(3)


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
    ocr_page_timeout_s: float = 20.0,
    recycle_mb: int | None = 1024,
    vocab=None,
    catalogue_dir: str | os.PathLike | None = None,
    wait_s: float = 0.0,
    reader: str | None = None,
    max_file_mb: float | None = 512,
    follow_symlinks: bool = False,
    executor: ReadExecutor | None = None,
) -> BatchSummary:
    """Ingest ``paths`` into the folder ``out``; see the module docstring for the steps.

    Raises UsageError (and OutputLockedError) before anything is written; every
    problem with a single document ends up in its row instead.  ``reader`` is the
    "module:function" the workers read files with (default
    ``planingest.run.pool.DEFAULT_READER``, looked up at call time).  ``executor``
    is where documents are read (:mod:`planingest.run.executors`; default: a
    :class:`LocalExecutor` with ``workers`` processes).  A document's time limit is
    ``timeout_s`` plus ``ocr_page_timeout_s`` per page that needs OCR; a reading
    process whose memory passed ``recycle_mb`` after a document is replaced.
    """
    started = time.monotonic()
    out = Path(out)
    problems = output_problems(out, TABLE_NAMES)
    if problems:
        raise UsageError("; ".join(problems))
    run_id = new_run_id()
    found = discover(paths, exclude=[out], follow_symlinks=follow_symlinks)
    with OutputLock(out, wait_s):
        snapshot.repair(out, TABLE_NAMES)
        mode = output_file_mode(out)
        state = StateCache(out / STATE_DIR, mode)
        memo = LimitMemo(out / STATE_DIR, mode)
        worker_log = out / STATE_DIR / "workers.log"
        worker_log.write_bytes(b"")  # this run's only: it is for diagnosing this run's failures
        members_dir = out / STATE_DIR / containers.MEMBERS_DIR
        containers.clear_members(members_dir)  # scratch of a run that was killed
        os.chmod(worker_log, mode)
        keys = cache_keys(vocab, catalogue_dir)
        submissions, unreadable = group_by_content(found.files, max_file_mb)
        kept = _kept_from_unreadable_folders(out, found.unreadable_folders, {s.doc_id for s in submissions})
        log = RunLog(out, mode)
        try:
            reporter = _Reporter(len(submissions) + len(kept) + len(unreadable) + len(found.problems),
                                 progress, log, run_id)
            folder = getattr(vocab, "catalogue_dir", None) or catalogue_dir
            config = WorkerConfig(reader or _pool.DEFAULT_READER, timeout_s, memory_mb, log_path=str(worker_log),
                                  catalogue_dir=os.fspath(folder) if folder else None,
                                  members_dir=os.fspath(members_dir), ocr_page_timeout_s=ocr_page_timeout_s,
                                  recycle_mb=recycle_mb, page_counter=_pool.DEFAULT_PAGE_COUNTER,
                                  page_store=os.fspath(out / STATE_DIR / pagestore.STORE_DIR),
                                  page_reader=_pool.DEFAULT_PAGE_READER)
            limits = {"memory": float(memory_mb), "timeout": float(timeout_s),
                      "ocr_page_timeout": float(ocr_page_timeout_s)}
            executor = executor or LocalExecutor(workers or os.cpu_count() or 1)
            if hasattr(executor, "on_page"):  # it can report OCR pages as they are done
                executor.on_page = reporter.page
            results, n_read = _process(submissions + kept, state, memo, limits, keys, vocab, force, reporter,
                                       config, executor)
            for path, error in unreadable:
                reporter.document(path, None, None, read=False, seconds=0.0, status="failed", error=error)
            for path, status, error in found.problems:
                reporter.document(path, None, None, read=False, seconds=0.0, status=status, error=error)
        finally:
            log.close()
            containers.clear_members(members_dir)
        ordered = group_plans(sorted(results.values(), key=lambda r: r.document.source_path))
        tables = build_tables(ordered)
        unlisted = [(display_path(p), "failed", e) for p, e in unreadable] + \
                   [(display_path(p), st, e) for p, st, e in found.problems]
        summary = _summary(run_id, out, ordered, unlisted, n_read, time.monotonic() - started)
        snapshot.commit(out, run_id, tables, _manifest(summary, paths, keys.norm, catalogue_dir, tables), mode)
        write_datapackage(out, mode)  # the folder explains itself: datapackage.json and README.md from the schema
        keep = set(results)  # members of containers included
        state.prune(keep)
        memo.prune(keep)
    return summary


def _kept_from_unreadable_folders(out: Path, folders: Sequence[str], found: set[str]) -> list[Submission]:
    """The documents the last run found under folders that cannot be listed now.

    They are not gone, only out of sight: their rows stay (from the cache) until
    the folder can be read again and says otherwise.
    """
    if not folders:
        return []
    prefixes = tuple(display_path(f).rstrip("/") + "/" for f in folders)
    path = snapshot.current_folder(out) / "documents.parquet"
    try:
        previous = pq.read_table(path, columns=["doc_id", "source_path"]).to_pylist()
    except (OSError, pa.ArrowException):
        return []
    kept: dict[str, list[str]] = {}
    for row in previous:
        if row["doc_id"] not in found and str(row["source_path"]).startswith(prefixes):
            kept.setdefault(row["doc_id"], []).append(row["source_path"])
    return [Submission(doc_id, tuple(sorted(p)), kept=True) for doc_id, p in kept.items()]


@dataclass(frozen=True)
class CacheKeys:
    """What cached results depend on besides the document's bytes and the code."""

    norm: str  # every vocabulary file: an edit re-normalises
    read: str  # the files the read stage uses (header words, indicator names): an edit reads again


def cache_keys(vocab, catalogue_dir) -> CacheKeys:
    folder = getattr(vocab, "catalogue_dir", None) or resolve_catalogue_dir(catalogue_dir)
    return CacheKeys(norm=getattr(vocab, "fingerprint", None) or catalogue_fingerprint(folder),
                     read=getattr(vocab, "read_fingerprint", None) or read_fingerprint(folder))


def _process(submissions, state: StateCache, memo: LimitMemo, limits: dict[str, float], keys: CacheKeys, vocab,
             force: bool, reporter: _Reporter, config: WorkerConfig,
             executor: ReadExecutor) -> tuple[dict[str, DocumentResult], int]:
    """Results for every submission and every member of a container, from the cache where possible;
    returns (results by doc_id, documents read).  See :mod:`planingest.run.containers` for containers."""
    listings: dict[str, ReadResult] = {}
    args = (state, memo, limits, keys, vocab, force, reporter, config, executor)
    results, read = _read(submissions, *args, listings)
    opened = [sub for sub in submissions if sub.doc_id in listings]
    if not opened:
        return results, len(read)
    members = _member_submissions(opened, listings, set(results) | set(listings), config.members_dir or "")
    nested = sum(1 for sub in opened for ref in (listings[sub.doc_id].container or _NO_MEMBERS).members
                 if ref.container)
    reporter.total += len(members) + nested
    member_results, members_read = _read(members, *args, {})
    n_read = len(read) + len(members_read)
    for sub in members:
        result = member_results[sub.doc_id]
        results[sub.doc_id] = replace(result, document=containers.replace_parent(result.document, sub.parent_id))
    for sub in opened:
        for row in containers.container_rows(sub.doc_id, sub.source_path, listings[sub.doc_id], results):
            if row.document.doc_id in results:
                continue  # a nested container byte-identical to a file given loose: that file's row
            results[row.document.doc_id] = row = _capped(row)
            fresh = sub.doc_id in read  # a nested container's row is read when its container was
            n_read += fresh and row.document.doc_id != sub.doc_id
            reporter.document(row.document.source_path, row.document.doc_id, row, read=fresh, seconds=0.0)
    return results, n_read


_NO_MEMBERS = ContainerListing()


def _member_submissions(opened: Sequence[Submission], listings: dict[str, ReadResult], known: set[str],
                        members_dir: str) -> list[Submission]:
    """One submission per distinct member content not already among the inputs (a loose file wins)."""
    by_id: dict[str, list[tuple[str, str, Submission]]] = {}
    for top in opened:
        listing = listings[top.doc_id].container or _NO_MEMBERS
        parents = containers.parent_ids(top.doc_id, listing)
        for ref in listing.members:
            if not ref.container and ref.doc_id not in known:
                by_id.setdefault(ref.doc_id, []).append(
                    (containers.member_path(top.source_path, ref.path), parents[ref.path], top))
    members = []
    for doc_id, entries in by_id.items():
        entries.sort(key=lambda e: e[0])
        _, parent_id, top = entries[0]
        members.append(Submission(doc_id, tuple(e[0] for e in entries), parent_id=parent_id,
                                  member_dir=os.path.join(members_dir, doc_id), container=top))
    members.sort(key=lambda s: s.source_path)
    return members


def _job_path(sub: Submission) -> str | None:
    """The file a worker reads: the submitted file, or a member's bytes (None: not expanded this run)."""
    if sub.member_dir is None:
        return sub.open_path
    return containers.find_member_file(sub.member_dir)


def _read(submissions, state: StateCache, memo: LimitMemo, limits: dict[str, float], keys: CacheKeys, vocab,
          force: bool, reporter: _Reporter, config: WorkerConfig, executor: ReadExecutor,
          listings: dict[str, ReadResult]) -> tuple[dict[str, DocumentResult], set[str]]:
    """Rows of each submission, from the cache or read, and the doc_ids read; containers opened go
    to ``listings`` instead of rows."""
    results: dict[str, DocumentResult] = {}
    to_read: list[Submission] = []
    for sub in submissions:
        cached = None if force else _from_cache(sub, state, memo, limits, keys, vocab, listings)
        if sub.doc_id in listings:
            continue
        if cached is None and sub.kept:
            cached = _failed(sub, ReadResult("unknown", None), "its folder cannot be read and its cached rows "
                                                               "are gone; read it again when the folder is readable")
        if cached is None:
            to_read.append(sub)
            continue
        results[sub.doc_id] = cached
        reporter.document(sub.paths[0], sub.doc_id, cached, read=False, seconds=0.0)
    _expand_again(to_read, state, memo, limits, keys, vocab, reporter, config, executor)
    by_id = {sub.doc_id: sub for sub in to_read}
    reporter.names.update((sub.doc_id, sub.paths[0]) for sub in to_read)
    if to_read:
        for outcome in executor.map([ReadJob(sub.doc_id, _job_path(sub) or sub.open_path) for sub in to_read],
                                    config):
            sub = by_id[outcome.job.doc_id]
            if outcome.cacheable:
                state.put("read", sub.doc_id, outcome.read, keys.read)
                memo.forget(sub.doc_id)
            elif outcome.resource in limits:
                memo.put(sub.doc_id, outcome.resource, limits, outcome.read)
            if outcome.read.container is not None:
                listings[sub.doc_id] = outcome.read  # its row is made once its members are read
                continue
            result, ok = checked_rows(sub, outcome.read, vocab)
            if ok and outcome.cacheable:
                state.put("norm", sub.doc_id, result, (keys.norm, sub.source_path))
            results[sub.doc_id] = result
            reporter.document(sub.paths[0], sub.doc_id, result, read=True, seconds=outcome.seconds)
    return results, {sub.doc_id for sub in to_read}


def _expand_again(to_read: Sequence[Submission], state: StateCache, memo: LimitMemo, limits: dict[str, float],
                  keys: CacheKeys, vocab, reporter: _Reporter, config: WorkerConfig, executor: ReadExecutor) -> None:
    """Members to read whose container came from the cache: open those containers again for their bytes."""
    again = {sub.container.doc_id: sub.container for sub in to_read
             if sub.container is not None and _job_path(sub) is None}
    if again:
        _read(list(again.values()), state, memo, limits, keys, vocab, True, reporter, config, executor, {})


def _from_cache(sub: Submission, state: StateCache, memo: LimitMemo, limits: dict[str, float], keys: CacheKeys,
                vocab, listings: dict[str, ReadResult]) -> DocumentResult | None:
    """The cached rows, else rows from the cached read, else a remembered resource failure.

    A container opened before goes to ``listings`` (its rows are made from its members')."""
    key = (keys.norm, sub.source_path)
    cached = state.get("norm", sub.doc_id, key)
    if cached is not None:
        return cached
    read = state.get("read", sub.doc_id, keys.read)
    if read is not None and read.container is not None:
        listings[sub.doc_id] = read
        return None
    if read is not None:
        cached, ok = checked_rows(sub, read, vocab)
        if ok:
            state.put("norm", sub.doc_id, cached, key)
        return cached
    failure = memo.get(sub.doc_id, limits)
    return checked_rows(sub, failure, vocab)[0] if failure is not None else None


def _summary(run_id: str, out: Path, results: Sequence[DocumentResult], unlisted, n_read: int,
             seconds: float) -> BatchSummary:
    """``unlisted``: (path, status, error) of what has no row (unopenable files, folders, FIFOs)."""
    by_status: Counter[str] = Counter(r.document.status for r in results)
    by_status.update(status for _, status, _ in unlisted)
    rows: Counter[str] = Counter()
    for result in results:
        rows.update(row_counts(result))
    unreadable = tuple((path, error) for path, status, error in unlisted if status == "failed")
    failures = tuple((r.document.source_path, r.document.error or "") for r in results
                     if r.document.status == "failed") + unreadable
    return BatchSummary(run_id=run_id, out=out, by_status={s: by_status.get(s, 0) for s in STATUSES},
                        rows={t: rows.get(t, 0) for t in TABLE_NAMES if t != "documents"},
                        read=n_read, cached=len(results) - n_read, failures=failures, seconds=seconds,
                        unreadable=unreadable)


def _manifest(summary: BatchSummary, paths, fingerprint: str, catalogue_dir, tables) -> dict:
    return {
        "run_id": summary.run_id,
        "finished": _now(),
        "pipeline_version": __version__,
        "inputs": [display_path(p) for p in paths],
        "catalogue_dir": os.fspath(catalogue_dir) if catalogue_dir else None,
        "vocabulary_fingerprint": fingerprint,
        "documents": summary.by_status,
        "read": summary.read,
        "cached": summary.cached,
        "seconds": round(summary.seconds, 3),
        "tables": {name: {"file": f"{name}.parquet", "rows": table.num_rows} for name, table in tables.items()},
        "snapshot": f"{snapshot.SNAPSHOTS}/{summary.run_id}",
    }
