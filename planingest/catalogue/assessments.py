"""The assessment words (``assessment_words.csv``): which wordings of a document's own
assessment (达标情况, 是否达标) say a target is met, missed, or neither.

``unknown`` rows are wordings met in real documents that assess neither way (基本达标,
持续推进): listing them says they were considered, and they read as null.
"""
from __future__ import annotations

from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in, require_unique

ASSESSMENTS_FILE = "assessment_words.csv"
_MEANINGS = {"true": True, "false": False, "unknown": None}


def load_assessment_words(directory: Path | str | None = None) -> dict[str, bool | None]:
    """word → True (met) · False (missed) · None (neither); a bad row raises CatalogueError."""
    path = catalogue_dir(directory) / ASSESSMENTS_FILE
    rows = read_rows(path, ["word", "meets_target"], ["note"])
    require_unique(path, rows, "word")
    for row in rows:
        require_in(path, row, "meets_target", _MEANINGS)
    return {row["word"]: _MEANINGS[row["meets_target"]] for row in rows}
