"""Key-project lists (重点项目一览表) → raw project rows.

A row with a number or a name starts a project; rows below it with their own
content, period or investment but no name are further lines of the same project
(they share its number and name).  The first row after a page break that has
neither a period nor an investment is the rest of the row the break cut, and is
joined to it.  A number lost at a page break is restored when its neighbours
leave exactly one gap (24, ?, 26 → 25) and the row says so (``seq_inferred``).
"""
from __future__ import annotations

from dataclasses import replace

from planingest.core.records import RawProject
from planingest.interpret.tables.cells import is_total_label, join_wrapped, parse_seq, squash
from planingest.interpret.tables.headers import Header, money_unit
from planingest.interpret.tables.layout import RecognisedTable, Row
from planingest.interpret.tables.numbering import restore_lost_numbers

_OWN_FIELDS = ("content", "years", "investment", "progress", "invested")


def _invested_unit(header: Header) -> str | None:
    """The money unit of the 完成投资 column (完成投资（亿元）), else the 总投资 one."""
    col = header.column("invested")
    return (money_unit(header.texts[col]) if col is not None else None) or header.money_unit


def _progress(row: Row) -> str | None:
    """进展情况, or a project list's 完成情况 (the assessment word of indicator tables)."""
    return _text(row, "progress") or _text(row, "assessment")


def _text(row: Row, role: str) -> str | None:
    text = join_wrapped(row.get(role))
    return text or None


def _is_cut_tail(row: Row) -> bool:
    return row.after_break and not row.get("seq") and not row.get("project_name") and not (
        row.get("years") or row.get("investment")
    )


def _append(project: RawProject, row: Row) -> RawProject:
    """Join the tail of a row cut by a page break onto its head."""

    def joined(old: str | None, new: str, sep: str) -> str | None:
        new = new.strip()
        if not new:
            return old
        return f"{old}{sep}{new}" if old else new

    return replace(
        project,
        content=joined(project.content, join_wrapped(row.get("content")), "\n"),
        departments_raw=joined(project.departments_raw, row.get("departments"), ""),
        indicators_raw=joined(project.indicators_raw, row.get("indicators"), ""),
    )


def _is_total(row: Row) -> bool:
    """A 合计/小计 row: its label stands in the first cell (序号, often merged over the name) or the name."""
    return any(is_total_label(text) for text in (row.spanning, row.get("seq"), row.get("project_name")))


def project_rows(table: RecognisedTable) -> list[RawProject]:
    out: list[RawProject] = []
    category: str | None = None
    current: RawProject | None = None
    for row in table.rows:
        if _is_total(row):
            continue  # 合计: the sum of the projects above, not one more project
        if row.spanning and not parse_seq(row.get("seq")):
            category = squash(row.spanning)
            continue
        if row.get("category"):
            category = squash(row.get("category"))
        seq = parse_seq(row.get("seq"))
        name = _text(row, "project_name")
        if current is not None and _is_cut_tail(row):
            out[-1] = current = _append(current, row)
            continue
        if seq is None and name is None and current is None:
            continue
        if seq is not None or name:
            current = RawProject(
                name=(name or "").replace("\n", ""), locator=row.locator, seq=seq, category=category,
                content=_text(row, "content"), years_raw=_text(row, "years"),
                investment_raw=_text(row, "investment"), investment_unit=table.header.money_unit,
                departments_raw=row.get("departments") or None, indicators_raw=row.get("indicators") or None,
                progress_raw=_progress(row), invested_raw=_text(row, "invested"),
                invested_unit=_invested_unit(table.header),
            )
            out.append(current)
            continue
        if not any(row.get(f) for f in _OWN_FIELDS):
            continue
        assert current is not None
        out.append(replace(
            current, locator=row.locator, content=_text(row, "content"), years_raw=_text(row, "years"),
            investment_raw=_text(row, "investment"),
            departments_raw=row.get("departments") or current.departments_raw,
            indicators_raw=row.get("indicators") or current.indicators_raw,
            progress_raw=_progress(row), invested_raw=_text(row, "invested"),
        ))
    return restore_lost_numbers(out, lambda r: (r.name, r.seq))
