"""Writing the review workbook with openpyxl: on screen and on paper.

On screen: the header row and the text + decision columns stay in view (frozen
panes), every sheet has an autofilter, and each decision cell's drop-down offers
only the answers valid for its row (one data validation per distinct list of
answers, over exactly the rows it applies to).  On paper: A4 landscape, fitted
to the page width, the header row repeated on every page, only the columns a
person needs to decide printed; sheets without rows are hidden, so they print
no empty pages.  The README sheet holds one paragraph per row, wrapped, with row
heights set from the text so nothing overlaps.
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planingest.core.i18n import N_, _, in_every_language, local_time
from planingest.core.shown import shown
from planingest.core.text import display_width
from planingest.review.carry import CARRIED_COLUMNS, Filled
from planingest.review.sheets import (
    CARRIED,
    DECISION,
    IGNORE,
    KINDS,
    LISTS,
    README,
    REASON,
    ReviewRow,
    cells,
    columns,
    label,
    printed_columns,
    shown_decision,
)

#: Excel keeps an inline drop-down list ("a,b,c") to 255 characters; longer lists live on the LISTS sheet
INLINE_LIST_LIMIT = 255
_WIDTHS = {"raw": 30, "decision": 30, "reason": 40, "listed under": 24, "unit": 7, "target": 18,
           "departments": 20, "in the row": 28, "document": 26, "page": 6, "locator": 20, "document region": 28,
           "doc_id": 14, "kind": 11, "why": 40}
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_DECISION_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINE_HEIGHT = 15  # points per wrapped line at the default 11-point font


def _width(name: str) -> float:
    if name.startswith("score"):
        return 7
    if name.startswith("suggestion"):
        return 28
    return _WIDTHS[name]


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a CJK character is two wide)."""
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += max(1, math.ceil(display_width(paragraph) / max(width - 1, 1)))
    return lines


# --------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------


def write_workbook(path: Path, rows: Mapping[str, Sequence[ReviewRow]], choices: Mapping[str, Sequence[str]],
                   catalogue: Path, notes: Sequence[Filled] = ()) -> None:
    """README first, one sheet per kind, the note sheet of carried-over decisions, the hidden lists last."""
    wb = Workbook()
    counts = {kind: len(rows.get(kind, ())) for kind in KINDS}
    _readme(wb.active, catalogue, counts, len(notes))
    lists = _Lists(wb.create_sheet(label(LISTS)))
    for kind in KINDS:
        ws = wb.create_sheet(label(kind))
        header = columns(kind)
        kind_rows = rows.get(kind, ())
        _header(ws, header)
        for row in kind_rows:
            values = cells(row)
            values[REASON], values[DECISION] = shown(values.get(REASON)), shown_decision(values.get(DECISION))
            ws.append([values.get(name) for name in header])
        _style_body(ws, header, len(kind_rows))
        _validations(ws, kind, kind_rows, choices.get(kind, ()), lists, header)
        if kind_rows:
            _print_setup(ws, printed_columns(kind), len(kind_rows))
        else:
            ws.sheet_state = "hidden"  # nothing to decide: not shown; no print range, so not printed either
    if notes:
        _carried_sheet(wb.create_sheet(label(CARRIED)), notes)
    wb.move_sheet(lists.ws, offset=len(wb.sheetnames))
    lists.ws.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")  # a reader never sees half a workbook
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _header(ws: Worksheet, header: Sequence[str]) -> None:
    ws.append([label(name) for name in header])
    for i, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = _DECISION_FILL if name == DECISION else _HEADER_FILL
        cell.alignment = _WRAP
        ws.column_dimensions[get_column_letter(i)].width = _width(name)
    ws.freeze_panes = "C2"  # header row and the raw + decision columns stay in view


def _style_body(ws: Worksheet, header: Sequence[str], n: int) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"
    for i, name in enumerate(header, start=1):
        for (cell,) in ws.iter_rows(min_row=2, max_row=n + 1, min_col=i, max_col=i):
            cell.alignment = _TOP if name.startswith("score") or name == "page" else _WRAP
            if name.startswith("score"):
                cell.number_format = "0"
            elif name == DECISION:
                cell.fill = _DECISION_FILL
                cell.number_format = "@"  # a region code typed here stays text (431229, not 431229.0)


