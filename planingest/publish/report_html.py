"""The HTML of ``planingest report``: one self-contained file describing a finished run.

Everything is inside the file (CSS in a ``<style>``, charts as inline SVG drawn by
:mod:`planingest.publish.svg`): it opens from a mail attachment or a USB stick with no
network and no JavaScript.  The figures come from :mod:`planingest.publish.report_data`;
this module only lays them out.
"""
from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path

from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.indicators import DOMAINS, IndicatorCatalogue, load_indicator_catalogue
from planingest.core.version import __version__
from planingest.publish.report_data import (
    Coverage,
    RegionGroup,
    counts,
    coverage,
    investment_by_domain,
    problems,
    region_groups,
    review_counts,
    status_counts,
    top_departments,
)
from planingest.publish.svg import HeatCell, HeatColumn, HeatRow, bar_chart, heat_map
from planingest.store.folder import atomic_write_bytes, read_manifest
from planingest.store.snapshot import current_folder
from planingest.store.tables import output_catalogue, read_tables

DOMAIN_COLORS = dict(zip(DOMAINS, ("#7570b3", "#d95f02", "#1b9e77", "#e6ab02", "#66a61e", "#e7298a"), strict=True))
LEGEND = {"target": ("#1a9850", "listed with a target"), "listed": ("#a6d96a", "listed, no target"),
          "absent": ("#eeeeee", "not listed")}
STATUS_COLORS = {"ok": "#1a9850", "partial": "#fdae61", "empty": "#abd9e9", "failed": "#d73027", "skipped": "#bbbbbb"}

CSS = """
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif;
       margin: 24px 32px; color: #222; max-width: 1400px; }
h1 { margin-bottom: 4px; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
.meta { color: #666; font-size: 13px; }
nav a { margin-right: 14px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; }
.status-failed { color: #b2182b; font-weight: bold; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: bold; }
.note { color: #555; font-size: 13px; max-width: 900px; }
.scroll { overflow-x: auto; }
"""


def _table(header: list[str], rows: list[list[str]], cls: str = "", numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(str(c))}</td>' for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(title)}</h2>{body}</section>'


def _batch(tables, manifest: dict) -> str:
    documents = tables["documents"]
    status = bar_chart(status_counts(documents), chart_id="chart-status", title="documents by status",
                       color="#4575b4")
    formats = bar_chart(counts(documents, "file_format"), chart_id="chart-format", title="documents by format",
                        color="#74add1")
    found = problems(documents)
    listing = (_table(["document", "status", "error"], [list(p) for p in found], "failures")
               if found else "<p>Every document was read without problems.</p>")
    rows = manifest.get("tables", {})
    shown = ", ".join(f"{info.get('rows', 0)} {name}" for name, info in rows.items() if name != "documents")
    note = (f'<p class="note">{len(documents)} documents; rows: {escape(shown or "—")}. '
            "Documents that are not ok, with the reason in words you can act on:</p>")
    return _section("batch", "Batch", f'<div class="charts">{status}{formats}</div>{note}{listing}')


def _heat(groups: list[RegionGroup], covered: dict[str, dict[str, Coverage]], catalogue: IndicatorCatalogue) -> str:
    rows = [HeatRow(g.key, g.label + (f" {g.admin_code}" if g.admin_code else "")) for g in groups]
    columns = [HeatColumn(e.id, e.domain) for e in catalogue.entries]
    names = {e.id: e.name for e in catalogue.entries}
    cells = {}
    for key, by_indicator in covered.items():
        for indicator_id, cell in by_indicator.items():
            state = "target" if cell.targets else "listed"
            tip = f"{indicator_id} {names.get(indicator_id, '')}: {'; '.join(cell.targets) or 'no target'}"
            cells[(key, indicator_id)] = HeatCell(state, tip)
    chart = heat_map(rows, columns, cells, LEGEND, DOMAIN_COLORS, chart_id="coverage-heatmap", empty_state="absent")
    bands = " ".join(f'<span style="color:{c}">■</span> {escape(d)}' for d, c in DOMAIN_COLORS.items())
    note = ('<p class="note">One row per region (its documents pooled), one column per catalogue indicator; '
            f"the band above the columns is the domain: {bands}. Hover a cell for the targets.</p>")
    return _section("coverage", "Region × indicator coverage", note + f'<div class="scroll">{chart}</div>')


