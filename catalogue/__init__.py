"""The vocabularies as data: CSV files users edit, and validating loaders.

Files here (all UTF-8 CSV with a header row):
- indicators.csv, sub_indicators.csv: the 2021 national catalogue
- indicator_aliases.csv: other wordings of catalogue entries
- crosswalk.csv: older/newer catalogue versions onto 2021 IDs
- local_indicators.csv: known provincial/local indicators (kept, never mapped)
- departments.csv, department_aliases.csv: canonical departments and their raw forms
- regions.csv: GB/T 2260 administrative divisions

Set PLANINGEST_CATALOGUE to a folder holding edited copies to use them instead.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent


def catalogue_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder the vocabularies are read from (argument > env var > package)."""
    if override:
        return Path(override)
    env = os.environ.get("PLANINGEST_CATALOGUE")
    return Path(env) if env else DEFAULT_DIR
