"""Never lose a person's work: decisions filled in the previous workbook, carried into the new one.

``planingest review`` rewrites the workbook from the review queue.  Before it
does, the decisions already typed into the old workbook are read back (the kind
sheets and the "carried over" note sheet) and matched to the new queue by
*kind + raw text + doc_id*.  A match fills the new row's decision; a decision
whose item left the queue (accepted, or settled by a catalogue change) or that
competes with another decision for the same item goes to the note sheet, with
why, so nothing is dropped silently.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from planingest.core.errors import UsageError
from planingest.core.i18n import _
from planingest.review.sheets import (
    CARRIED,
    DECISION,
    DOC_ID,
    DOCUMENT,
    KIND,
    KINDS,
    LOCATOR,
    RAW,
    WHY,
    ReviewRow,
    decision_of,
    label,
    name_of,
    sheet_named,
)

#: the note sheet's header, left to right
CARRIED_COLUMNS: tuple[str, ...] = (KIND, RAW, DECISION, WHY, DOCUMENT, LOCATOR, DOC_ID)
LEFT_QUEUE = "no longer in the review queue (accepted, or settled by a change of the catalogue)"
COMPETING = "another decision for the same item was carried over: {value!r}"


@dataclass(frozen=True)
class Filled:
    """One decision typed into a previous workbook."""

    kind: str
    raw: str
    doc_id: str
    decision: str
    document: str = ""
    locator: str = ""
    why: str = ""  # set on the note sheet: why it is not in a kind sheet

    @property
    def key(self) -> tuple[str, str, str]:
        return item_key(self.kind, self.raw, self.doc_id)


def item_key(kind: str, raw: str, doc_id: str) -> tuple[str, str, str]:
    """What a decision answers: the kind, the text (whitespace ignored) and the document."""
    return kind, " ".join(str(raw).split()), str(doc_id or "").strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a region code Excel turned into a number
    return str(value).strip()


def read_filled(path: str | os.PathLike) -> list[Filled]:
    """Every filled decision of the workbook ``path``: kind sheets first, then the note sheet.

    Raises UsageError when the file is not a workbook ``planingest review`` wrote
    (the caller refuses to overwrite it).
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise UsageError(_("{path} exists but cannot be read as a workbook ({error}); move it away, or pass --force "
                           "to overwrite it").format(path=path, error=type(exc).__name__)) from None
    try:
        found: list[Filled] = []
        for sheet in (*KINDS, CARRIED):
            ws = sheet_named(wb, sheet)
            if ws is not None:
                found += _sheet_decisions(ws, sheet, path)
        return found
    finally:
        wb.close()


def _sheet_decisions(ws, sheet: str, path) -> list[Filled]:
    rows = ws.iter_rows(values_only=True)
    header = [name_of(_text(h)) for h in next(rows, ())]
    needed = (RAW, DECISION) + ((KIND,) if sheet == CARRIED else ())
    missing = [name for name in needed if name not in header]
    if missing:
        raise UsageError(_("{path}: sheet '{sheet}' has no {columns} column, so its decisions cannot be carried "
                           "over; restore the header row, or pass --force to overwrite the file").format(
            path=path, sheet=label(sheet), columns=_(" or ").join(label(m) for m in missing)))
    col = {name: header.index(name) for name in header if name}
    found = []
    for values in rows:
        cell = {name: _text(values[i]) if i < len(values) else "" for name, i in col.items()}
        if cell[DECISION] and cell[RAW]:
            found.append(Filled(kind=name_of(cell.get(KIND, sheet)) if sheet == CARRIED else sheet, raw=cell[RAW],
                                doc_id=cell.get(DOC_ID, ""), decision=decision_of(cell[DECISION]),
                                document=cell.get(DOCUMENT, ""), locator=cell.get(LOCATOR, ""),
                                why=cell.get(WHY, "") if sheet == CARRIED else ""))
    return found


@dataclass(frozen=True)
class Carried:
    rows: dict[str, list[ReviewRow]]  # the new queue, decisions filled where the old workbook had one
    n_carried: int  # decisions placed on a row of the new queue
    notes: tuple[Filled, ...]  # decisions that have no row any more, each with why


def carry_over(rows: Mapping[str, Sequence[ReviewRow]], filled: Sequence[Filled]) -> Carried:
    """Place each old decision on the new row(s) it answers; the rest become notes."""
    chosen: dict[tuple[str, str, str], Filled] = {}
    notes: list[Filled] = []
    for old in filled:  # kind sheets come first, so a decision in a kind sheet wins over an older note
        first = chosen.setdefault(old.key, old)
        if first is not old and first.decision != old.decision:
            notes.append(replace(old, why=COMPETING.format(value=first.decision)))
    queue_keys = {item_key(row.kind, row.raw, row.doc_id) for kind_rows in rows.values() for row in kind_rows}
    placed = set()
    new_rows: dict[str, list[ReviewRow]] = {}
    for kind, kind_rows in rows.items():
        new_rows[kind] = []
        for row in kind_rows:
            old = chosen.get(item_key(row.kind, row.raw, row.doc_id))
            if old is not None:
                placed.add(old.key)
                row = replace(row, decision=old.decision)
            new_rows[kind].append(row)
    left = [replace(old, why=LEFT_QUEUE) for key, old in chosen.items() if key not in queue_keys]
    return Carried(new_rows, len(placed), tuple(left + notes))