def _print_setup(ws: Worksheet, n_columns: int, n_rows: int) -> None:
    """A4 landscape, one page wide, header row on every page, the deciding columns only."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(n_columns)}{max(n_rows, 1) + 1}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&A — &P / &N"


# --------------------------------------------------------------------------
# drop-downs
# --------------------------------------------------------------------------


class _Lists:
    """The hidden sheet holding drop-down lists too long to write inline: one column per distinct list."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._columns: dict[tuple[str, ...], str] = {}

    def formula(self, title: str, choices: Sequence[str]) -> str:
        """An inline list when Excel allows it, else a range on the hidden sheet."""
        inline = ",".join(choices)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in c or '"' in c for c in choices):
            return f'"{inline}"'
        key = tuple(choices)
        if key not in self._columns:
            index = len(self._columns) + 1
            self._columns[key] = get_column_letter(index)
            self.ws.cell(row=1, column=index, value=title)
            for i, choice in enumerate(choices, start=2):
                self.ws.cell(row=i, column=index, value=choice)
        column = self._columns[key]
        return f"'{self.ws.title}'!${column}$2:${column}${len(choices) + 1}"


def row_ranges(numbers: Sequence[int], column: str) -> str:
    """Worksheet rows 2, 3, 4, 7 → "B2:B4 B7" (a data validation's sqref)."""
    parts: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n != run[-1] + 1:
            parts.append(_span(run, column))
            run = []
        run.append(n)
    if run:
        parts.append(_span(run, column))
    return " ".join(parts)


def _span(run: list[int], column: str) -> str:
    return f"{column}{run[0]}" if len(run) == 1 else f"{column}{run[0]}:{column}{run[-1]}"


def _validations(ws: Worksheet, kind: str, rows: Sequence[ReviewRow], choices: Sequence[str], lists: _Lists,
                 header: Sequence[str]) -> None:
    """One validation per distinct list of valid answers, over the rows it applies to."""
    if not rows:
        return
    column = get_column_letter(header.index(DECISION) + 1)
    if kind == "region":
        ws.add_data_validation(_region_validation(column, len(rows)))
        return
    groups: dict[tuple[str, ...], list[int]] = {}
    for number, row in enumerate(rows, start=2):
        groups.setdefault(tuple(row.choices if row.choices is not None else choices), []).append(number)
    for i, (valid, numbers) in enumerate(groups.items()):
        title = label(kind) if i == 0 else f"{label(kind)} {i + 1}"
        shown_choices = [shown_decision(choice) for choice in valid]
        dv = DataValidation(type="list", formula1=lists.formula(title, shown_choices), allow_blank=True,
                            errorTitle=_("not a valid decision"),
                            error=_("Pick a value from the drop-down list (see the README sheet)."))
        dv.showErrorMessage = True
        dv.add(row_ranges(numbers, column))
        ws.add_data_validation(dv)


def _region_validation(column: str, n: int) -> DataValidation:
    first = f"{column}2"
    words = ",".join(f'LOWER(TRIM({first}))="{word}"' for word in sorted(in_every_language(IGNORE)))
    dv = DataValidation(
        type="custom", allow_blank=True,
        formula1=f'OR({words},AND(LEN(TRIM({first}))>=6,'
                 f'ISNUMBER(VALUE(LEFT(TRIM({first}),6)))))',
        promptTitle=_("region decision"),
        prompt=_("ignore, or the 6-digit code of the region the plan covers (GB/T 2260, e.g. 431229)"),
        errorTitle=_("not a region decision"), error=_("Type ignore or a 6-digit administrative code."),
    )
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.add(f"{column}2:{column}{n + 1}")
    return dv


# --------------------------------------------------------------------------
# the note sheet and the README
# --------------------------------------------------------------------------


