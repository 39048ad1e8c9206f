"""The sections of ``planingest report``, each a function from figures to HTML.

Every chart is titled with what it counts (and how many regions it covers:
"1 county" when it is one); every figure a reader needs is also in a table, so
nothing depends on hovering.  The figures come from
:mod:`planingest.publish.report_data`; charts are drawn by :mod:`planingest.publish.svg`.
"""
from __future__ import annotations

from html import escape

import pandas as pd

from planingest.catalogue.indicators import DOMAINS, IndicatorCatalogue
from planingest.publish.older_lists import MARK, MARK_MEANING
from planingest.publish.report_data import (
    Coverage,
    RegionGroup,
    RegionSummary,
    TaskLine,
    Unplaced,
    counts,
    investment_by_domain,
    problems,
    regions_phrase,
    review_counts,
    status_counts,
    top_departments,
)
from planingest.publish.svg import HeatCell, HeatColumn, HeatRow, bar_chart, heat_map

DOMAIN_COLORS = dict(zip(DOMAINS, ("#7570b3", "#d95f02", "#1b9e77", "#e6ab02", "#66a61e", "#e7298a"), strict=True))
LEGEND = {"target": ("#1a9850", "listed with a target"), "listed": ("#a6d96a", "listed, no target"),
          "absent": ("#eeeeee", "not listed"),
          "no-table": ("#fff7bc", "no indicator table: the plan has tasks or projects (see below)")}
#: departments shown per region in the overview table
TOP_DEPARTMENTS = 6


def table(header: list[str], rows: list[list[str]], cls: str = "", numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(str(c))}</td>' for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(title)}</h2>{body}</section>'


def note(text: str) -> str:
    return f'<p class="note">{text}</p>'


# --------------------------------------------------------------------------
# at a glance
# --------------------------------------------------------------------------


def overview(summaries: list[RegionSummary], unplaced: list[Unplaced], documents: pd.DataFrame, n_plans: int,
             catalogue: IndicatorCatalogue) -> str:
    phrase = regions_phrase([s.admin_level for s in summaries])
    apart = f"; {len(unplaced)} document(s) without a region, listed apart" if unplaced else ""
    lead = (f'<p class="lead">{len(documents)} documents, {n_plans} plans (copies of one plan counted once), '
            f"{escape(phrase)}{apart}.</p>")
    rows = [[s.label, s.admin_code, f"{s.n_documents} ({s.n_plans} plan{'s' if s.n_plans != 1 else ''})",
             f"{s.n_covered} of {len(catalogue.entries)}", str(s.n_with_target), str(s.n_tasks), str(s.n_projects),
             "、".join(s.departments[:TOP_DEPARTMENTS]) + (" …" if len(s.departments) > TOP_DEPARTMENTS else "")]
            for s in summaries]
    header = ["region", "code", "documents", "catalogue indicators listed", "with a target", "tasks", "projects",
              "departments named most"]
    return section("glance", "At a glance", lead + table(header, rows, "overview", numeric=(4, 5, 6)))


def batch(documents: pd.DataFrame, manifest: dict) -> str:
    n = len(documents)
    status = bar_chart(status_counts(documents), chart_id="chart-status", title=f"{n} documents by status",
                       color="#4575b4")
    formats = bar_chart(counts(documents, "file_format"), chart_id="chart-format",
                        title=f"{n} documents by file format", color="#74add1")
    found = problems(documents)
    listing = (table(["document", "status", "error"], [list(p) for p in found], "failures")
               if found else "<p>Every document was read without problems.</p>")
    rows = manifest.get("tables", {})
    shown = ", ".join(f"{info.get('rows', 0)} {name}" for name, info in rows.items() if name != "documents")
    text = note(f"Rows written: {escape(shown or '—')}. Documents that are not ok, with the reason in words "
                "you can act on:")
    return section("batch", "Batch", f'<div class="charts">{status}{formats}</div>{text}{listing}')


# --------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------


def heat(summaries: list[RegionSummary], covered: dict[str, dict[str, Coverage]],
         catalogue: IndicatorCatalogue) -> str:
    rows = []
    for s in summaries:
        other = s.n_tasks or s.n_projects
        if s.n_covered:
            label = f"{s.label} {s.admin_code} · {s.n_covered} indicators"
        elif other:
            label = f"{s.label} {s.admin_code} · {s.n_tasks} tasks, {s.n_projects} projects"
        else:
            label = f"{s.label} {s.admin_code} · nothing found"
        rows.append(HeatRow(s.key, label, "no-table" if not s.n_covered and other else None))
    columns = [HeatColumn(e.id, e.domain) for e in catalogue.entries]
    names = {e.id: e.name for e in catalogue.entries}
    cells = {}
    for key, by_indicator in covered.items():
        for indicator_id, cell in by_indicator.items():
            state = "target" if cell.targets else "listed"
            tip = f"{indicator_id} {names.get(indicator_id, '')}: {'; '.join(cell.targets) or 'no target'}"
            cells[(key, indicator_id)] = HeatCell(state, tip)
    phrase = regions_phrase([s.admin_level for s in summaries])
    title = f"catalogue indicators ({len(columns)}) listed in the plans of {phrase}"
    chart = heat_map(rows, columns, cells, LEGEND, DOMAIN_COLORS, chart_id="coverage-heatmap", empty_state="absent",
                     title=title)
    bands = " ".join(f'<span style="color:{c}">■</span> {escape(d)}' for d, c in DOMAIN_COLORS.items())
    text = note("One row per region (its plans pooled), one column per catalogue indicator; the band above the "
                f"columns is the domain: {bands}. The targets themselves are in the tables under Regions.")
    return section("coverage", "Region × indicator coverage", text + f'<div class="scroll">{chart}</div>')


