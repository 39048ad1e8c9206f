"""Reading a finished output folder back: what ``review``, ``report`` and ``export`` start from.

These commands never run the pipeline; they read the tables the last complete
``planingest run`` wrote, from its snapshot (:mod:`planingest.store.snapshot`), so
the five tables they see always come from one run, even while a run commits.  A folder without them is a usage error naming the
command that makes them, not a traceback.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from planingest.catalogue import catalogue_dir
from planingest.core.errors import UsageError
from planingest.core.i18n import _
from planingest.core.schema import STRINGS, TABLE_NAMES, TABLES
from planingest.store.folder import read_manifest
from planingest.store.snapshot import current_folder


def read_table(out: str | os.PathLike, name: str) -> pd.DataFrame:
    """One output table as a DataFrame (list columns as Python lists)."""
    if name not in TABLE_NAMES:
        raise ValueError(f"unknown table {name!r}")
    path = current_folder(Path(out)) / f"{name}.parquet"
    if not path.exists():
        raise UsageError(_("{path} not found: run `planingest run PATH --out {out}` first").format(path=path, out=out))
    frame = pd.read_parquet(path)
    for column in TABLES[name]:
        if column.type == STRINGS and column.name in frame.columns:  # numpy arrays -> lists
            frame[column.name] = frame[column.name].map(lambda v: [] if v is None else list(v))
    return frame


def read_tables(out: str | os.PathLike, names: tuple[str, ...] = TABLE_NAMES) -> dict[str, pd.DataFrame]:
    return {name: read_table(out, name) for name in names}


def output_catalogue(out: str | os.PathLike, override: str | os.PathLike | None = None) -> Path:
    """The vocabulary folder that goes with ``out``: --catalogue, else the one the last run used
    (from its manifest), else the default (``$PLANINGEST_CATALOGUE`` or the built-in one)."""
    if override:
        return catalogue_dir(override)
    manifest = read_manifest(current_folder(Path(out))) or {}
    used = manifest.get("catalogue_dir")
    if used and Path(used).is_dir():
        return Path(used)
    return catalogue_dir(None)
