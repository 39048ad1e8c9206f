"""The table-header vocabulary (``table_headers.csv``): which header words give a column which role.

Loaded and validated with the other vocabularies before any document is read;
the read stage gets it explicitly (see :mod:`planingest.interpret.tables.headers`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in

HEADERS_FILE = "table_headers.csv"

ROLES = (
    "domain", "task", "seq", "indicator", "unit", "target", "baseline", "attribute", "departments",
    "deadline", "note", "category", "project_name", "content", "years", "investment", "indicators",
    "task_name", "assessment", "progress", "invested",
)


@dataclass(frozen=True)
class HeaderVocabulary:
    exact: dict[str, str]
    prefix: tuple[tuple[str, str], ...]
    suffix: tuple[tuple[str, str], ...]


def load_header_vocabulary(directory: Path | str | None = None) -> HeaderVocabulary:
    """Read and check ``table_headers.csv``; a bad row raises CatalogueError naming file:line."""
    path = catalogue_dir(directory) / HEADERS_FILE
    rows = read_rows(path, ["role", "synonym", "match"], ["note"])
    exact: dict[str, str] = {}
    prefix: list[tuple[str, str]] = []
    suffix: list[tuple[str, str]] = []
    for row in rows:
        require_in(path, row, "role", ROLES)
        require_in(path, row, "match", ("exact", "prefix", "suffix"))
        exact[row["synonym"]] = row["role"]
        if row["match"] == "prefix":
            prefix.append((row["synonym"], row["role"]))
        elif row["match"] == "suffix":
            suffix.append((row["synonym"], row["role"]))
    # longest synonyms first so 指标值 wins over 指标 / 目标
    prefix.sort(key=lambda p: -len(p[0]))
    suffix.sort(key=lambda p: -len(p[0]))
    return HeaderVocabulary(exact, tuple(prefix), tuple(suffix))


