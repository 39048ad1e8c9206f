"""Read a vocabulary CSV strictly: a bad edit fails loudly, naming file, line and cause."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from planingest.core.errors import CatalogueError


def read_rows(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> list[dict[str, str]]:
    """Return the rows of ``path`` as dicts of stripped strings.

    Every column in ``required`` must exist in the header and be non-empty in
    every row; ``optional`` columns may be absent or empty.  Blank lines and
    lines starting with ``#`` are ignored.  Line numbers in errors are the
    file's own (header = line 1).
    """
    required = list(required)
    if not path.exists():
        raise CatalogueError(f"{path}: file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    lines = text.splitlines()
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogueError(f"{path}: missing column(s) {', '.join(missing)}; header is {', '.join(header)}")
    rows: list[dict[str, str]] = []
    for row in reader:
        line_no = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()) or next(iter(values.values()), "").startswith("#"):
            continue
        if None in row:
            raise CatalogueError(f"{path}:{line_no}: more fields than the header has (a stray comma?)")
        empty = [c for c in required if not values.get(c)]
        if empty:
            raise CatalogueError(f"{path}:{line_no}: empty required field(s) {', '.join(empty)}")
        values["_line"] = str(line_no)
        rows.append(values)
    return rows


def require_unique(path: Path, rows: list[dict[str, str]], key: str) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        value = row[key]
        if value in seen:
            raise CatalogueError(f"{path}:{row['_line']}: duplicate {key} {value!r} (first on line {seen[value]})")
        seen[value] = row["_line"]


def require_in(path: Path, row: dict[str, str], column: str, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    if row[column] not in allowed:
        raise CatalogueError(
            f"{path}:{row['_line']}: {column} {row[column]!r} is not one of {', '.join(sorted(allowed))}"
        )