def _regions(groups: list[RegionGroup], covered: dict[str, dict[str, Coverage]],
             catalogue: IndicatorCatalogue) -> str:
    parts = ['<p class="note">Which catalogue indicators each region\'s plan covers, with its targets and '
             "responsible departments (all of the region's documents together).</p>"]
    for group in groups:
        by_indicator = covered.get(group.key, {})
        rows = [[e.id, e.name, "; ".join(by_indicator[e.id].targets), "、".join(by_indicator[e.id].departments)]
                for e in catalogue.entries if e.id in by_indicator]
        docs = "<br>".join(escape(d) for d in group.documents)
        table = _table(["ID", "indicator", "targets", "departments"], rows, "region-table") if rows else \
            "<p>No catalogue indicator listed.</p>"
        parts.append(f'<details class="region" data-key="{escape(group.key)}"><summary>{escape(group.label)} '
                     f"{escape(group.admin_code or '')} · {len(rows)} of {len(catalogue.entries)} indicators"
                     f'</summary><p class="meta">{docs}</p>{table}</details>')
    return _section("regions", "Regions", "".join(parts))


def _departments(covered, catalogue: IndicatorCatalogue, canonical: frozenset[str]) -> str:
    top = top_departments(covered, canonical)
    rows = [[e.id, e.name, "、".join(f"{d} ({n})" for d, n in top[e.id])] for e in catalogue.entries if e.id in top]
    note = ('<p class="note">The canonical departments most often responsible for each indicator; the number is '
            "how many regions name that department for it.</p>")
    return _section("departments", "Departments responsible per indicator",
                    note + _table(["ID", "indicator", "departments (regions)"], rows, "departments"))


def _investment(tables, groups, catalogue: IndicatorCatalogue) -> str:
    totals = investment_by_domain(tables["projects"], groups, catalogue)
    chart = bar_chart(totals, chart_id="chart-investment", title="project investment per domain (万元)",
                      unit="万元", color="#1b9e77")
    note = ('<p class="note">Domain of the indicators a project names (via the catalogue), else the domain its '
            "category names; a project listed in several documents of one region is counted once.</p>")
    return _section("investment", "Projects' investment per domain", chart + note)


def _review(tables) -> str:
    found = review_counts(tables["review"])
    total = sum(n for _, n in found)
    chart = bar_chart(found, chart_id="chart-review", title=f"review queue: {total} items", color="#d95f02")
    note = ('<p class="note">Write the queue as a workbook with <code>planingest review --out DIR</code>, '
            "fill in the decisions, then <code>planingest accept FILE</code>.</p>")
    return _section("review", "Review queue", f'<p class="review-total">{total} items to review</p>{chart}{note}')


def render_report(out: str | os.PathLike, catalogue: str | os.PathLike | None = None) -> str:
    """The report of the output folder ``out`` as one HTML string."""
    folder = output_catalogue(out, catalogue)
    indicators = load_indicator_catalogue(folder)
    canonical = frozenset(d.canonical for d in load_department_vocabulary(folder).departments)
    tables = read_tables(out)
    manifest = read_manifest(current_folder(Path(out))) or {}
    groups = region_groups(tables["documents"])
    covered = coverage(tables["indicators"], groups)
    nav = "".join(f'<a href="#{s}">{t}</a>' for s, t in (
        ("batch", "batch"), ("coverage", "coverage"), ("investment", "investment"), ("review", "review"),
        ("departments", "departments"), ("regions", "regions")))
    meta = (f"run {escape(str(manifest.get('run_id', '?')))} · finished {escape(str(manifest.get('finished', '?')))}"
            f" · planingest {escape(__version__)} · report written {dt.datetime.now().isoformat(timespec='seconds')}")
    body = "".join((
        f"<header><h1>planingest report</h1><p class=meta>{meta}</p><nav>{nav}</nav></header>",
        _batch(tables, manifest), _heat(groups, covered, indicators), _investment(tables, groups, indicators),
        _review(tables), _departments(covered, indicators, canonical), _regions(groups, covered, indicators),
    ))
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>planingest report</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def write_report(out: str | os.PathLike, html_path: str | os.PathLike | None = None,
                 catalogue: str | os.PathLike | None = None) -> Path:
    target = Path(html_path) if html_path else Path(out) / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, render_report(out, catalogue).encode("utf-8"))
    return target
