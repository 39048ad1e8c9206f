"""Decisions staff took on the review queue that are not vocabulary of their own.

Most review decisions become ordinary vocabulary rows (an indicator alias, a
local indicator, a department alias; see ``planingest accept``).  Two kinds do not:

- ``review_ignore.csv`` (kind, raw, note): items a person has looked at and
  decided need nothing (a heading read as an indicator, a stray fragment).  The
  normaliser leaves them out of the review queue; their rows stay as they are.
- ``region_aliases.csv`` (alias, admin_code, doc_id, note): the region a plan
  covers, when the text alone could not settle it.  ``alias`` is the text the
  review queue showed (a place name, else the title), ``doc_id`` limits the
  decision to one document (blank: wherever that text is the open question).

Both files are optional, so an older catalogue copy keeps working; ``raw`` texts
are compared without whitespace (a cell may have been re-wrapped in Excel).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in
from planingest.catalogue.regions import Region, RegionTable
from planingest.core.errors import CatalogueError

IGNORE_FILE = "review_ignore.csv"
IGNORE_COLUMNS = ("kind", "raw", "note")
REGION_ALIAS_FILE = "region_aliases.csv"
REGION_ALIAS_COLUMNS = ("alias", "admin_code", "doc_id", "note")
REVIEW_KINDS = ("indicator", "department", "region", "document")
_DOC_ID = re.compile(r"[0-9a-f]{64}")


def raw_key(text: str) -> str:
    """How a review item's text is compared: without any whitespace."""
    return "".join(str(text).split())


@dataclass(frozen=True)
class ReviewDecisions:
    """The ignore list and the region decisions, indexed for the normaliser."""

    ignored: frozenset[tuple[str, str]] = frozenset()  # (kind, raw_key)
    regions: Mapping[tuple[str, str], Region] = field(default_factory=dict)

    def is_ignored(self, kind: str, raw: str) -> bool:
        return (kind, raw_key(raw)) in self.ignored

    def region_for(self, doc_id: str, raw: str) -> Region | None:
        """The region decided for this document's open question (its own decision first)."""
        key = raw_key(raw)
        return self.regions.get((doc_id, key)) or self.regions.get(("", key))


def load_review_decisions(directory: str | Path | None, regions: RegionTable) -> ReviewDecisions:
    folder = catalogue_dir(directory)
    return ReviewDecisions(_load_ignored(folder / IGNORE_FILE),
                           _load_region_aliases(folder / REGION_ALIAS_FILE, regions))


def _load_ignored(path: Path) -> frozenset[tuple[str, str]]:
    if not path.exists():
        return frozenset()
    rows = read_rows(path, ("kind", "raw"), ("note",))
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        require_in(path, row, "kind", REVIEW_KINDS)
        key = (row["kind"], raw_key(row["raw"]))
        if key in seen:
            raise CatalogueError(
                f"{path}:{row['_line']}: {row['kind']} {row['raw']!r} is already listed on line {seen[key]}")
        seen[key] = row["_line"]
    return frozenset(seen)


def _load_region_aliases(path: Path, regions: RegionTable) -> Mapping[tuple[str, str], Region]:
    if not path.exists():
        return {}
    rows = read_rows(path, ("alias", "admin_code"), ("doc_id", "note"))
    found: dict[tuple[str, str], Region] = {}
    lines: dict[tuple[str, str], str] = {}
    for row in rows:
        where = f"{path}:{row['_line']}"
        region = regions.get(row["admin_code"])
        if region is None:
            raise CatalogueError(f"{where}: admin_code {row['admin_code']!r} is not a code in regions.csv")
        doc_id = row.get("doc_id", "")
        if doc_id and not _DOC_ID.fullmatch(doc_id):
            raise CatalogueError(f"{where}: doc_id {doc_id!r} is not a 64-character SHA-256 hex (or blank)")
        key = (doc_id, raw_key(row["alias"]))
        if key in found:
            raise CatalogueError(f"{where}: {row['alias']!r} is already decided on line {lines[key]}"
                                 + (" for this document" if doc_id else ""))
        found[key], lines[key] = region, row["_line"]
    return found
