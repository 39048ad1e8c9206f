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
from planingest.core.i18n import N_, _, ngettext
from planingest.core.shown import shown
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
LEGEND = {"target": ("#1a9850", N_("listed with a target")), "listed": ("#a6d96a", N_("listed, no target")),
          "absent": ("#eeeeee", N_("not listed")),
          "no-table": ("#fff7bc", N_("no indicator table: the plan has tasks or projects (see below)"))}
#: departments shown per region in the overview table
TOP_DEPARTMENTS = 6


def table(header: list[str], rows: list[list[str]], cls: str = "", numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{escape(_(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(str(c))}</td>' for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{escape(_(title))}</h2>{body}</section>'


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def note(text: str) -> str:
    return f'<p class="note">{text}</p>'


def plural(n: int, one: str, many: str, **values) -> str:
    """``one`` or ``many`` (whole sentences with ``{n}``, as ngettext will take them) filled in."""
    return ngettext(one, many, n).format(n=n, **values)


# --------------------------------------------------------------------------
# at a glance
# --------------------------------------------------------------------------


def overview(summaries: list[RegionSummary], unplaced: list[Unplaced], documents: pd.DataFrame, n_plans: int,
             catalogue: IndicatorCatalogue) -> str:
    phrase = regions_phrase([s.admin_level for s in summaries])
    parts = [plural(len(documents), "{n} document", "{n} documents"),
             plural(n_plans, "{n} plan (copies of one plan count once)", "{n} plans (copies of one plan count once)"),
             phrase]
    if unplaced:
        parts.append(plural(len(unplaced), "{n} document without a region, listed apart",
                            "{n} documents without a region, listed apart"))
    lead = f'<p class="lead">{escape(" · ".join(parts))}</p>'
    rows = [[s.label, s.admin_code, plural(s.n_plans, "{documents} ({n} plan)", "{documents} ({n} plans)",
                                           documents=s.n_documents),
             _("{n} of {total}").format(n=s.n_covered, total=len(catalogue.entries)), str(s.n_with_target), str(s.n_tasks), str(s.n_projects),
             "、".join(s.departments[:TOP_DEPARTMENTS]) + (" …" if len(s.departments) > TOP_DEPARTMENTS else "")]
            for s in summaries]
    header = [N_("region"), N_("code"), N_("documents"), N_("catalogue indicators listed"), N_("with a target"),
              N_("tasks"), N_("projects"), N_("departments named most")]
    return section("glance", N_("At a glance"), lead + table(header, rows, "overview", numeric=(4, 5, 6)))


def batch(documents: pd.DataFrame, manifest: dict) -> str:
    n = len(documents)
    status = bar_chart([(_(s), n) for s, n in status_counts(documents)], chart_id="chart-status", color="#4575b4",
                       title=plural(n, "{n} document by status", "{n} documents by status"))
    formats = bar_chart(counts(documents, "file_format"), chart_id="chart-format", color="#74add1",
                        title=plural(n, "{n} document by file format", "{n} documents by file format"))
    found = problems(documents)
    listing = (table([N_("document"), N_("status"), N_("error")],
                     [[path, _(status), shown(error)] for path, status, error in found], "failures")
               if found else paragraph(_("Every document was read without problems.")))
    rows = manifest.get("tables", {})
    written = _(", ").join(f"{info.get('rows', 0)} {_(name)}" for name, info in rows.items() if name != "documents")
    text = note(escape(_("Rows written: {rows}. Documents that are not ok, with the reason in words you can act on:")
                       .format(rows=written or "—")))
    return section("batch", N_("Batch"), f'<div class="charts">{status}{formats}</div>{text}{listing}')


# --------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------


def heat(summaries: list[RegionSummary], covered: dict[str, dict[str, Coverage]],
         catalogue: IndicatorCatalogue) -> str:
    rows = []
    for s in summaries:
        other = s.n_tasks or s.n_projects
        region = f"{s.label} {s.admin_code}"
        if s.n_covered:
            label = plural(s.n_covered, "{region} · {n} indicator", "{region} · {n} indicators", region=region)
        elif other:
            label = _("{region} · {tasks}, {projects}").format(
                region=region, tasks=plural(s.n_tasks, "{n} task", "{n} tasks"),
                projects=plural(s.n_projects, "{n} project", "{n} projects"))
        else:
            label = _("{region} · nothing found").format(region=region)
        rows.append(HeatRow(s.key, label, "no-table" if not s.n_covered and other else None))
    columns = [HeatColumn(e.id, e.domain) for e in catalogue.entries]
    legend = {state: (color, _(words)) for state, (color, words) in LEGEND.items()}
    names = {e.id: e.name for e in catalogue.entries}
    cells = {}
    for key, by_indicator in covered.items():
        for indicator_id, cell in by_indicator.items():
            state = "target" if cell.targets else "listed"
            targets = _("; ").join(cell.targets) or _("no target")
            tip = f"{indicator_id} {names.get(indicator_id, '')}: {targets}"
            cells[(key, indicator_id)] = HeatCell(state, tip)
    phrase = regions_phrase([s.admin_level for s in summaries])
    title = _("catalogue indicators ({n}) listed in the plans of {regions}").format(n=len(columns), regions=phrase)
    chart = heat_map(rows, columns, cells, legend, DOMAIN_COLORS, chart_id="coverage-heatmap", empty_state="absent",
                     title=title)
    bands = " ".join(f'<span style="color:{c}">■</span> {escape(d)}' for d, c in DOMAIN_COLORS.items())
    text = note(escape(_("One row per region (its plans pooled), one column per catalogue indicator; the band above "
                         "the columns is the domain: {bands}. The targets themselves are in the tables under Regions."))
                .replace("{bands}", bands))
    return section("coverage", N_("Region × indicator coverage"), text + f'<div class="scroll">{chart}</div>')


def regions(summaries: list[RegionSummary], groups: list[RegionGroup], covered: dict[str, dict[str, Coverage]],
            tasks: dict[str, list[TaskLine]], catalogue: IndicatorCatalogue) -> str:
    by_key = {g.key: g for g in groups}
    parts = [note(escape(_("Each region's catalogue indicators with their targets and responsible departments, then "
                           "its tasks with theirs (all of the region's plans together). {mark_meaning}.").format(
        mark_meaning=_(MARK_MEANING).format(mark=MARK))))]
    for s in summaries:
        by_indicator = covered.get(s.key, {})
        rows = [[e.id, e.name, "；".join(by_indicator[e.id].targets), "、".join(by_indicator[e.id].departments)]
                for e in catalogue.entries if e.id in by_indicator]
        targets = (table(["ID", N_("indicator"), N_("targets"), N_("departments")], rows, "region-table") if rows
                   else paragraph(_("No catalogue indicator listed.")))
        task_rows = [[t.seq, t.title or t.content, "、".join(t.departments), t.deadline] for t in tasks.get(s.key, [])]
        n_tasks = plural(len(task_rows), "{n} task", "{n} tasks")
        task_table = (f"<h4>{escape(n_tasks)}</h4>"
                      + table([N_("no."), N_("task"), N_("departments"), N_("deadline")], task_rows, "task-table")
                      ) if task_rows else ""
        docs = "<br>".join(escape(d) for d in by_key[s.key].documents)
        summary = " · ".join((f"{s.label} {s.admin_code}",
                              _("{n} of {total} indicators").format(n=s.n_covered, total=len(catalogue.entries)),
                              plural(s.n_tasks, "{n} task", "{n} tasks"),
                              plural(s.n_projects, "{n} project", "{n} projects")))
        parts.append(f'<details class="region" data-key="{escape(s.key)}" open><summary>{escape(summary)}</summary>'
                     f'<p class="meta">{docs}</p>{targets}{task_table}</details>')
    return section("regions", N_("Regions"), "".join(parts))


def departments(covered: dict[str, dict[str, Coverage]], catalogue: IndicatorCatalogue,
                canonical: frozenset[str]) -> str:
    top = top_departments(covered, canonical)
    rows = [[e.id, e.name, "、".join(f"{d} ({n})" for d, n in top[e.id])] for e in catalogue.entries if e.id in top]
    text = note(escape(_("The canonical departments most often responsible for each indicator; the number is how "
                         "many regions name that department for it.")))
    return section("departments", N_("Departments responsible per indicator"),
                   text + table(["ID", N_("indicator"), N_("departments (regions)")], rows, "departments"))


# --------------------------------------------------------------------------
# projects, review, documents without a region
# --------------------------------------------------------------------------


def investment(projects: pd.DataFrame, groups: list[RegionGroup], summaries: list[RegionSummary],
               catalogue: IndicatorCatalogue) -> str:
    totals = investment_by_domain(projects, groups, catalogue)
    priced = projects[projects["investment_wan"].notna()]
    with_projects = {g.key for g in groups if set(g.doc_ids) & set(priced["doc_id"])}
    phrase = regions_phrase([s.admin_level for s in summaries if s.key in with_projects])
    title = plural(len(priced), "investment (万元) per domain of {n} project with an amount, in {regions}",
                   "investment (万元) per domain of {n} projects with an amount, in {regions}", regions=phrase)
    chart = bar_chart(totals, chart_id="chart-investment", title=title, unit="万元", color="#1b9e77")
    rows = [[domain, f"{value:,.0f}"] for domain, value in totals]
    text = note(escape(_("Domain of the indicators a project names (via the catalogue), else the domain its "
                         "category names; a project listed in several documents of one region is counted once.")))
    return section("investment", N_("Projects' investment per domain"),
                   chart + table([N_("domain"), "万元"], rows, "investment", numeric=(1,)) + text)


def review(frame: pd.DataFrame) -> str:
    found = review_counts(frame)
    total = sum(n for _, n in found)
    chart = bar_chart([(_(kind), n) for kind, n in found], chart_id="chart-review", color="#d95f02",
                      title=plural(total, "review queue: {n} item by kind", "review queue: {n} items by kind"))
    text = note(escape(_("Write the queue as a workbook with {review}, fill in the decisions, then {accept}."))
                .format(review="<code>planingest review --out DIR</code>", accept="<code>planingest accept FILE</code>"))
    total_text = plural(total, "{n} item to review", "{n} items to review")
    return section("review", N_("Review queue"), f'<p class="review-total">{total_text}</p>{chart}{text}')


def unplaced_section(unplaced: list[Unplaced]) -> str:
    if not unplaced:
        return section("unplaced", N_("Documents without a region"),
                       paragraph(_("Every document that was read has a region.")))
    rows = [[u.source_path, u.title, shown(u.why), str(u.n_indicators), str(u.n_tasks), str(u.n_projects)] for u in unplaced]
    text = note(escape(_("These documents were read, but the region their plan covers is unknown, so they are in no "
                         "region above. Settle the region in the review workbook (sheet {sheet}), accept it and run "
                         "again.").format(sheet=_("region"))))
    return section("unplaced", N_("Documents without a region"), text + table(
        [N_("document"), N_("title"), N_("why"), N_("indicators"), N_("tasks"), N_("projects")], rows, "unplaced",
        numeric=(3, 4, 5)))
