"""Restore a printed number that a page break or OCR lost, from the numbers around it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

T = TypeVar("T")


def restore_lost_numbers(rows: Sequence[T], group_key: Callable[[T], object]) -> list[T]:
    """Give an unnumbered group the one number its neighbours leave free (24, ?, 26 → 25).

    Rows are grouped by ``group_key`` (consecutive rows of one project or indicator); a group
    whose rows have ``seq`` None gets ``seq`` and ``seq_inferred=True`` only when the nearest
    numbered groups before and after it are exactly two apart.  Anything else stays unnumbered.
    """
    rows = list(rows)
    starts = [i for i, r in enumerate(rows) if i == 0 or group_key(r) != group_key(rows[i - 1])]
    for k, i in enumerate(starts):
        if rows[i].seq is not None:
            continue
        prev_seq = next((rows[j].seq for j in reversed(starts[:k]) if rows[j].seq is not None), None)
        next_seq = next((rows[j].seq for j in starts[k + 1:] if rows[j].seq is not None), None)
        if prev_seq is not None and next_seq == prev_seq + 2:
            end = starts[k + 1] if k + 1 < len(starts) else len(rows)
            for j in range(i, end):
                rows[j] = replace(rows[j], seq=prev_seq + 1, seq_inferred=True)
    return rows
