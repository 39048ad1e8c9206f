"""From an extracted document (any format) to raw rows: the format-free half of reading."""
from __future__ import annotations

import re
from dataclasses import replace

from planingest.catalogue.docwords import MetadataLabels
from planingest.core.enums import IssueCode
from planingest.core.hanzi import to_simplified
from planingest.core.records import ExtractedDocument, Interpretation, Issue, RawMetadata, Table
from planingest.interpret.doctype import reported_year, title_type
from planingest.interpret.metadata import cited_catalogue_version, plan_year, read_metadata
from planingest.interpret.prose import prose_tasks
from planingest.interpret.tables.headers import find_header, is_header_row
from planingest.interpret.tables.indicators import Splitter, default_split, indicator_rows
from planingest.interpret.tables.layout import recognise
from planingest.interpret.tables.projects import project_rows
from planingest.interpret.tables.tasklist import task_rows
from planingest.interpret.tables.yearroles import document_years

_LABELLED = re.compile(r"^[^：:]{2,8}[：:]\s*\S")


def _sheet_title_lines(table: Table) -> list[str]:
    """A workbook table's caption and the rows above its header: a title row, and a
    ``填报单位：X | 填报日期：Y`` row whose cells are label–value pairs (one line each)."""
    lines = [table.caption] if table.caption else []
    for row in table.rows[:3]:
        if is_header_row(row):
            continue
        filled = list(dict.fromkeys(c.strip() for c in row if c.strip()))
        if len(filled) == 1 or (filled and all(_LABELLED.match(c) for c in filled)):
            lines.extend(filled)
    return lines


def _title_lines(doc: ExtractedDocument) -> list[list[str]]:
    """For a document that is only tables (a workbook): the title lines of each table."""
    return [lines for table in doc.tables if (lines := _sheet_title_lines(table))]


_FRAME_TABLE_ROWS = 8  # a site's metadata block or a red-header grid is a few rows at most


def _frame_lines(doc: ExtractedDocument) -> list[str]:
    """The prose in reading order, with small tables of no known header (a site's metadata block
    ``索引号 | … | 发文字号 | …``, a title padded with cells) as ``a | b`` lines where they stand."""
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            if len(block.rows) <= _FRAME_TABLE_ROWS and find_header(block.rows) is None:
                lines.extend(" | ".join(c.strip() for c in row) for row in block.rows if any(c.strip() for c in row))
        else:
            lines.append(block.text)
    return lines


def interpret(doc: ExtractedDocument, split: Splitter = default_split,
              labels: MetadataLabels | None = None) -> Interpretation:
    """Raw rows and document facts of ``doc``.

    ``split`` breaks a packed cell of sub-indicator names into items; the read
    stage passes the catalogue-aware one (the catalogue knows which words are
    names), the default splits on lines and enumerators only.  ``labels`` are the labels of
    document facts in the run's catalogue (default: the default catalogue folder's).
    """
    paragraphs = doc.paragraphs
    sheets = [] if paragraphs else _title_lines(doc)
    texts = _frame_lines(doc) if paragraphs else [line for lines in sheets for line in lines]
    metadata = read_metadata(texts, labels)
    if sheets:
        # a workbook: the first table's title row is the title; the next sheet's title (附件2 …)
        # stands right under it in ``texts`` but is another attachment's, never a wrapped half of it
        first = sheets[0]
        title = read_metadata(first, labels).title or next((x for x in first if not _LABELLED.match(x)), None)
        if title is not None:
            metadata = replace(metadata, title=title,
                               plan_year=metadata.plan_year or plan_year(to_simplified(title), texts))
    cited = cited_catalogue_version("\n".join(texts + [t.caption or "" for t in doc.tables]))
    if cited:
        metadata = replace(metadata, catalogue_version=cited)
    indicators, projects, tasks = [], [], []
    issues: list[Issue] = list(doc.issues)
    title = to_simplified(metadata.title) if metadata.title else None
    years = document_years(title_type(title) if title else None, title, metadata.issue_date, reported_year(title))
    for table in recognise(doc.tables, years):
        if table.kind == "indicators":
            rows = indicator_rows(table, split)
            if table.year_doubt:
                rows = [replace(r, year_columns_doubt=table.year_doubt) for r in rows]
            indicators.extend(rows)
        elif table.kind == "projects":
            rows = project_rows(table)
            projects.extend(rows)
        else:
            rows = task_rows(table)
            tasks.extend(rows)
        if not rows:
            issues.append(Issue(IssueCode.EMPTY_TABLE, f"a {table.kind} table was found but no rows could be read", table.locator))
    tasks.extend(prose_tasks(paragraphs))
    return Interpretation(metadata, tuple(indicators), tuple(projects), tuple(tasks), tuple(issues), "\n".join(texts),
                          ocr_pages=doc.ocr_pages)


__all__ = ["interpret", "RawMetadata"]
