"""Which target, measured-value and assessment column a row is read from.

A plan may give a target per year (``2025年目标值 | 2030年目标值``, ``近期（2025年）|
远期（2030年）``) beside a measured value (``现状值（2020年）``) and an assessment
(``达标情况``).  Each target year becomes a :class:`ColumnView`: the same row read with
that year's target, and that year as its deadline.  A table with one target column has
one view, as before.  The measured value and the assessment are the same in every view.
"""
from __future__ import annotations

from dataclasses import dataclass

from planingest.interpret.tables.headers import Header
from planingest.interpret.tables.layout import column_key
from planingest.interpret.values import parse_year


@dataclass(frozen=True)
class ColumnView:
    """How to read one row for one target column."""

    target_key: str | None = None  # Row.values key of this view's target column (None: the only one)
    target_year: int | None = None  # the year that column's header names
    year_is_deadline: bool = False  # several target years: each row's deadline is its column's year
    current_key: str | None = None  # the measured-value column read
    current_year_raw: str | None = None  # the header (or table caption) that dates the measured value
    assessment_key: str | None = None

    def apply(self, values: dict[str, str], fill_deadline: bool = True) -> dict[str, str]:
        """``values`` as the indicator logic reads them: this view's cells under target, current,
        assessment; the target year as deadline (always with several years, else where the row
        gives no deadline of its own and ``fill_deadline``)."""
        out = {k: v for k, v in values.items() if "@" not in k}
        if self.target_key:
            out["target"] = values.get(self.target_key, "")
        if self.current_key:
            out["current"] = values.get(self.current_key, "")
        if self.assessment_key:
            out["assessment"] = values.get(self.assessment_key, "")
        if self.target_year is not None and (self.year_is_deadline or (fill_deadline and not out.get("deadline"))):
            out["deadline"] = f"{self.target_year}年"
        return out

    def has_target(self, *values: dict[str, str]) -> bool:
        key = self.target_key or "target"
        return any(v.get(key, "").strip() for v in values)


def _measured_column(header: Header) -> int | None:
    """The measured value read: the latest dated one (完成值 2023 over 基准值 2020), else the last."""
    columns = header.columns("baseline")
    if not columns:
        return None
    return max(columns, key=lambda c: (header.year(c) or 0, c))


def column_views(header: Header, *titles: str | None) -> list[ColumnView]:
    """One view per target year (one view when the table has a single target column or its
    target columns do not name distinct years).  ``titles`` (the table's caption, a title row
    above its header) date an undated measured column when one of them names one year."""
    measured = _measured_column(header)
    current_key = column_key("baseline", measured) if measured is not None else None
    current_year_raw = None
    if measured is not None:
        if header.year(measured) is not None:
            current_year_raw = header.text(measured)
        else:  # 2023年度指标完成情况: the year of the whole table
            current_year_raw = next((t for t in titles if t and parse_year(t) is not None), None)
    assessments = header.columns("assessment")
    assessment_key = column_key("assessment", assessments[0]) if assessments else None
    common = {"current_key": current_key, "current_year_raw": current_year_raw, "assessment_key": assessment_key}
    targets = header.columns("target")
    years = [header.year(c) for c in targets]
    if len(targets) > 1 and None not in years and len(set(years)) == len(years):
        return [ColumnView(column_key("target", c), y, True, **common) for c, y in zip(targets, years)]
    return [ColumnView(None, years[0] if targets else None, False, **common)]
