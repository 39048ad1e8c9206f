"""Where a region stands: targets by year beside measured values and assessments (issue 13's report part).

Summaries and self-assessments state measured values (``current_*``) and the
document's own assessment (``assessment_raw`` / ``meets_target``).  This section
shows them beside the targets, year by year, and colours a second heat map by
the assessment where the documents give one.  No assessment is ever computed
here: a region whose documents give a target and a value but no assessment is
shown as "no assessment given", never as met or missed (the official comparison
rules are not ours to invent).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape

import pandas as pd

from planingest.catalogue.indicators import IndicatorCatalogue
from planingest.core.i18n import N_, _
from planingest.publish.report_data import RegionGroup, RegionSummary, regions_phrase
from planingest.publish.svg import HeatCell, HeatColumn, HeatRow, heat_map

#: assessment states, most telling first: a region × indicator cell shows the worst its rows say
ASSESSMENT_LEGEND = {
    "missed": ("#d73027", N_("assessed as not met (未达标 / 否)")),
    "unclear": ("#fee08b", N_("assessed, neither met nor missed (基本达标, 推进中 …)")),
    "met": ("#1a9850", N_("assessed as met (达标 / 是)")),
    "absent": ("#eeeeee", N_("no assessment given")),
}
_ORDER = ("missed", "unclear", "met")


@dataclass(frozen=True)
class ProgressLine:
    """One indicator (sub-indicator, scope) of one region: what its documents say, year by year."""

    indicator_id: str
    label: str  # ID, sub-indicator and scope as shown
    targets: tuple[str, ...]  # "2025: ≥60"
    measured: tuple[str, ...]  # "2022: 78.5%"
    assessments: tuple[str, ...]  # as written


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _state(meets: list) -> str | None:
    """The cell's state from the ``meets_target`` values of its rows (None: no assessment at all)."""
    states = set()
    for value in meets:
        if value is True:
            states.add("met")
        elif value is False:
            states.add("missed")
        else:
            states.add("unclear")
    return next((s for s in _ORDER if s in states), None)


def assessment_states(indicators: pd.DataFrame, groups: list[RegionGroup]) -> dict[tuple[str, str], HeatCell]:
    """(region key, indicator ID) → the heat-map cell of the assessments its rows give."""
    group_of = {doc_id: g.key for g in groups for doc_id in g.doc_ids}
    assessed: dict[tuple[str, str], list] = defaultdict(list)
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in indicators.itertuples(index=False):
        key = group_of.get(row.doc_id)
        raw = _text(getattr(row, "assessment_raw", None))
        if key is None or raw is None or not _text(row.indicator_id):
            continue
        meets = getattr(row, "meets_target", None)
        assessed[(key, row.indicator_id)].append(None if meets is None or meets is pd.NA else bool(meets))
        texts[(key, row.indicator_id)].append(raw)
    cells = {}
    for cell_key, meets in assessed.items():
        state = _state(meets)
        if state is not None:
            shown = "、".join(dict.fromkeys(texts[cell_key]))
            cells[cell_key] = HeatCell(state, _("{indicator}: {assessment} ({meaning})").format(
                indicator=cell_key[1], assessment=shown, meaning=_(ASSESSMENT_LEGEND[state][1])))
    return cells


def progress_lines(indicators: pd.DataFrame, group: RegionGroup) -> list[ProgressLine]:
    """The region's indicator rows that state a measured value or an assessment, grouped per indicator."""
    rows = indicators[indicators["doc_id"].isin(group.doc_ids) & indicators["indicator_id"].notna()]
    lines: dict[tuple, dict[str, list[str]]] = {}
    for row in rows.itertuples(index=False):
        current, assessment = _text(getattr(row, "current_raw", None)), _text(getattr(row, "assessment_raw", None))
        sub, scope = _text(row.sub_indicator_id), _text(row.target_scope)
        key = (row.indicator_id, sub, scope)
        entry = lines.setdefault(key, {"targets": [], "measured": [], "assessments": []})
        target = _text(row.target_raw)
        if target:
            entry["targets"].append(f"{_text(row.deadline) or '—'}: {target}")
        if current:
            year = getattr(row, "current_year", None)
            entry["measured"].append(f"{int(year)}: {current}" if _text(year) else current)
        if assessment:
            entry["assessments"].append(assessment)
    out = []
    for (indicator_id, sub, scope), entry in sorted(lines.items(), key=lambda kv: tuple(x or "" for x in kv[0])):
        if not entry["measured"] and not entry["assessments"]:
            continue  # a plan's target alone is in the Regions section already
        label = " ".join(x for x in (sub or indicator_id, scope) if x)
        out.append(ProgressLine(indicator_id, label, *(tuple(dict.fromkeys(entry[k]))
                                                       for k in ("targets", "measured", "assessments"))))
    return out


def progress_section(summaries: list[RegionSummary], groups: list[RegionGroup], indicators: pd.DataFrame,
                     catalogue: IndicatorCatalogue) -> str:
    """The section: an assessment heat map, then per region its targets by year beside measured values."""
    by_key = {g.key: g for g in groups}
    per_region = {s.key: progress_lines(indicators, by_key[s.key]) for s in summaries if s.key in by_key}
    shown = [s for s in summaries if per_region.get(s.key)]
    if not shown:
        return ('<section id="progress"><h2>' + escape(_("Measured values and assessments")) + '</h2><p class="note">'
                + escape(_("No document in this run states a measured value (现状值, 完成值 …) or an assessment "
                           "(达标情况 …).")) + "</p></section>")
    cells = assessment_states(indicators, [by_key[s.key] for s in shown])
    columns = [HeatColumn(e.id, e.domain) for e in catalogue.entries]
    rows = [HeatRow(s.key, f"{s.label} {s.admin_code}", None) for s in shown]
    phrase = regions_phrase([s.admin_level for s in shown])
    legend = {state: (color, _(words)) for state, (color, words) in ASSESSMENT_LEGEND.items()}
    chart = heat_map(rows, columns, cells, legend, {}, chart_id="assessment-heatmap", empty_state="absent",
                     title=_("the documents' own assessment of each catalogue indicator, {regions}").format(
                         regions=phrase))
    names = {e.id: e.name for e in catalogue.entries}
    parts = ['<p class="note">' + escape(_("Targets by year beside the measured values and the assessment the "
                                           "documents themselves give (summaries, self-assessments). Nothing here is "
                                           "computed: where a document gives a value but no assessment, none is "
                                           "shown.")) + "</p>", f'<div class="scroll">{chart}</div>']
    heads = "".join("<th>" + escape(_(h)) + "</th>" for h in (
        N_("ID"), N_("indicator"), N_("targets by year"), N_("measured (year)"), N_("assessment")))
    for s in shown:
        body = "".join(
            f"<tr><td>{escape(line.label)}</td><td>{escape(names.get(line.indicator_id, ''))}</td>"
            f"<td>{escape('；'.join(line.targets))}</td><td>{escape('；'.join(line.measured))}</td>"
            f"<td>{escape('；'.join(line.assessments))}</td></tr>" for line in per_region[s.key])
        parts.append(f'<h3>{escape(s.label)} {escape(s.admin_code or "")}</h3><div class="scroll">'
                     f'<table class="progress-table"><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>')
    title = escape(_("Measured values and assessments"))
    return f'<section id="progress"><h2>{title}</h2>{"".join(parts)}</section>'
