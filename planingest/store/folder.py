"""The output folder on disk: tables written atomically, a manifest, a run log, the lock.

Layout of OUT (see output/README.md for the user's view)::

    documents.parquet indicators.parquet projects.parquet tasks.parquet review.parquet
    manifest.json      what the last complete run wrote (written after the tables)
    runs.jsonl         one line per document per run, appended as documents finish
    .planingest.lock   held (flock) by the run writing to OUT (outside .state: deleting
                       the cache folder must not free the lock)
    .snapshots/<run_id>/       every run's five tables and manifest, written before publishing
    .snapshots/CURRENT         the run whose tables planingest's readers use (see store.snapshot)
    .state/read/<doc_id>.json  cached ReadResult (the expensive half; JSON, never pickle)
    .state/norm/<doc_id>.json  cached DocumentResult (the normalised rows)
    .state/limits.json         resource failures remembered per file until the limit changes

Every file a reader may open is replaced with ``os.replace`` from a temporary
file in the same folder, so it is either the old or the new version, never half
of one; a run killed at any moment leaves the previous tables readable.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from planingest.core.errors import UsageError
from planingest.core.i18n import _

STATE_DIR = ".state"
MANIFEST = "manifest.json"
RUN_LOG = "runs.jsonl"
TMP_MARK = ".tmp-"


class OutputLockedError(UsageError):
    """Another run holds the output folder (exit status 2)."""


# --------------------------------------------------------------------------
# Atomic files
# --------------------------------------------------------------------------


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (the directory entry, not only the file, must reach the disk)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode() -> int:
    return 0o666 & ~_umask()


def output_file_mode(out: Path) -> int:
    """The mode of files written under ``out``: what the umask allows, and never wider
    than the output folder itself (a folder only its owner may enter gets files only
    its owner may read, so cached document text does not leak through wider files)."""
    try:
        folder_mode = os.stat(out).st_mode & 0o777
    except OSError:
        return default_mode()
    return default_mode() & folder_mode & 0o666


@contextlib.contextmanager
def temp_beside(path: Path, durable: bool, mode: int | None = None) -> Iterator[tuple[IO[bytes], Path]]:
    """A hidden temporary file next to ``path``, removed unless the caller renames it.

    Hidden (leading dot) so that a dataset reader scanning OUT never picks it up.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent)
    tmp = Path(name)
    try:
        # mkstemp makes 0600; tables are for other readers too, as far as the output folder is
        os.fchmod(fd, default_mode() if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True, mode: int | None = None) -> None:
    """Replace ``path`` by ``data`` in one step.

    ``durable`` adds fsync (survives a power cut, not only a killed process); the
    cache skips it because a cache file lost to a power cut is merely a miss.
    """
    with temp_beside(path, durable, mode) as (fh, tmp):
        fh.write(data)
    os.replace(tmp, path)
    if durable:
        fsync_dir(path.parent)


#: Parquet schema metadata key holding the run that wrote a table: any reader can check a set
RUN_ID_KEY = b"planingest.run_id"


def write_tables(out: Path, tables: Mapping[str, pa.Table], run_id: str | None = None,
                 mode: int | None = None) -> dict[str, Path]:
    """Write every table as ``<folder>/<name>.parquet``, as a set, each stamped with ``run_id``.

    All temporary files are written and synced first, then renamed one after
    the other: a failure while writing (disk full, a kill) changes nothing.  The
    batch writes into a fresh snapshot folder (:mod:`planingest.store.snapshot`),
    so no reader ever sees the window in which only some tables are new.
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            target = out / f"{name}.parquet"
            if run_id is not None:
                table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_ID_KEY: run_id.encode()})
            with temp_beside(target, durable=True, mode=mode) as (fh, tmp):
                pq.write_table(table, fh)
            staged.append((tmp, target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    fsync_dir(out)
    return {name: target for (_, target), name in zip(staged, tables)}


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return text.encode("utf-8", "backslashreplace")  # a stray surrogate becomes a JSON \\udcNN escape


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files a killed run left behind (call with the lock held)."""
    if folder.is_dir():
        for tmp in folder.glob(f".*{TMP_MARK}*"):
            tmp.unlink(missing_ok=True)


