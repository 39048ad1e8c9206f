"""Read a vocabulary CSV strictly: a bad edit fails loudly, naming file, line and cause."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from planingest.core.errors import CatalogueError
from planingest.core.i18n import _


def read_rows(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> list[dict[str, str]]:
    """Return the rows of ``path`` as dicts of stripped strings.

    Every column in ``required`` must exist in the header and be non-empty in
    every row; ``optional`` columns may be absent or empty.  Blank lines and
    lines starting with ``#`` are ignored.  Line numbers in errors are the
    file's own (header = line 1).
    """
    required = list(required)
    if not path.exists():
        raise CatalogueError(_("{path}: file not found").format(path=path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(_("{path}: not UTF-8 ({reason} at byte {offset})").format(
            path=path, reason=exc.reason, offset=exc.start)) from exc
    lines = text.splitlines()
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogueError(_("{path}: missing column(s) {missing}; header is {header}").format(
            path=path, missing=", ".join(missing), header=", ".join(header)))
    rows: list[dict[str, str]] = []
    for row in reader:
        line_no = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()) or next(iter(values.values()), "").startswith("#"):
            continue
        if None in row:
            raise CatalogueError(_("{path}:{line}: more fields than the header has (a stray comma?)").format(
                path=path, line=line_no))
        empty = [c for c in required if not values.get(c)]
        if empty:
            raise CatalogueError(_("{path}:{line}: empty required field(s) {fields}").format(
                path=path, line=line_no, fields=", ".join(empty)))
        values["_line"] = str(line_no)
        rows.append(values)
    return rows


def require_unique(path: Path, rows: list[dict[str, str]], key: str) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        value = row[key]
        if value in seen:
            raise CatalogueError(_("{path}:{line}: duplicate {key} {value!r} (first on line {first})").format(
                path=path, line=row["_line"], key=key, value=value, first=seen[value]))
        seen[value] = row["_line"]


def require_in(path: Path, row: dict[str, str], column: str, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    if row[column] not in allowed:
        raise CatalogueError(
            _("{path}:{line}: {column} {value!r} is not one of {allowed}").format(
                path=path, line=row["_line"], column=column, value=row[column], allowed=", ".join(sorted(allowed)))
        )
