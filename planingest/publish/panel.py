"""The researchers' panel: one row per region × year × indicator (sub-indicator, scope).

Every indicator row says up to two things about its region:

- a **target** for a year: the row's deadline year (2025年目标值 → 2025); a target without
  a deadline is for the year its value was measured (a self-assessment's 目标值 beside
  2022年完成值), else for the document's plan year;
- a **measured value** and/or an **assessment** for the year it was measured
  (current_year, else the plan year).

Several documents may speak of the same region, year and indicator.  For the target the
latest issue_date wins; for the value a self-assessment or summary beats a plan's baseline,
then the latest issue_date.  Ties go to the smaller doc_id, so the result does not depend
on the order documents were read.  The winners' row_ids are given, and the row_ids of the
rows that lost are listed in ``superseded_row_ids``: nothing is dropped silently.
Only the rows of each plan's primary file count (documents.is_primary).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from planingest.core.schema import BOOL, FLOAT, INT, STRING, TABLES, Column
from planingest.publish.report_data import region_groups

JOIN = " | "
_IND = {c.name: c for c in TABLES["indicators"]}
_DOC = {c.name: c for c in TABLES["documents"]}
#: document kinds whose measured values beat a plan's baseline (lower ranks first)
_VALUE_RANK = {"self_assessment": 0, "summary": 1}

PANEL: tuple[Column, ...] = (
    _DOC["region"], _DOC["admin_code"],
    Column("year", INT, "the year the row is about: the target's year (its deadline) and/or the year the value "
                        "was measured"),
    _IND["indicator_id"], _IND["sub_indicator_id"],
    Column("indicator", STRING, "the indicator name as the winning row wrote it", False),
    Column("sub_indicator", STRING, "the sub-indicator name as the winning row wrote it"),
    _IND["target_scope"], _IND["unit"],
    _IND["target_raw"], _IND["target_op"], _IND["target_value"], _IND["target_text"],
    Column("target_doc_id", STRING, "the document the target comes from (the latest issue_date among those "
                                    "giving a target for this region, year and indicator)"),
    Column("target_doc_type", STRING, "its doc_type"),
    Column("target_row_id", STRING, "its row in indicators"),
    _IND["current_raw"], _IND["current_value"], _IND["current_year"], _IND["assessment_raw"], _IND["meets_target"],
    Column("value_doc_id", STRING, "the document the measured value and assessment come from (a self-assessment "
                                   "or summary over a plan's baseline, then the latest issue_date)"),
    Column("value_doc_type", STRING, "its doc_type"),
    Column("value_row_id", STRING, "its row in indicators"),
    Column("superseded_row_ids", STRING, f"row_ids of the indicator rows that gave a different target or value for "
                                         f"this region, year and indicator and lost, joined with '{JOIN}'"),
)


@dataclass(frozen=True)
class _Fact:
    """One thing one indicator row says about a region × year × indicator."""

    key: tuple  # (region key, year, indicator, sub-indicator, scope)
    rank: tuple  # smaller wins
    payload: tuple  # what is said: the same payload from two rows is one statement
    row: object  # the indicators row (a namedtuple)
    doc: object  # its documents row


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA


def _int(value) -> int | None:
    return int(value) if _present(value) else None


def _year_of(deadline) -> int | None:
    return int(str(deadline)[:4]) if _present(deadline) and str(deadline)[:4].isdigit() else None


def _indicator_key(row) -> tuple:
    indicator = row.indicator_id if _present(row.indicator_id) else f"name:{row.name_raw}"
    sub = row.sub_indicator_id if _present(row.sub_indicator_id) else (
        f"name:{row.sub_name_raw}" if _present(row.sub_name_raw) else None)
    return indicator, sub, row.target_scope if _present(row.target_scope) else None


def _date_rank(doc) -> tuple:
    """Latest issue_date first, undated last, then the smaller doc_id."""
    date = doc.issue_date
    return (0, -pd.Timestamp(date).toordinal()) if _present(date) else (1, 0)


def _facts(indicators: pd.DataFrame, documents: pd.DataFrame, group_of: dict[str, str]):
    docs = {d.doc_id: d for d in documents.itertuples(index=False)}
    targets, values = [], []
    for row in indicators.itertuples(index=False):
        doc = docs.get(row.doc_id)
        if doc is None or row.doc_id not in group_of or not bool(getattr(doc, "is_primary", True)):
            continue
        region, indicator = group_of[row.doc_id], _indicator_key(row)
        measured_year = _int(row.current_year)
        has_value = _present(row.current_raw) or _present(row.assessment_raw)
        if _present(row.target_raw):
            year = _year_of(row.deadline) or (measured_year if has_value else None) or _int(doc.plan_year)
            targets.append(_Fact((region, year, *indicator), (*_date_rank(doc), row.doc_id),
                                 (row.target_raw, row.unit), row, doc))
        if has_value:
            year = measured_year or _int(doc.plan_year)
            rank = (_VALUE_RANK.get(str(doc.doc_type), 9), *_date_rank(doc), row.doc_id)
            values.append(_Fact((region, year, *indicator), rank,
                                (row.current_raw, row.assessment_raw), row, doc))
    return targets, values


def _winners(facts: list[_Fact]) -> dict[tuple, tuple[_Fact, list[str]]]:
    """key → (winning fact, row_ids of facts saying something else)."""
    by_key: dict[tuple, list[_Fact]] = defaultdict(list)
    for fact in facts:
        by_key[fact.key].append(fact)
    out = {}
    for key, candidates in by_key.items():
        ordered = sorted(candidates, key=lambda f: f.rank)
        best = ordered[0]
        losers = [f.row.row_id for f in ordered[1:] if f.payload != best.payload or f.doc.doc_id != best.doc.doc_id]
        out[key] = (best, losers)
    return out


def _year_sort(key: tuple) -> tuple:
    region, year, *rest = key
    return (region, year is None, year or 0, *(str(x) for x in rest))


def panel(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The panel of the run's indicator rows (see the module docstring for the rules)."""
    documents, indicators = tables["documents"], tables["indicators"]
    groups = region_groups(documents)
    group_of = {doc_id: g.key for g in groups for doc_id in g.doc_ids}
    regions = {g.key: g for g in groups}
    doc_region = documents.drop_duplicates("doc_id").set_index("doc_id")
    targets, values = _facts(indicators, documents, group_of)
    target_wins, value_wins = _winners(targets), _winners(values)
    rows = []
    for key in sorted(set(target_wins) | set(value_wins), key=_year_sort):
        target, target_losers = target_wins.get(key, (None, []))
        value, value_losers = value_wins.get(key, (None, []))
        named = (target or value).row  # type: ignore[union-attr]
        group = regions[key[0]]
        first = doc_region.loc[group.doc_ids[0]]
        t, v = (target.row if target else None), (value.row if value else None)
        rows.append({
            "region": first["region"] if group.admin_code else None, "admin_code": group.admin_code,
            "year": key[1], "indicator_id": named.indicator_id, "sub_indicator_id": named.sub_indicator_id,
            "indicator": named.name_raw, "sub_indicator": named.sub_name_raw, "target_scope": named.target_scope,
            "unit": (t.unit if t is not None and _present(t.unit) else (v.unit if v is not None else None)),
            "target_raw": t.target_raw if t is not None else None,
            "target_op": t.target_op if t is not None else None,
            "target_value": t.target_value if t is not None else None,
            "target_text": t.target_text if t is not None else None,
            "target_doc_id": t.doc_id if t is not None else None,
            "target_doc_type": target.doc.doc_type if target else None,
            "target_row_id": t.row_id if t is not None else None,
            "current_raw": v.current_raw if v is not None else None,
            "current_value": v.current_value if v is not None else None,
            "current_year": _int(v.current_year) if v is not None else None,
            "assessment_raw": v.assessment_raw if v is not None else None,
            "meets_target": v.meets_target if v is not None else None,
            "value_doc_id": v.doc_id if v is not None else None,
            "value_doc_type": value.doc.doc_type if value else None,
            "value_row_id": v.row_id if v is not None else None,
            "superseded_row_ids": JOIN.join(dict.fromkeys(target_losers + value_losers)) or None,
        })
    frame = pd.DataFrame(rows, columns=[c.name for c in PANEL])
    for column in PANEL:
        if column.type == INT:
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == FLOAT:
            frame[column.name] = frame[column.name].astype("Float64")
        elif column.type == BOOL:
            frame[column.name] = frame[column.name].astype("boolean")
    return frame