def _carried_sheet(ws: Worksheet, notes: Sequence[Filled]) -> None:
    """Decisions of the previous workbook that have no row in this one, with why: kept, never dropped."""
    _header(ws, CARRIED_COLUMNS)
    ws.freeze_panes = "A2"
    for note in notes:
        ws.append([label(note.kind), note.raw, shown_decision(note.decision), shown(note.why), note.document, note.locator, note.doc_id])
    _style_body(ws, CARRIED_COLUMNS, len(notes))
    _print_setup(ws, len(CARRIED_COLUMNS) - 1, len(notes))


_README = (
    (N_("What this is"), N_("The items the last `planingest run` was not sure about. One sheet per kind of item (sheets "
                     "with nothing to decide are hidden); one row per item, with what the document says around "
                     "it (the indicator it is listed under, unit, target, departments, document and page) and "
                     "the best candidates with their similarity scores (0-100).")),
    (N_("What to do"), N_("Fill the yellow decision column where you know the answer (use the drop-down) and leave "
                   "the rest empty. Then run:  planingest accept THIS_FILE  and  planingest run … again. "
                   "Accepted items leave the review queue and the rows carry the catalogue IDs and names.")),
    (N_("Your work is kept"), N_("Running  planingest review  again keeps every decision already filled in this file: "
                          "it is carried to the same item (same kind, text and document) in the new workbook. "
                          "A decision whose item is no longer in the queue is listed on the sheet "
                          "'carried over' with the reason, never dropped.")),
    (N_("indicator"), N_("A catalogue entry (I07 环境空气质量, or a sub-indicator I07.1 …) when the text is another way "
                  "of writing it; local when it is a provincial/local indicator that is not in the national "
                  "catalogue; ignore when it is not an indicator at all (a heading, a fragment). A row with "
                  "'listed under' filled is a sub-row of that indicator: its drop-down offers only that "
                  "indicator, its sub-indicators, local and ignore.")),
    (N_("department"), N_("The canonical department the unit is (生态环境局, 林业局, …), or ignore. The decision is "
                   "recorded for the unit's name without its place/level prefix (县生态保护中心 → 生态保护中心), "
                   "so it holds for every county. A unit that is no canonical department yet must be added to "
                   "catalogue/departments.csv by hand first.")),
    (N_("region"), N_("The 6-digit code (GB/T 2260, e.g. 431229) of the region the plan covers, for that document "
               "only; or ignore.")),
    (N_("document"), N_("ignore once the problem has been seen to.")),
    (N_("Checks"), N_("accept checks every decision before writing anything: an unknown ID, name or code, two "
               "different decisions for the same text, or a decision that would not settle the item is "
               "rejected with its sheet and row number, and nothing is written.")),
    (N_("Printing"), N_("Each sheet prints on A4 landscape, one page wide, with the header row on every page; the "
                 "columns right of 'reason' (more candidates, locator, region, doc_id) are not printed.")),
)
_README_WIDTHS = (20, 100)


def _readme(ws: Worksheet, catalogue: Path, counts: Mapping[str, int], n_notes: int) -> None:
    ws.title = label(README)
    for i, width in enumerate(_README_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    items = _(", ").join(_("{kind}: {n}").format(kind=label(kind), n=n) for kind, n in counts.items())
    carried = [(label(CARRIED), _("{n} decision(s) of the previous workbook no longer have a row; see the sheet "
                                  "'{sheet}'").format(n=n_notes, sheet=label(CARRIED)))] if n_notes else []
    paragraphs = [(_("written"), _("{time}; vocabulary: {catalogue}").format(time=local_time(), catalogue=catalogue)),
                  (_("items"), items), *carried, *((_(title), _(text)) for title, text in _README)]
    ws.append([_("planingest review")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 22
    for title, text in paragraphs:
        ws.append([title, text])
        number = ws.max_row
        ws.cell(row=number, column=1).font = Font(bold=True)
        ws.cell(row=number, column=1).alignment = _WRAP
        ws.cell(row=number, column=2).alignment = _WRAP
        lines = max(text_lines(text, _README_WIDTHS[1]), text_lines(title, _README_WIDTHS[0]))
        ws.row_dimensions[number].height = lines * _LINE_HEIGHT + 4
    _print_setup(ws, len(_README_WIDTHS), ws.max_row - 1)
    ws.print_title_rows = None
    ws.page_setup.orientation = "portrait"
