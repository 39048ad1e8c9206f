"""The output folder on disk: tables written atomically, a manifest, a run log, the lock.

Layout of OUT (see output/README.md for the user's view)::

    documents.parquet indicators.parquet projects.parquet tasks.parquet review.parquet
    manifest.json      what the last complete run wrote (written after the tables)
    runs.jsonl         one line per document per run, appended as documents finish
    .state/lock        held (flock) by the run writing to OUT
    .state/read/<doc_id>.pkl   cached ReadResult (the expensive half)
    .state/norm/<doc_id>.pkl   cached DocumentResult (the normalised rows)

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

STATE_DIR = ".state"
MANIFEST = "manifest.json"
RUN_LOG = "runs.jsonl"
_TMP_MARK = ".tmp-"


class OutputLockedError(UsageError):
    """Another run holds the output folder (exit status 2)."""


# --------------------------------------------------------------------------
# Atomic files
# --------------------------------------------------------------------------


def _fsync_dir(folder: Path) -> None:
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


@contextlib.contextmanager
def _temp_beside(path: Path, durable: bool) -> Iterator[tuple[IO[bytes], Path]]:
    """A hidden temporary file next to ``path``, removed unless the caller renames it.

    Hidden (leading dot) so that a dataset reader scanning OUT never picks it up.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}{_TMP_MARK}", dir=path.parent)
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; tables are for other readers too
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` by ``data`` in one step.

    ``durable`` adds fsync (survives a power cut, not only a killed process); the
    cache skips it because a cache file lost to a power cut is merely a miss.
    """
    with _temp_beside(path, durable) as (fh, tmp):
        fh.write(data)
    os.replace(tmp, path)
    if durable:
        _fsync_dir(path.parent)


def write_tables(out: Path, tables: Mapping[str, pa.Table]) -> dict[str, Path]:
    """Write every table as ``OUT/<name>.parquet``, as a set.

    All temporary files are written and synced first, then renamed one after
    the other: a failure while writing (disk full, a kill) changes nothing, and
    the window in which only some tables are new is a few renames long.
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            target = out / f"{name}.parquet"
            with _temp_beside(target, durable=True) as (fh, tmp):
                pq.write_table(table, fh)
            staged.append((tmp, target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    _fsync_dir(out)
    return {name: target for (_, target), name in zip(staged, tables)}


def write_manifest(out: Path, manifest: Mapping[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    atomic_write_bytes(out / MANIFEST, text.encode("utf-8"))


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files a killed run left behind (call with the lock held)."""
    if folder.is_dir():
        for tmp in folder.glob(f".*{_TMP_MARK}*"):
            tmp.unlink(missing_ok=True)


class RunLog:
    """``OUT/runs.jsonl``: appended one line at a time, so a killed run keeps what it logged."""

    def __init__(self, out: Path) -> None:
        self.path = out / RUN_LOG
        self._fh = open(self.path, "a", encoding="utf-8")

    def append(self, entry: Mapping[str, Any]) -> None:
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
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


class OutputLock:
    """An exclusive ``flock`` on ``OUT/.state/lock`` for the whole run.

    The kernel drops the lock when the holder dies, so a killed run never
    leaves a stale lock behind.
    """

    def __init__(self, out: Path, wait_s: float = 0.0) -> None:
        self.out = Path(out)
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        state = self.out / STATE_DIR
        try:
            state.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder {self.out}: {exc.strerror}") from exc
        path = state / "lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
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
                    waited = f" (waited {self.wait_s:g} s)" if self.wait_s else ""
                    raise OutputLockedError(
                        f"another planingest run (pid {holder}) is writing to {self.out}{waited}; "
                        "try again when it has finished, or pass --wait SECONDS"
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
