"""An exported worksheet people can read: widths from the content, bold header, frozen header, autofilter."""
from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planingest.core.text import display_width

MIN_WIDTH, MAX_WIDTH = 8, 48
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def column_width(header: str, values: pd.Series) -> float:
    """Wide enough for the header and for nine values in ten (CJK characters count twice), within limits."""
    widths = [display_width(line) for v in values.dropna() for line in str(v).splitlines() or [""]]
    body = float(pd.Series(widths).quantile(0.9)) if widths else 0.0
    return float(min(MAX_WIDTH, max(MIN_WIDTH, display_width(header) + 2, body + 2)))


def style_sheet(ws: Worksheet, frame: pd.DataFrame, frozen_columns: int = 0) -> None:
    """Style a sheet pandas wrote from ``frame`` (header in row 1, no index)."""
    last = get_column_letter(max(len(frame.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    for i, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        width = column_width(str(name), frame[name])
        ws.column_dimensions[letter].width = width
        header = ws.cell(row=1, column=i)
        header.font = Font(bold=True)
        header.fill = _HEADER_FILL
        header.alignment = _WRAP
        if width >= MAX_WIDTH or frame[name].astype(str).str.contains("\n").any():
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=i, max_col=i):
                cell.alignment = _WRAP