def regions(summaries: list[RegionSummary], groups: list[RegionGroup], covered: dict[str, dict[str, Coverage]],
            tasks: dict[str, list[TaskLine]], catalogue: IndicatorCatalogue) -> str:
    by_key = {g.key: g for g in groups}
    parts = [note("Each region's catalogue indicators with their targets and responsible departments, then its "
                  f"tasks with theirs (all of the region's plans together). {escape(MARK_MEANING.format(mark=MARK))}.")]
    for s in summaries:
        by_indicator = covered.get(s.key, {})
        rows = [[e.id, e.name, "；".join(by_indicator[e.id].targets), "、".join(by_indicator[e.id].departments)]
                for e in catalogue.entries if e.id in by_indicator]
        targets = (table(["ID", "indicator", "targets", "departments"], rows, "region-table") if rows
                   else "<p>No catalogue indicator listed.</p>")
        task_rows = [[t.seq, t.title or t.content, "、".join(t.departments), t.deadline] for t in tasks.get(s.key, [])]
        task_table = (f"<h4>{len(task_rows)} tasks</h4>"
                      + table(["no.", "task", "departments", "deadline"], task_rows, "task-table")) if task_rows else ""
        docs = "<br>".join(escape(d) for d in by_key[s.key].documents)
        parts.append(f'<details class="region" data-key="{escape(s.key)}" open><summary>{escape(s.label)} '
                     f"{escape(s.admin_code)} · {s.n_covered} of {len(catalogue.entries)} indicators · "
                     f'{s.n_tasks} tasks · {s.n_projects} projects</summary><p class="meta">{docs}</p>'
                     f"{targets}{task_table}</details>")
    return section("regions", "Regions", "".join(parts))


def departments(covered: dict[str, dict[str, Coverage]], catalogue: IndicatorCatalogue,
                canonical: frozenset[str]) -> str:
    top = top_departments(covered, canonical)
    rows = [[e.id, e.name, "、".join(f"{d} ({n})" for d, n in top[e.id])] for e in catalogue.entries if e.id in top]
    text = note("The canonical departments most often responsible for each indicator; the number is how many "
                "regions name that department for it.")
    return section("departments", "Departments responsible per indicator",
                   text + table(["ID", "indicator", "departments (regions)"], rows, "departments"))


# --------------------------------------------------------------------------
# projects, review, documents without a region
# --------------------------------------------------------------------------


def investment(projects: pd.DataFrame, groups: list[RegionGroup], levels: list[str],
               catalogue: IndicatorCatalogue) -> str:
    totals = investment_by_domain(projects, groups, catalogue)
    n = int(projects["investment_wan"].notna().sum())
    title = f"investment (万元) of {n} projects with an amount, per domain: {regions_phrase(levels)}"
    chart = bar_chart(totals, chart_id="chart-investment", title=title, unit="万元", color="#1b9e77")
    rows = [[domain, f"{value:,.0f}"] for domain, value in totals]
    text = note("Domain of the indicators a project names (via the catalogue), else the domain its category "
                "names; a project listed in several documents of one region is counted once.")
    return section("investment", "Projects' investment per domain",
                   chart + table(["domain", "万元"], rows, "investment", numeric=(1,)) + text)


def review(frame: pd.DataFrame) -> str:
    found = review_counts(frame)
    total = sum(n for _, n in found)
    chart = bar_chart(found, chart_id="chart-review", title=f"review queue: {total} items by kind", color="#d95f02")
    text = note("Write the queue as a workbook with <code>planingest review --out DIR</code>, fill in the "
                "decisions, then <code>planingest accept FILE</code>.")
    return section("review", "Review queue", f'<p class="review-total">{total} items to review</p>{chart}{text}')


def unplaced_section(unplaced: list[Unplaced]) -> str:
    if not unplaced:
        return section("unplaced", "Documents without a region",
                       "<p>Every document that was read has a region.</p>")
    rows = [[u.source_path, u.title, u.why, str(u.n_indicators), str(u.n_tasks), str(u.n_projects)] for u in unplaced]
    text = note("These documents were read, but the region their plan covers is unknown, so they are in no "
                "region above. Settle the region in the review workbook (sheet region), accept it and run again.")
    return section("unplaced", "Documents without a region", text + table(
        ["document", "title", "why", "indicators", "tasks", "projects"], rows, "unplaced", numeric=(3, 4, 5)))
