"""The vocabularies as data: CSV files users edit, and validating loaders.

Files here (all UTF-8 CSV with a header row):
- indicators.csv, sub_indicators.csv: the 2021 national catalogue
- indicator_aliases.csv: other wordings of catalogue entries
- crosswalk.csv: older/newer catalogue versions onto 2021 IDs
- local_indicators.csv: known provincial/local indicators (kept, never mapped)
- departments.csv, department_aliases.csv: canonical departments and their raw forms
- regions.csv: GB/T 2260 administrative divisions
- metadata_labels.csv: the labels sites and headers print before document facts (发文字号, 成文日期 …)
- doc_types.csv: the words that decide documents.doc_type, and the topic words

Set PLANINGEST_CATALOGUE to a folder holding edited copies to use them instead.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent / "data"


def catalogue_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder the vocabularies are read from (argument > env var > package)."""
    if override:
        return Path(override)
    env = os.environ.get("PLANINGEST_CATALOGUE")
    return Path(env) if env else DEFAULT_DIR


#: the files the read stage (extraction + interpretation) takes knowledge from: header
#: words, and the published catalogue's names that split packed sub-indicator cells.  Their
#: fingerprint is part of every read-cache key, so an edit to them reads documents again;
#: edits to the other files (the aliases and local indicators review decisions add, departments,
#: regions) only re-normalise.  Packed cells are split on catalogue wordings only, never on
#: review-written ones, so that this stays true (normalize.indicators._REVIEW_WRITTEN).
READ_STAGE_FILES = ("table_headers.csv", "indicators.csv", "sub_indicators.csv", "crosswalk.csv",
                    "metadata_labels.csv")


def files_fingerprint(folder: Path, names: tuple[str, ...] | None = None) -> str:
    """16 hex digits over the names and bytes of ``names`` (default: every CSV) in ``folder``."""
    paths = sorted(folder.glob("*.csv")) if names is None else [folder / n for n in sorted(names)]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"\0missing")
    return digest.hexdigest()[:16]
