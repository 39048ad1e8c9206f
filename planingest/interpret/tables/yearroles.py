"""Whether a column headed only by a year (``2021年``) holds a target or a measured value.

A plan's ``2025年`` column is that year's target; a summary's ``2022年`` column is what
was measured that year.  The header alone cannot tell; the table and the document can:

1. beside a worded target column (目标值, 目标值（2025年）, 规划目标) a bare year is a
   measured value: the target has a column of its own;
2. in a document that reports on the past (工作总结, 自评估报告, 自查报告), a bare year
   up to the year it reports on (its title's last year, else the year it was issued) is
   measured; a later one is a target;
3. in a plan, a bare year before the first year the plan covers (规划（2021—2025年） →
   2021; 2024年工作要点 → 2024) is the baseline;
4. otherwise it stays a target, as the header vocabulary says (``年`` in table_headers.csv),
   and where the document gives no year to read it against, its rows go to review
   (:func:`unsettled_year_columns`).

Years under a group cell take the group's role (``现状值`` over ``2021年``: measured).  A
target group (``指标值`` over ``2021年 | 2022年``) is read as measured beside a worded target
column of its own, and sent to review in a report whose year they do not pass.

An assessment column whose cells are numbers (``2023年完成情况`` holding 96.4) is a
measured value too: an assessment is a word (达标, 是), never a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from planingest.core.enums import DocType
from planingest.interpret.tables.headers import Header
from planingest.interpret.values import parse_measured, parse_years

#: document kinds whose tables report what was done, not what is planned
_REPORTS_ON_PAST = frozenset({DocType.SUMMARY, DocType.SELF_ASSESSMENT})
#: share of an assessment column's filled cells that must be numbers for it to be read as measured
NUMERIC_SHARE = 0.6


@dataclass(frozen=True)
class DocumentYears:
    """What the document says about time, as the reading of its year columns needs it."""

    reports_on_past: bool = False  # a summary or self-assessment
    first_year: int | None = None  # the first year a plan covers (规划（2021—2025年） → 2021)
    report_year: int | None = None  # the year a summary reports on (2023年工作总结 → 2023)
    issue_year: int | None = None  # the year the document was issued, where it says


def document_years(kind: DocType | None, title: str | None, issue_date: str | None) -> DocumentYears:
    """The :class:`DocumentYears` of a document of ``kind`` (its title's type word) with this
    title and issue date (ISO ``YYYY-MM-DD``)."""
    first, last = parse_years(title)
    issued = int(issue_date[:4]) if issue_date and re.fullmatch(r"[0-9]{4}", issue_date[:4]) else None
    if kind in _REPORTS_ON_PAST:
        return DocumentYears(True, None, last or issued, issued)
    return DocumentYears(False, first, None, issued)


def _bare_year_is_measured(year: int | None, beside_worded_target: bool, doc: DocumentYears | None) -> bool:
    if beside_worded_target:
        return True
    if doc is None or year is None:
        return False
    if doc.reports_on_past:
        return doc.report_year is None or year <= doc.report_year
    return doc.first_year is not None and year < doc.first_year


def _numeric_share(body: list[tuple[str, ...]], col: int) -> float:
    cells = [r[col] for r in body if col < len(r) and r[col].strip()]
    if not cells:
        return 0.0
    numbers = 0
    for cell in cells:
        measured = parse_measured(cell)
        numbers += measured is not None and measured.value is not None
    return numbers / len(cells)


def resolve_year_roles(header: Header, body: list[tuple[str, ...]], doc: DocumentYears | None) -> Header:
    """``header`` with its bare-year target columns and numeric assessment columns given the
    role ``baseline`` where they hold measured values (see the module docstring)."""
    if header.kind != "indicators":
        return header
    roles = list(header.roles)
    targets = header.columns("target")
    worded = any(not header.is_bare_year(c) and not header.is_grouped_year(c) for c in targets)
    for col in targets:
        if header.is_bare_year(col) and _bare_year_is_measured(header.year(col), worded, doc):
            roles[col] = "baseline"
        elif header.is_grouped_year(col) and worded:  # 指标值 over years beside its own 目标值
            roles[col] = "baseline"
    for col in header.columns("assessment"):
        if _numeric_share(body, col) >= NUMERIC_SHARE:
            roles[col] = "baseline"
    return header if tuple(roles) == header.roles else replace(header, roles=tuple(roles))


def unsettled_year_columns(header: Header, doc: DocumentYears | None) -> str | None:
    """The target year columns the document cannot settle, written out for review
    (``2021年 | 2022年``); None when every year column is settled.  Unsettled are: in a
    report, years under a target group up to the year it reports on; elsewhere, bare years
    when the document gives no period to read them against (rule 4) and they are not all
    still ahead of the year it was issued."""
    if header.kind != "indicators":
        return None
    if doc is not None and doc.reports_on_past:
        # years under a target group (指标值 over 2021年 | 2022年) in a report, up to the year it
        # reports on: measured values as likely as targets
        past = [c for c in header.columns("target") if header.is_grouped_year(c)
                and (doc.report_year is None or (header.year(c) or 0) <= doc.report_year)]
        return " | ".join(header.text(c).strip() for c in past) or None
    if doc is not None and doc.first_year is not None:
        return None
    bare = [c for c in header.columns("target") if header.is_bare_year(c)]
    if not bare:
        return None
    issued = doc.issue_year if doc else None
    if issued is not None and all((header.year(c) or 0) >= issued for c in bare):
        return None  # targets for years still to come
    return " | ".join(header.text(c).strip() for c in bare)
