"""From an extracted document (any format) to raw rows: the format-free half of reading."""
from __future__ import annotations

from dataclasses import replace

from planingest.core.enums import IssueCode
from planingest.core.records import ExtractedDocument, Interpretation, Issue, RawMetadata
from planingest.interpret.metadata import cited_catalogue_version, read_metadata
from planingest.interpret.prose import prose_tasks
from planingest.interpret.tables.headers import is_header_row
from planingest.interpret.tables.indicators import Splitter, default_split, indicator_rows
from planingest.interpret.tables.layout import recognise
from planingest.interpret.tables.projects import project_rows
from planingest.interpret.tables.tasklist import task_rows


def _title_lines(doc: ExtractedDocument) -> list[str]:
    """For a document that is only tables (a workbook): captions and the title rows above headers."""
    lines: list[str] = []
    for table in doc.tables:
        if table.caption:
            lines.append(table.caption)
        for row in table.rows[:3]:
            filled = {c.strip() for c in row if c.strip()}
            if len(filled) == 1 and not is_header_row(row):
                lines.append(filled.pop())
    return lines


def interpret(doc: ExtractedDocument, split: Splitter = default_split) -> Interpretation:
    """Raw rows and document facts of ``doc``.

    ``split`` breaks a packed cell of sub-indicator names into items; the read
    stage passes the catalogue-aware one (the catalogue knows which words are
    names), the default splits on lines and enumerators only.
    """
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs] or _title_lines(doc)
    metadata = read_metadata(texts)
    if not paragraphs and texts and metadata.title is None:
        metadata = replace(metadata, title=texts[0])  # a workbook: its title row
    cited = cited_catalogue_version("\n".join(texts + [t.caption or "" for t in doc.tables]))
    if cited:
        metadata = replace(metadata, catalogue_version=cited)
    indicators, projects, tasks = [], [], []
    issues: list[Issue] = list(doc.issues)
    for table in recognise(doc.tables):
        if table.kind == "indicators":
            rows = indicator_rows(table, split)
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
