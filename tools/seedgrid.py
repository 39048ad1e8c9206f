"""Grids of the seed text documents, and the merges a real office table would have made of them.

Used by tools/render_samples.py (see there how to run it); not part of the pipeline.
"""
from __future__ import annotations

from pathlib import Path

from planingest.core.records import Table
from planingest.ingest.text.reader import text_blocks

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = {"jingzhou": "000_2b96e2d222b5f3b3.txt", "changde": "001_3cc5f4b2954152b3.txt", "luzhai": "002_4f08802adbea22bb.txt"}


def seed_blocks(key: str) -> list:
    return text_blocks((SAMPLES / SEED[key]).read_text(encoding="utf-8"))


def seed_tables(key: str) -> list[Table]:
    return [b for b in seed_blocks(key) if isinstance(b, Table)]


def unwrap(text: str) -> str:
    """Join lines a narrow column wrapped (the dump kept the wraps as line breaks)."""
    return text.replace("\n", "")


def body_rows(table: Table, key_col: int, seq_col: int) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows without the header repeats a page break left, and where those repeats were.

    A row after a repeat with neither number nor name is the rest of the row the page
    break cut: it is joined back cell by cell.
    """
    header, rows, breaks, after_repeat = list(table.rows[0]), [], [], False
    for row in table.rows[1:]:
        if row[key_col] == header[key_col]:
            breaks.append(len(rows))
            after_repeat = True
            continue
        if after_repeat and rows and not row[seq_col] and not row[key_col]:
            rows[-1] = ["\n".join(x for x in (a, b) if x) for a, b in zip(rows[-1], row)]
        else:
            rows.append(list(row))
        after_repeat = False
    return header, rows, breaks


def runs(rows: list[list[str]], col: int, barrier=frozenset()) -> list[tuple[int, int]]:
    """Vertical runs in ``col``: a text followed by empty cells or by the same text again.

    Repeated text (retyped after a page break) is cleared so the run is one merged cell.
    """
    found, start = [], None
    for i, row in enumerate(rows + [None]):
        same = row is not None and start is not None and i not in barrier and row[col] in ("", rows[start][col])
        if same:
            row[col] = ""
            continue
        if start is not None and i - 1 > start:
            found.append((start, i - 1))
        start = None if row is None or i in barrier or not row[col] else i
    return found


def group_merges(rows: list[list[str]], is_sub, cols: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    """A parent row and its sub-rows share (merge) every column the sub-rows all leave empty."""
    merges, start = [], None
    for i, row in enumerate(rows + [None]):
        if row is not None and start is not None and is_sub(row):
            continue
        if start is not None and i - 1 > start:
            for c in cols:
                if not any(rows[k][c] for k in range(start + 1, i)):
                    merges.append((start, c, i - 1, c))
        start = i if row is not None else None
    return merges
