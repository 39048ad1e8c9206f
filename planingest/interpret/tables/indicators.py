"""Indicator responsibility tables (指标任务分解表) → raw indicator rows.

A numbered row starts an indicator.  Its sub-indicators come either as following
rows without a number (靖州) or packed into the name cell ("环境空气质量\\n（1）优良天数
比例…", "环境空气质量 优良天数比例 PM2.5…").  A parent cell holding one value per
sub-row ("≥90\\n≥75\\n≥80") is dealt out in order; a single value is inherited.
Sub-rows that name a kind of place (山区, 综合利用率≤60%的地区) are scope variants of
one target, not sub-indicators.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planingest.core.records import Locator, RawIndicator
from planingest.interpret.confidence import weak_cells
from planingest.interpret.tables.cells import (
    DOMAINS,
    clean_domain,
    clean_task,
    is_national_task,
    join_wrapped,
    parse_seq,
)
from planingest.interpret.tables.layout import PER_COLUMN_ROLES, RecognisedTable, Row
from planingest.interpret.tables.numbering import restore_lost_numbers
from planingest.interpret.tables.yearcolumns import ColumnView, column_views
from planingest.interpret.values import split_scoped_targets, split_target_items, unit_in_name, unit_in_value

#: (cell text) -> (parent name, packed sub names); supplied by the catalogue-aware normaliser
Splitter = Callable[[str], tuple[str, list[str]]]

_SCOPE = re.compile(r"(地区|山区|城市|区域|^[市县]$|^[市县]域$)$")
_ENUM_LINE = re.compile(r"^\s*[（(]?\s*\d{1,2}\s*[)）.、]\s*")
#: units that stand alone in a cell listing one unit per sub-row ("% - %", "%\n%")
WHOLE_UNITS = frozenset({
    "%", "-", "—", "－", "千克", "千克/公顷", "千克/亩", "吨", "吨/万元", "吨标准煤/万元", "立方米/万元", "平方米/人",
    "公里", "公顷", "亩", "个", "项", "家", "天", "μg/m³", "ug/m³", "‰",
})
_VALUE_FIELDS = ("unit", "target", "attribute", "departments", "deadline", "note", "current", "assessment")
#: fields dealt out one value per sub-row when the parent's cell holds as many
_DEALT_FIELDS = ("target", "current", "assessment")


def _is_value_key(key: str) -> bool:
    return key in _VALUE_FIELDS or key.split("@")[0] in PER_COLUMN_ROLES


def looks_like_scope(name: str) -> bool:
    """A sub-row naming a kind of place rather than a sub-indicator."""
    return bool(_SCOPE.search(name.strip().rstrip("：:")))


def default_split(cell: str) -> tuple[str, list[str]]:
    """Catalogue-free split: one sub-indicator per enumerated or extra line."""
    lines = [x.strip() for x in cell.split("\n") if x.strip()]
    if not lines:
        return "", []
    return lines[0], [_ENUM_LINE.sub("", x) for x in lines[1:]]


@dataclass
class _Parent:
    seq: int | None
    name_cell: str
    values: dict[str, str]
    locator: Locator
    domain: str | None
    task: str | None
    subs: list[Row] = field(default_factory=list)
    view: ColumnView = field(default_factory=ColumnView)
    scores: dict[str, float] = field(default_factory=dict)  # OCR scores by role (Row.scores)


def _weakest(*score_maps: dict[str, float]) -> dict[str, float]:
    """Per role, the lowest OCR score among the rows that make up one raw indicator."""
    out: dict[str, float] = {}
    for scores in score_maps:
        for role, score in scores.items():
            out[role] = min(score, out.get(role, score))
    return out


def _clean_name(name: str) -> str:
    return join_wrapped(name).replace("\n", "").strip().rstrip("：:").strip()


def _looks_like_values(items: list[str]) -> bool:
    """Items that are one value each (≥90 / 不明显), not one sentence a narrow cell wrapped."""
    numeric = [bool(re.search(r"\d", x)) for x in items]
    return any(numeric) or all(len(x) <= 5 for x in items)


def _deal(cell: str, n: int) -> list[str]:
    """One value per sub-row when the cell holds as many values, else the same value for all."""
    if not cell or n <= 1:
        return [cell] * max(n, 1)
    items = split_target_items(cell, n)
    if len(items) == n and _looks_like_values(items):
        return items
    return [split_target_items(cell, 1)[0]] * n


def _deal_units(cell: str, n: int) -> list[str]:
    """Units dealt out only when each piece is a whole unit; "千\n克/亩" is one unit wrapped."""
    parts = [p for p in re.split(r"\s+", cell.strip()) if p]
    if len(parts) == n and all(p in WHOLE_UNITS for p in parts):
        return parts
    if len(set(parts)) == 1:
        return [parts[0]] * n
    return ["".join(parts)] * n


def _variants(parent: _Parent, sub_names: list[str], sub_rows: list[Row] | None) -> list[RawIndicator]:
    """Rows for a parent with sub-indicators or scope variants (given as packed names or sub-rows)."""
    n = len(sub_names)
    dealt = {f: _deal(parent.values.get(f, ""), n) for f in _DEALT_FIELDS}
    units = _deal_units(parent.values.get("unit", ""), n) if parent.values.get("unit") else [""] * n
    name = _clean_name(parent.name_cell)
    out = []
    for k, sub in enumerate(sub_names):
        own = sub_rows[k].values if sub_rows else {}
        values = dict(parent.values)
        values.update({f: dealt[f][k] for f in _DEALT_FIELDS})
        values["unit"] = units[k]
        # a sub-row's own value wins, unless it merely repeats the parent's cell (a merge the
        # format could not mark): then the parent's value is dealt out as usual
        values.update({f: v for f, v in own.items()
                       if f in _VALUE_FIELDS and v.strip() and v != parent.values.get(f)})
        is_scope = looks_like_scope(sub)
        out.append(
            _raw(parent, name, None if is_scope else _clean_name(sub), values,
                 sub_rows[k].locator if sub_rows else parent.locator, scope=_clean_name(sub) if is_scope else None,
                 scores=_weakest(parent.scores, sub_rows[k].scores) if sub_rows else None)
        )
    return out


def _raw(parent: _Parent, name: str, sub: str | None, values: dict[str, str], locator: Locator,
         scope: str | None = None, scores: dict[str, float] | None = None) -> RawIndicator:
    def val(key: str) -> str | None:
        text = join_wrapped(values.get(key, "")).strip()
        if key in ("target", "unit", "current", "assessment"):
            text = text.replace("\n", "")  # one value per row by now: any break left is a wrap
        return text or None

    ocr_score, low_cells = weak_cells(parent.scores if scores is None else scores)
    return RawIndicator(
        name_raw=name, locator=locator, seq=parent.seq, domain=parent.domain, task=parent.task,
        sub_name_raw=sub, unit=val("unit") or unit_in_name(sub or name) or unit_in_value(val("target")) or unit_in_value(val("current")), target_raw=val("target"), target_scope=scope,
        attribute_raw=values.get("attribute") or None, departments_raw=values.get("departments") or None,
        deadline_raw=val("deadline"), note=val("note"), target_year=parent.view.target_year,
        current_raw=val("current"), current_year_raw=parent.view.current_year_raw if val("current") else None,
        assessment_raw=val("assessment"), ocr_score=ocr_score,
        low_confidence_cells=low_cells,
    )


def _emit(parent: _Parent, split: Splitter, views: list[ColumnView]) -> list[RawIndicator]:
    """One indicator's rows: per target column (one per target year) its sub-indicators and
    scope variants.  A year whose cells are all empty gives no rows (unless every year is empty)."""
    rows: list[RawIndicator] = []
    for view in views:
        if len(views) > 1 and not view.has_target(parent.values, *(s.values for s in parent.subs)):
            continue
        rows.extend(_emit_one(_through(parent, view), split))
    if not rows and views:
        rows = _emit_one(_through(parent, views[0]), split)
    return rows


def _through(parent: _Parent, view: ColumnView) -> _Parent:
    """The parent and its sub-rows read through one view (a sub-row takes the target year as
    deadline only when every year is its own row; else it inherits the parent's)."""
    subs = [replace(sub, values=view.apply(sub.values, fill_deadline=False)) for sub in parent.subs]
    return replace(parent, values=view.apply(parent.values), subs=subs, view=view)


def _emit_one(parent: _Parent, split: Splitter) -> list[RawIndicator]:
    if parent.subs:
        head, _ = split(parent.name_cell)
        parent.name_cell = head or parent.name_cell
        return _variants(parent, [s.get("indicator") for s in parent.subs], parent.subs)
    head, packed = split(parent.name_cell)
    if packed:
        parent.name_cell = head
        return _variants(parent, packed, None)
    name = _clean_name(parent.name_cell)
    target = parent.values.get("target", "")
    scoped = split_scoped_targets(target) if target else []
    if len(scoped) <= 1 and target:
        # one value: rejoin what a wrap split ("完成年度审核 计划")
        parent.values["target"] = split_target_items(target, 1)[0]
    if len(scoped) > 1:
        return [
            _raw(parent, name, None, {**parent.values, "target": t.raw}, parent.locator, scope=t.scope)
            for t in scoped
        ]
    scope = scoped[0].scope if scoped else None
    return [_raw(parent, name, None, parent.values, parent.locator, scope=scope)]


def indicator_rows(table: RecognisedTable, split: Splitter = default_split) -> list[RawIndicator]:
    """Raw indicator rows of one recognised indicator table, in document order."""
    rows: list[RawIndicator] = []
    domain: str | None = None
    task: str | None = None
    parent: _Parent | None = None
    views = column_views(table.header, table.caption, table.title)
    for row in table.rows:
        if row.spanning and not parse_seq(row.get("seq")):
            label = clean_domain(row.spanning)
            if label in DOMAINS:
                domain = label
            else:
                task = clean_task(row.spanning)
            continue
        if row.get("domain"):
            label = clean_domain(row.get("domain"))
            if domain and label and label in domain:
                pass  # a fragment of the current domain's merged cell (cut by a page or OCR)
            elif label not in DOMAINS:
                # a label spanning 领域 and 任务 (特色指标, 地方指标): a local group, not a domain
                domain, task = None, clean_task(row.get("domain"))
            else:
                domain = label
        if row.get("task"):
            task = clean_task(row.get("task"))
            if not row.get("domain") and not is_national_task(task):
                domain = None  # a local group such as 特色指标 is outside the six domains
        seq = parse_seq(row.get("seq"))
        name = row.get("indicator")
        if parent is not None and seq is not None and seq == parent.seq and name and name != parent.name_cell:
            seq = None  # the number repeated from a merged cell: a sub-row of the same indicator
        # where the format marks merges, a sub-row's 序号 continues its parent's merged cell; an
        # empty 序号 of its own means the number itself was lost (OCR, a page cut): a new indicator
        lost_number = seq is None and name and row.continued is not None and "seq" not in row.continued
        if seq is not None or lost_number or (name and parent is None):
            if parent is not None:
                rows.extend(_emit(parent, split, views))
            values = {f: v for f, v in row.values.items() if v and _is_value_key(f)}
            parent = _Parent(seq, name, values, row.locator, domain, task, scores=dict(row.scores))
        elif parent is not None and name:
            parent.subs.append(row)
        elif parent is not None:
            # a row cut by a page break: its cells continue the current indicator's
            for f, v in row.values.items():
                if v and _is_value_key(f):
                    parent.values[f] = "\n".join(x for x in (parent.values.get(f), v) if x)
            parent.scores = _weakest(parent.scores, row.scores)
    if parent is not None:
        rows.extend(_emit(parent, split, views))
    return restore_lost_numbers(rows, lambda r: (r.name_raw, r.seq))