class RunLog:
    """``OUT/runs.jsonl``: appended one line at a time, so a killed run keeps what it logged."""

    def __init__(self, out: Path, mode: int | None = None) -> None:
        self.path = out / RUN_LOG
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, default_mode() if mode is None else mode)
        self._fh = open(fd, "a", encoding="utf-8")

    def append(self, entry: Mapping[str, Any]) -> None:
        # ASCII escapes: a path that is not UTF-8 (surrogates) must not stop the batch
        self._fh.write(json.dumps(entry, ensure_ascii=True) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_run_log(out: Path) -> list[dict[str, Any]]:
    path = Path(out) / RUN_LOG
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# --------------------------------------------------------------------------
# Lock
# --------------------------------------------------------------------------


LOCK_FILE = ".planingest.lock"


class OutputLock:
    """An exclusive ``flock`` on ``OUT/.planingest.lock`` for the whole run.

    The kernel drops the lock when the holder dies, so a killed run never
    leaves a stale lock behind.  The file sits in OUT itself, not in ``.state``:
    deleting the cache folder during a run must not let a second run in.
    """

    def __init__(self, out: Path, wait_s: float = 0.0) -> None:
        self.out = Path(out)
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.out / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, output_file_mode(self.out))
        except OSError as exc:
            raise UsageError(_("cannot lock the output folder {out}: {error}").format(out=self.out, error=exc.strerror)) from exc
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    os.close(fd)
                    waited = _(" (waited {seconds:g} s)").format(seconds=self.wait_s) if self.wait_s else ""
                    raise OutputLockedError(_(
                        "another planingest run (pid {pid}) is writing to {out}{waited}; "
                        "try again when it has finished, or pass --wait SECONDS").format(
                        pid=holder, out=self.out, waited=waited)
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# --------------------------------------------------------------------------
# Checking the output folder before a run
# --------------------------------------------------------------------------

#: paths under OUT that must be files (or absent) and folders (or absent)
_FILES = (LOCK_FILE, MANIFEST, RUN_LOG, f"{STATE_DIR}/workers.log", f"{STATE_DIR}/limits.json",
          ".snapshots/CURRENT", ".snapshots/COMMIT")
_FOLDERS = (STATE_DIR, f"{STATE_DIR}/read", f"{STATE_DIR}/norm", ".snapshots")


def output_problems(out: Path, table_names: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with ``out`` as an output folder, in words (empty when it is usable).

    Checked before any input is read, so that a folder the run could not write
    to ends it with exit status 2 and a sentence, not a traceback half-way.
    """
    out = Path(out)
    if not out.exists():
        parent = out.parent if str(out.parent) else Path(".")
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            return [_("--out {out}: {parent} is not a folder").format(out=out, parent=parent)]
        return [] if _writable(parent) else [_("--out {out} cannot be created: {parent} is not writable").format(
            out=out, parent=parent)]
    if not out.is_dir():
        return [_("--out {out} exists and is not a folder").format(out=out)]
    problems = [] if _writable(out) else [_("--out {out} is not writable").format(out=out)]
    for name in _FILES + tuple(f"{t}.parquet" for t in table_names):
        path = out / name
        if path.is_dir() and not path.is_symlink():
            problems.append(_("{path} is a folder where a file belongs: remove or rename it").format(path=path))
    for name in _FOLDERS:
        path = out / name
        if path.exists() and not path.is_dir():
            problems.append(_("{path} is a file where a folder belongs: remove or rename it").format(path=path))
        elif path.is_dir() and not _writable(path):
            problems.append(_("{path} is not writable").format(path=path))
    return problems


def _writable(folder: Path) -> bool:
    """Try it (``os.access`` says yes to root on a read-only mount)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".probe{TMP_MARK}", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True
