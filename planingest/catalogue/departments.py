"""The department vocabulary: canonical functional names, their raw forms, and reduction rules.

Three CSV files, all edited by people who know the administrations, not by programmers:

- ``departments.csv`` (canonical, function, note): one row per canonical name, the
  same everywhere and with no level or place prefix (生态环境局, 党委组织部, …);
- ``department_aliases.csv`` (alias, canonical, kind, note): every other way a unit
  is written *after* its level/place prefix is gone; ``kind`` says why it exists
  (``alias`` another current name, ``pre-2018`` a name from before the 2018
  institutional reform, ``abbrev`` a short form);
- ``department_patterns.csv`` (kind, pattern, replacement, canonical, note):
  ``rewrite`` rows reduce a raw unit step by step (县水利局 → 水利局, 县委组织部 →
  党委组织部), ``map`` rows name a canonical for a whole family of names that differ
  only by a place (怀化市生态环境局X分局), ``ending`` rows say how a unit's name ends.

Adding a raw form is a row in a CSV; nothing here knows any department by name.
The loader refuses a vocabulary that would make a match ambiguous and names the
file and line of the bad row.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in, require_unique
from planingest.core.errors import CatalogueError

ALIAS_KINDS = ("alias", "pre-2018", "abbrev")
PATTERN_KINDS = ("rewrite", "map", "ending")


def department_key(text: str) -> str:
    """The comparison key of a unit name: NFKC, without whitespace or punctuation.

    ``"各乡镇（街道）"`` and ``"各乡镇(街道)"`` share a key; so do a name and the same
    name wrapped over two lines.  Both the vocabulary and the document side use it.
    """
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")


@dataclass(frozen=True)
class Department:
    canonical: str
    function: str
    note: str = ""


@dataclass(frozen=True)
class DepartmentAlias:
    alias: str
    canonical: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Rewrite:
    """One reduction step: ``pattern.sub(replacement, text, count=1)``."""

    pattern: re.Pattern[str]
    replacement: str
    note: str = ""


@dataclass(frozen=True)
class UnitPattern:
    """A family of names (``pattern`` searched in a reduced form) that is one canonical."""

    pattern: re.Pattern[str]
    canonical: str
    note: str = ""


@dataclass(frozen=True)
class DepartmentVocabulary:
    departments: tuple[Department, ...]
    aliases: tuple[DepartmentAlias, ...]
    rewrites: tuple[Rewrite, ...] = ()
    patterns: tuple[UnitPattern, ...] = ()
    endings: tuple[str, ...] = ()

    @property
    def canonical_names(self) -> frozenset[str]:
        return frozenset(d.canonical for d in self.departments)


def load_department_vocabulary(directory: str | Path | None = None) -> DepartmentVocabulary:
    """Read and validate the three department CSVs from ``directory`` (default: the catalogue)."""
    folder = catalogue_dir(directory)
    departments = _load_departments(folder / "departments.csv")
    canonicals = {d.canonical for d in departments}
    aliases = _load_aliases(folder / "department_aliases.csv", departments)
    rewrites, patterns, endings = _load_patterns(folder / "department_patterns.csv", canonicals)
    return DepartmentVocabulary(departments, aliases, rewrites, patterns, endings)


def _load_departments(path: Path) -> tuple[Department, ...]:
    rows = read_rows(path, required=("canonical", "function"), optional=("note",))
    require_unique(path, rows, "canonical")
    _require_unique_keys(path, rows, "canonical")
    return tuple(Department(r["canonical"], r["function"], r.get("note", "")) for r in rows)


def _load_aliases(path: Path, departments: tuple[Department, ...]) -> tuple[DepartmentAlias, ...]:
    rows = read_rows(path, required=("alias", "canonical", "kind"), optional=("note",))
    canonical_keys = {department_key(d.canonical): d.canonical for d in departments}
    for row in rows:
        require_in(path, row, "kind", ALIAS_KINDS)
        require_in(path, row, "canonical", (d.canonical for d in departments))
        clash = canonical_keys.get(department_key(row["alias"]))
        if clash is not None:
            raise CatalogueError(
                f"{path}:{row['_line']}: alias {row['alias']!r} is the canonical name {clash!r} "
                f"(a canonical name needs no alias row)"
            )
    require_unique(path, rows, "alias")
    _require_unique_keys(path, rows, "alias")
    return tuple(DepartmentAlias(r["alias"], r["canonical"], r["kind"], r.get("note", "")) for r in rows)


def _load_patterns(
    path: Path, canonicals: set[str]
) -> tuple[tuple[Rewrite, ...], tuple[UnitPattern, ...], tuple[str, ...]]:
    rows = read_rows(path, required=("kind", "pattern"), optional=("replacement", "canonical", "note"))
    rewrites: list[Rewrite] = []
    patterns: list[UnitPattern] = []
    endings: list[str] = []
    for row in rows:
        require_in(path, row, "kind", PATTERN_KINDS)
        kind, canonical, note = row["kind"], row.get("canonical", ""), row.get("note", "")
        compiled = _compile(path, row)
        if kind == "map":
            if not canonical:
                raise CatalogueError(f"{path}:{row['_line']}: a map row needs a canonical")
            require_in(path, row, "canonical", canonicals)
            patterns.append(UnitPattern(compiled, canonical, note))
            continue
        if canonical:
            raise CatalogueError(f"{path}:{row['_line']}: only map rows name a canonical ({kind} row has {canonical!r})")
        if kind == "rewrite":
            rewrites.append(Rewrite(compiled, row.get("replacement", ""), note))
        else:
            endings.append(row["pattern"])
    return tuple(rewrites), tuple(patterns), tuple(endings)


def _compile(path: Path, row: dict[str, str]) -> re.Pattern[str]:
    try:
        return re.compile(row["pattern"])
    except re.error as exc:
        raise CatalogueError(f"{path}:{row['_line']}: pattern {row['pattern']!r} is not a valid regular expression ({exc})") from exc


def _require_unique_keys(path: Path, rows: list[dict[str, str]], column: str) -> None:
    """Two rows whose names differ only by width, spaces or punctuation are duplicates too."""
    seen: dict[str, str] = {}
    for row in rows:
        key = department_key(row[column])
        if not key:
            raise CatalogueError(f"{path}:{row['_line']}: {column} {row[column]!r} has no letters")
        if key in seen:
            raise CatalogueError(
                f"{path}:{row['_line']}: {column} {row[column]!r} is the same name as line {seen[key]} "
                f"(they differ only by width, spaces or punctuation)"
            )
        seen[key] = row["_line"]
