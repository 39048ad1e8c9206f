"""Whether a column headed only by a year (``2021年``) holds a target or a measured value.

A plan's ``2025年`` column is that year's target; a summary's ``2022年`` column is what
was measured that year.  The header alone cannot tell; the document and the table can.
Each such column gets a verdict (:func:`bare_year_verdict`):

1. in a document that reports on the past (工作总结, 自评估报告, 自查报告), a bare year
   up to the year it reports on (its title's last year, else the year it was issued) is
   measured; a later one is a target;
2. in a plan, a bare year before the first year the plan covers (规划（2021—2025年） →
   2021; 2024年工作要点 → 2024) is the baseline; a year in or after that period is a
   target, unless a worded target column (目标值, 规划目标) stands beside it: then it may
   be either, and is sent to review;
3. in a document that says neither, a bare year beside a worded target column is
   measured (the target has a column of its own); without one it stays a target, sent to
   review unless every such year is still ahead of the year the document was issued.

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


def document_years(kind: DocType | None, title: str | None, issue_date: str | None,
                   reported: int | None = None) -> DocumentYears:
    """The :class:`DocumentYears` of a document of ``kind`` (its title's type word) with this
    title and issue date (ISO ``YYYY-MM-DD``).  ``reported`` is the year the title says it
    summarises (``2023年工作总结和2024年工作思路`` → 2023): such a document reports on that
    year whatever word ends its title, and a later year in the title is not its report year."""
    first, last = parse_years(title)
    issued = int(issue_date[:4]) if issue_date and re.fullmatch(r"[0-9]{4}", issue_date[:4]) else None
    if reported is not None:
        return DocumentYears(True, None, reported, issued)
    if kind in _REPORTS_ON_PAST:
        return DocumentYears(True, None, last or issued, issued)
    return DocumentYears(False, first, None, issued)


MEASURED, TARGET, UNSURE = "measured", "target", "unsure"


def bare_year_verdict(year: int | None, beside_worded_target: bool, doc: DocumentYears | None) -> str:
    """:data:`MEASURED`, :data:`TARGET` or :data:`UNSURE` (read as a target, sent to review)
    for a column headed only by ``year`` (see the module docstring for the rules)."""
    if year is None:
        return TARGET
    if doc is not None and doc.reports_on_past:
        return MEASURED if doc.report_year is None or year <= doc.report_year else TARGET
    if doc is not None and doc.first_year is not None:
        if year < doc.first_year:
            return MEASURED
        return UNSURE if beside_worded_target else TARGET
    if beside_worded_target:
        return MEASURED
    issued = doc.issue_year if doc is not None else None
    return TARGET if issued is not None and year >= issued else UNSURE


def _beside_worded_target(header: Header) -> bool:
    return any(not header.is_bare_year(c) and not header.is_grouped_year(c) for c in header.columns("target"))


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
    worded = _beside_worded_target(header)
    for col in header.columns("target"):
        if header.is_bare_year(col) and bare_year_verdict(header.year(col), worded, doc) == MEASURED:
            roles[col] = "baseline"
        elif header.is_grouped_year(col) and worded:  # 指标值 over years beside its own 目标值
            roles[col] = "baseline"
    for col in header.columns("assessment"):
        if _numeric_share(body, col) >= NUMERIC_SHARE:
            roles[col] = "baseline"
    return header if tuple(roles) == header.roles else replace(header, roles=tuple(roles))


def unsettled_year_columns(header: Header, doc: DocumentYears | None) -> str | None:
    """The target year columns the document cannot settle, written out for review
    (``2021年 | 2022年``); None when every year column is settled.  Unsettled are bare years
    whose verdict is :data:`UNSURE`, and, in a report, years under a target group (指标值 over
    2021年 | 2022年) up to the year it reports on: measured values as likely as targets."""
    if header.kind != "indicators":
        return None
    worded = _beside_worded_target(header)
    reports = doc is not None and doc.reports_on_past

    def unsettled(col: int) -> bool:
        year = header.year(col)
        if header.is_bare_year(col):
            return bare_year_verdict(year, worded, doc) == UNSURE
        return (reports and header.is_grouped_year(col) and doc is not None
                and (doc.report_year is None or (year or 0) <= doc.report_year))

    return " | ".join(header.text(c).strip() for c in header.columns("target") if unsettled(c)) or None
