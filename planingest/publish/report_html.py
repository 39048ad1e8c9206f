"""The HTML of ``planingest report``: one self-contained file describing a finished run.

Everything is inside the file (CSS in a ``<style>``, charts as inline SVG drawn by
:mod:`planingest.publish.svg`): it opens from a mail attachment or a USB stick with no
network and no JavaScript.  It reads on a desktop and on a phone (charts scale,
wide tables scroll) and prints (``@media print``: A4, no navigation, no row split
across pages).  The figures come from :mod:`planingest.publish.report_data`, the
sections from :mod:`planingest.publish.report_sections`; this module puts the page
together.
"""
from __future__ import annotations

import os
from html import escape
from pathlib import Path

from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.core.i18n import N_, _, current_lang, local_time
from planingest.core.version import __version__
from planingest.publish import report_sections as sections
from planingest.publish.older_lists import older_measures
from planingest.publish.report_data import (
    coverage,
    n_plans,
    pool_plans,
    region_groups,
    region_summaries,
    tasks_by_region,
    unplaced_documents,
)
from planingest.publish.report_progress import progress_section
from planingest.store.folder import atomic_write_bytes, read_manifest
from planingest.store.snapshot import current_folder
from planingest.store.tables import output_catalogue, read_tables

CSS = """
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif;
       margin: 24px 32px; color: #222; max-width: 1400px; }
h1 { margin-bottom: 4px; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
h4 { margin: 10px 0 2px; }
.meta { color: #666; font-size: 13px; overflow-wrap: anywhere; }
.lead { font-size: 16px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
svg.bar-chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; }
.status-failed { color: #b2182b; font-weight: bold; }
details { margin: 10px 0; } summary { cursor: pointer; font-weight: bold; }
.note { color: #555; font-size: 13px; max-width: 900px; }
.scroll { overflow-x: auto; max-width: 100%; }
@media (max-width: 700px) {
  body { margin: 10px 12px; }
  h1 { font-size: 22px; }
  table { font-size: 12px; }
  th, td { padding: 2px 4px; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 11px; }
  nav, summary::marker { display: none; }
  h2 { break-after: avoid; margin-top: 16px; }
  section, details { break-inside: auto; }
  tr, svg { break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  svg.chart { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
}
"""
NAV = (("glance", N_("at a glance")), ("batch", N_("batch")), ("coverage", N_("coverage")),
       ("progress", N_("values")), ("regions", N_("regions")), ("investment", N_("investment")),
       ("departments", N_("departments")), ("review", N_("review")), ("unplaced", N_("without a region")))


def render_report(out: str | os.PathLike, catalogue: str | os.PathLike | None = None) -> str:
    """The report of the output folder ``out`` as one HTML string."""
    folder = output_catalogue(out, catalogue)
    indicators = load_indicator_catalogue(folder)
    canonical = frozenset(d.canonical for d in load_department_vocabulary(folder).departments)
    tables = pool_plans(read_tables(out))
    documents = tables["documents"]
    manifest = read_manifest(current_folder(Path(out))) or {}
    groups = region_groups(documents, placed_only=True)
    covered = coverage(tables["indicators"], groups, older_measures(tables["indicators"], documents, indicators))
    summaries = region_summaries(groups, tables, covered)
    unplaced = unplaced_documents(documents, tables["review"])
    nav = "".join(f'<a href="#{s}">{escape(_(t))}</a>' for s, t in NAV)
    meta = escape(_("run {run_id} · finished {finished} · planingest {version} · report written {written}").format(
        run_id=manifest.get("run_id", "?"), finished=local_time(str(manifest.get("finished", "?"))),
        version=__version__, written=local_time()))
    title = escape(_("planingest report"))
    body = "".join((
        f"<header><h1>{title}</h1><p class=meta>{meta}</p><nav>{nav}</nav></header>",
        sections.overview(summaries, unplaced, documents, n_plans(documents), indicators),
        sections.batch(documents, manifest),
        sections.heat(summaries, covered, indicators),
        progress_section(summaries, groups, tables["indicators"], indicators),
        sections.regions(summaries, groups, covered, tasks_by_region(tables["tasks"], groups), indicators),
        sections.investment(tables["projects"], groups, summaries, indicators),
        sections.departments(covered, indicators, canonical),
        sections.review(tables["review"]),
        sections.unplaced_section(unplaced),
    ))
    lang = "zh-CN" if current_lang() == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def write_report(out: str | os.PathLike, html_path: str | os.PathLike | None = None,
                 catalogue: str | os.PathLike | None = None) -> Path:
    target = Path(html_path) if html_path else Path(out) / "report.html"
    html = render_report(out, catalogue)  # reads the tables first: a folder without them is not written to
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, html.encode("utf-8"))
    return target
