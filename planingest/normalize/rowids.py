"""Stable row ids: the same input and vocabulary give the same id.

A row's id hashes what identifies it within its document (where it sits and
which name, scope and year it states), not its position in the output, so a
researcher's citation of a row survives an unrelated row being added elsewhere.
Two rows that agree on all of that (a table printed twice) are told apart by a
running count.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from planingest.core.records import IndicatorRecord, ProjectRecord, TaskRecord

R = TypeVar("R", IndicatorRecord, ProjectRecord, TaskRecord)


def _identity(record: IndicatorRecord | ProjectRecord | TaskRecord) -> tuple:
    if isinstance(record, IndicatorRecord):
        return (record.name_raw, record.sub_name_raw, record.target_scope, record.deadline)
    if isinstance(record, ProjectRecord):
        return (record.seq, record.name, record.content)
    return (record.seq, record.title, record.content)


def row_id(doc_id: str, table: str, identity: tuple, occurrence: int) -> str:
    """16 hex digits of SHA-256 over the document, the table, the row's identity and its occurrence."""
    text = "\x1f".join([doc_id, table, *("" if part is None else str(part) for part in identity), str(occurrence)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def with_row_ids(doc_id: str, table: str, records: Sequence[R]) -> tuple[R, ...]:
    """``records`` with ``row_id`` set."""
    seen: Counter = Counter()
    out = []
    for record in records:
        identity = (record.source_locator, *_identity(record))
        seen[identity] += 1
        out.append(replace(record, row_id=row_id(doc_id, table, identity, seen[identity])))
    return tuple(out)
