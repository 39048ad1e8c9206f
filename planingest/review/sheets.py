"""The review workbook's layout, and writing it with openpyxl.

The layout (sheet names, header texts) is shared by ``planingest review``, which
writes the workbook, and ``planingest accept``, which reads it back and finds its
columns by these header texts, so a person may reorder or hide columns freely.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planingest.core.enums import ReviewKind

KINDS: tuple[str, ...] = tuple(kind.value for kind in ReviewKind)
IGNORE, LOCAL = "ignore", "local"
N_SUGGESTIONS = {"indicator": 3, "department": 1, "region": 1, "document": 0}
RAW, DECISION, REASON, UNDER = "raw", "decision", "reason", "listed under"
DOCUMENT, LOCATOR, REGION, DOC_ID = "document", "locator", "document region", "doc_id"
README, LISTS = "README", "lists"
#: Excel keeps an inline drop-down list ("a,b,c") to 255 characters; longer lists live on the LISTS sheet
INLINE_LIST_LIMIT = 255

_WIDTHS = {RAW: 42, DECISION: 36, REASON: 52, UNDER: 30, DOCUMENT: 40, LOCATOR: 24, REGION: 30, DOC_ID: 14}
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_DECISION_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class ReviewRow:
    kind: str
    raw: str
    suggestions: tuple[tuple[str, float | None], ...]  # (candidate, score 0-100), best first
    reason: str
    document: str  # source_path
    locator: str
    region: str | None  # the document's region, province → county ("湖南省怀化市靖州苗族侗族自治县")
    doc_id: str
    under: str | None = None  # indicator sub-rows: the indicator they are listed under


def columns(kind: str) -> tuple[str, ...]:
    """The header of one sheet, left to right."""
    pairs = tuple(h for i in range(1, N_SUGGESTIONS[kind] + 1) for h in (f"suggestion {i}", f"score {i}"))
    under = (UNDER,) if kind == "indicator" else ()
    return (RAW, DECISION) + pairs + (REASON,) + under + (DOCUMENT, LOCATOR, REGION, DOC_ID)


def _cells(row: ReviewRow) -> dict[str, object]:
    values: dict[str, object] = {RAW: row.raw, DECISION: None, REASON: row.reason, UNDER: row.under,
                                 DOCUMENT: row.document, LOCATOR: row.locator, REGION: row.region,
                                 DOC_ID: row.doc_id}
    for i, (candidate, score) in enumerate(row.suggestions[:N_SUGGESTIONS[row.kind]], start=1):
        values[f"suggestion {i}"], values[f"score {i}"] = candidate, score
    return values


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------


def write_workbook(path: Path, rows: Mapping[str, Sequence[ReviewRow]], choices: Mapping[str, Sequence[str]],
                   catalogue: Path) -> None:
    """The workbook: README first, one sheet per kind, the hidden drop-down lists last."""
    wb = Workbook()
    _readme(wb.active, catalogue, {kind: len(rows.get(kind, ())) for kind in KINDS})
    lists = wb.create_sheet(LISTS)
    for kind in KINDS:
        ws = wb.create_sheet(kind)
        header = columns(kind)
        _header(ws, header)
        for row in rows.get(kind, ()):
            cells = _cells(row)
            ws.append([cells.get(name) for name in header])
        n = len(rows.get(kind, ()))
        if n:
            _style_body(ws, header, n)
            ws.add_data_validation(_validation(kind, choices.get(kind, ()), lists, header, n))
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    lists.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")  # a reader never sees half a workbook
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _header(ws: Worksheet, header: Sequence[str]) -> None:
    ws.append(list(header))
    for i, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = _DECISION_FILL if name == DECISION else _HEADER_FILL
        width = 8 if name.startswith("score") else 36 if name.startswith("suggestion") else _WIDTHS[name]
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"  # header row and the raw + decision columns stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"


def _style_body(ws: Worksheet, header: Sequence[str], n: int) -> None:
    for i, name in enumerate(header, start=1):
        for (cell,) in ws.iter_rows(min_row=2, max_row=n + 1, min_col=i, max_col=i):
            if name in (RAW, REASON, UNDER) or name.startswith("suggestion"):
                cell.alignment = _WRAP
            elif name.startswith("score"):
                cell.number_format = "0"
            elif name == DECISION:
                cell.fill = _DECISION_FILL
                cell.number_format = "@"  # a region code typed here stays text (431229, not 431229.0)


def _validation(kind: str, choices: Sequence[str], lists: Worksheet, header: Sequence[str], n: int) -> DataValidation:
    column = get_column_letter(header.index(DECISION) + 1)
    if kind == "region":
        first = f"{column}2"
        dv = DataValidation(
            type="custom", allow_blank=True,
            formula1=f'OR(LOWER(TRIM({first}))="{IGNORE}",AND(LEN(TRIM({first}))>=6,'
                     f'ISNUMBER(VALUE(LEFT(TRIM({first}),6)))))',
            promptTitle="region decision", prompt="ignore, or the 6-digit code of the region the plan covers "
                                                  "(GB/T 2260, e.g. 431229)",
            errorTitle="not a region decision", error="Type ignore or a 6-digit administrative code.",
        )
    else:
        dv = DataValidation(type="list", formula1=_list_formula(kind, choices, lists), allow_blank=True,
                            errorTitle="not a valid decision",
                            error="Pick a value from the drop-down list (see the README sheet).")
    dv.showErrorMessage = True
    dv.showInputMessage = kind == "region"
    dv.add(f"{column}2:{column}{n + 1}")
    return dv


def _list_formula(kind: str, choices: Sequence[str], lists: Worksheet) -> str:
    """An inline list when Excel allows it, else a range on the hidden LISTS sheet."""
    inline = ",".join(choices)
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in c or '"' in c for c in choices):
        return f'"{inline}"'
    column = get_column_letter(KINDS.index(kind) + 1)
    lists.cell(row=1, column=KINDS.index(kind) + 1, value=kind)
    for i, choice in enumerate(choices, start=2):
        lists.cell(row=i, column=KINDS.index(kind) + 1, value=choice)
    return f"'{LISTS}'!${column}$2:${column}${len(choices) + 1}"


_README = (
    ("What this is", "The items the last `planingest run` was not sure about. One sheet per kind of item; "
                     "one row per item, with where it comes from (document, locator) and the best candidates "
                     "with their similarity scores (0-100)."),
    ("What to do", "Fill the yellow decision column where you know the answer (use the drop-down) and leave "
                   "the rest empty. Then run:  planingest accept THIS_FILE  and  planingest run … again. "
                   "Accepted items leave the review queue and the rows carry the catalogue IDs and names."),
    ("indicator", "A catalogue entry (I07 环境空气质量, or a sub-indicator I07.1 …) when the text is another way "
                  "of writing it; local when it is a provincial/local indicator that is not in the national "
                  "catalogue; ignore when it is not an indicator at all (a heading, a fragment). A row with "
                  "'listed under' filled is a sub-row of that indicator: it can only be that indicator, one of "
                  "its sub-indicators, local or ignore."),
    ("department", "The canonical department the unit is (生态环境局, 林业局, …), or ignore. The decision is "
                   "recorded for the unit's name without its place/level prefix (县生态保护中心 → 生态保护中心), "
                   "so it holds for every county. A unit that is no canonical department yet must be added to "
                   "catalogue/departments.csv by hand first."),
    ("region", "The 6-digit code (GB/T 2260, e.g. 431229) of the region the plan covers, for that document "
               "only; or ignore."),
    ("document", "ignore once the problem has been seen to."),
    ("Checks", "accept checks every decision before writing anything: an unknown ID, name or code, two "
               "different decisions for the same text, or a decision that would not settle the item is "
               "rejected with its sheet and row number, and nothing is written."),
)


def _readme(ws: Worksheet, catalogue: Path, counts: Mapping[str, int]) -> None:
    ws.title = README
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    ws.append(["planingest review", f"written {dt.date.today().isoformat()}; vocabulary: {catalogue}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["items", ", ".join(f"{kind}: {n}" for kind, n in counts.items())])
    ws.append([])
    for title, text in _README:
        ws.append([title, text])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.cell(row=ws.max_row, column=2).alignment = _WRAP
