"""Publishing a run's five tables and manifest as one snapshot.

A run writes everything into a fresh folder ``OUT/.snapshots/<run_id>/`` first
(nobody reads it yet; a kill there leaves an orphan that the next run deletes).
Then the commit, whose every step is a rename:

1. ``.snapshots/COMMIT`` (the journal) names the run: from here on the commit
   is finished by whoever comes next;
2. ``.snapshots/CURRENT`` names the run: planingest's readers
   (:mod:`planingest.store.tables`) read the snapshot it names, so for them the
   five tables change in this one step;
3. each ``OUT/<table>.parquet`` and ``OUT/manifest.json`` is replaced by (a
   hard link to) the snapshot's file, for readers that open OUT directly
   (``pandas.read_parquet(OUT / "documents.parquet")``, the data contract);
4. the journal is removed and older snapshots are pruned.

A kill between two renames of step 3 leaves the top-level files from two runs
for the moment; :func:`repair`, run by the next ``planingest run`` under the
lock before anything else, replays the journal.  Every table carries its run id
in its Parquet metadata (:data:`~planingest.store.folder.RUN_ID_KEY`), so any
reader can check that a set belongs together.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from planingest.store.folder import (
    MANIFEST,
    RUN_ID_KEY,
    TMP_MARK,
    fsync_dir,
    manifest_bytes,
    remove_stale_temps,
    temp_beside,
    write_tables,
)

SNAPSHOTS = ".snapshots"
CURRENT = "CURRENT"
JOURNAL = "COMMIT"
#: snapshots kept besides the current one, for readers still reading the previous set
KEEP_PREVIOUS = 1


def _rename(src: Path, dst: Path) -> None:
    """Every rename of a commit goes through here (tests inject a kill at each one)."""
    os.replace(src, dst)


def _write_pointer(path: Path, run_id: str, mode: int | None) -> None:
    with temp_beside(path, durable=True, mode=mode) as (fh, tmp):
        fh.write(f"{run_id}\n".encode("ascii"))
    _rename(tmp, path)
    fsync_dir(path.parent)


def _read_pointer(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if text and "/" not in text and not text.startswith(".") else None


def current_run(out: Path) -> str | None:
    """The run whose snapshot planingest's readers use (None before the first snapshot)."""
    run_id = _read_pointer(Path(out) / SNAPSHOTS / CURRENT)
    return run_id if run_id and (Path(out) / SNAPSHOTS / run_id).is_dir() else None


def current_folder(out: Path) -> Path:
    """Where to read the tables of ``out`` as one set: the current snapshot, else OUT itself."""
    run_id = current_run(out)
    return Path(out) / SNAPSHOTS / run_id if run_id else Path(out)


def table_run_id(path: Path) -> str | None:
    """The run id stamped in a Parquet file's metadata (None for files written before snapshots)."""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        return None
    value = metadata.get(RUN_ID_KEY)
    return value.decode() if value else None


def _complete(folder: Path, names: tuple[str, ...]) -> bool:
    return all((folder / f"{n}.parquet").is_file() for n in names) and (folder / MANIFEST).is_file()


def commit(out: Path, run_id: str, tables: Mapping[str, pa.Table], manifest: Mapping[str, Any],
           mode: int | None = None) -> Path:
    """Write ``tables`` and ``manifest`` as snapshot ``run_id`` and publish it (see the module docstring)."""
    snapshots = Path(out) / SNAPSHOTS
    folder = snapshots / run_id
    folder.mkdir(parents=True, exist_ok=True)
    write_tables(folder, tables, run_id=run_id, mode=mode)
    with temp_beside(folder / MANIFEST, durable=True, mode=mode) as (fh, tmp):
        fh.write(manifest_bytes(manifest))
    _rename(tmp, folder / MANIFEST)
    fsync_dir(folder)
    _write_pointer(snapshots / JOURNAL, run_id, mode)
    _publish(Path(out), run_id, tuple(tables), mode)
    return folder


def _publish(out: Path, run_id: str, names: tuple[str, ...], mode: int | None) -> None:
    snapshots = out / SNAPSHOTS
    folder = snapshots / run_id
    _write_pointer(snapshots / CURRENT, run_id, mode)
    for name in (*(f"{n}.parquet" for n in names), MANIFEST):
        _link_over(folder / name, out / name)
    fsync_dir(out)
    (snapshots / JOURNAL).unlink(missing_ok=True)
    _prune(snapshots, run_id)


def _link_over(source: Path, target: Path) -> None:
    """Replace ``target`` by ``source``'s content in one rename (a hard link; a copy across devices)."""
    with contextlib.suppress(OSError):
        if os.path.samefile(source, target):  # published before a kill: renaming a link onto itself is a no-op
            return
    tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    try:
        _rename(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)  # gone after the rename, unless it failed


def _prune(snapshots: Path, current: str) -> None:
    """Keep the current snapshot and the last KEEP_PREVIOUS complete ones before it."""
    others = sorted((p for p in snapshots.iterdir() if p.is_dir() and p.name != current and p.name < current),
                    reverse=True)
    keep = {p.name for p in others[:KEEP_PREVIOUS]}
    for path in snapshots.iterdir():
        if path.is_dir() and path.name != current and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def repair(out: Path, names: tuple[str, ...]) -> str | None:
    """Finish a commit a killed run left half-done (call with the lock held, before anything else).

    Returns the run id it finished, if any.  A snapshot without a journal was never
    published: it is removed.  Stray temporary files go too.
    """
    out = Path(out)
    snapshots = out / SNAPSHOTS
    remove_stale_temps(out)
    if not snapshots.is_dir():
        return None
    remove_stale_temps(snapshots)
    finished = None
    journal = _read_pointer(snapshots / JOURNAL)
    if journal and _complete(snapshots / journal, names):
        _publish(out, journal, names, mode=os.stat(snapshots / journal / MANIFEST).st_mode & 0o777)
        finished = journal
    else:
        (snapshots / JOURNAL).unlink(missing_ok=True)
    current = current_run(out)
    if current:
        # snapshots newer than the current one are runs killed before their commit began
        for path in snapshots.iterdir():
            if path.is_dir() and path.name > current:
                shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):
            _prune(snapshots, current)
    return finished
