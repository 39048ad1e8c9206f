"""Typed records passed between the stages of the pipeline.

Extraction (``ingest/``) turns a file into an :class:`ExtractedDocument`: paragraphs
and table grids in document order, each with a :class:`Locator`.  The format-free
table logic (``ingest/tables``) turns grids into *raw* rows (``Raw*``) that keep the
text exactly as the document wrote it.  Normalisation (``normalize/``) maps raw rows
onto the catalogue and produces the records written to Parquet (``*Record``).

All records are frozen dataclasses: a stage never mutates what an earlier stage
produced, so any stage can be inspected or re-run on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Union


@dataclass(frozen=True)
class Locator:
    """Where something sits in its source file (all numbers 1-based)."""

    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    line: int | None = None
    paragraph: int | None = None

    def with_(self, **changes) -> "Locator":
        return replace(self, **changes)

    def __str__(self) -> str:
        parts = []
        for name in ("page", "sheet", "table", "row", "line", "paragraph"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        return ", ".join(parts) or "document"


@dataclass(frozen=True)
class Paragraph:
    """A run of prose text (one paragraph or one text line)."""

    text: str
    locator: Locator
    style: str | None = None  # e.g. "Heading 1" when the format says so


@dataclass(frozen=True)
class Table:
    """A logical table grid.

    ``rows`` hold cell text as the format gives it: internal newlines are kept
    (they are either wrapped text or separators between sub-items, and only the
    table logic knows which).  A merged cell is repeated by formats that resolve
    merges (DOCX, XLSX) and empty where the format lost the merge (text dumps).
    """

    rows: tuple[tuple[str, ...], ...]
    locator: Locator
    row_locators: tuple[Locator, ...] = ()
    caption: str | None = None  # the paragraph just above the table, if any
    #: per cell, True where the position is covered by a merged cell whose text is repeated
    #: there (vMerge continuation, gridSpan continuation).  Empty when the format cannot tell.
    merged: tuple[tuple[bool, ...], ...] = ()

    def is_merged(self, row: int, col: int) -> bool:
        return row < len(self.merged) and col < len(self.merged[row]) and self.merged[row][col]

    def row_locator(self, index: int) -> Locator:
        if index < len(self.row_locators):
            return self.row_locators[index]
        return self.locator.with_(row=index + 1)


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Issue:
    """A structured problem found while processing a document."""

    code: str  # short machine key, e.g. "no-table", "encrypted"
    message: str  # words a user can act on
    locator: Locator | None = None


@dataclass(frozen=True)
class ExtractedDocument:
    """What an extractor returns: blocks in reading order plus format facts."""

    file_format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    issues: tuple[Issue, ...] = ()

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


# --------------------------------------------------------------------------
# Raw rows: what the table logic and the prose reader found, text as written.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RawIndicator:
    """One indicator (or sub-indicator, or scope variant) row as written."""

    name_raw: str
    locator: Locator
    seq: int | None = None
    domain: str | None = None
    task: str | None = None
    sub_name_raw: str | None = None
    unit: str | None = None
    target_raw: str | None = None
    target_scope: str | None = None
    attribute_raw: str | None = None
    departments_raw: str | None = None
    deadline_raw: str | None = None
    note: str | None = None
    seq_inferred: bool = False  # the number was lost (OCR, a page cut) and restored from its neighbours


@dataclass(frozen=True)
class RawProject:
    name: str
    locator: Locator
    seq: int | None = None
    category: str | None = None
    content: str | None = None
    years_raw: str | None = None
    investment_raw: str | None = None
    investment_unit: str | None = None  # "万元" / "亿元" from the header
    departments_raw: str | None = None
    indicators_raw: str | None = None
    seq_inferred: bool = False  # the number was lost (e.g. at a page break) and restored from its neighbours


@dataclass(frozen=True)
class RawTask:
    content: str
    locator: Locator
    seq: str | None = None
    section: str | None = None
    title: str | None = None
    departments_raw: str | None = None
    deadline_raw: str | None = None


@dataclass(frozen=True)
class RawMetadata:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issue_date: str | None = None  # ISO YYYY-MM-DD
    plan_year: int | None = None
    region_raw: str | None = None
    catalogue_version: str = "unknown"


@dataclass(frozen=True)
class Interpretation:
    """Everything read from one document before normalisation."""

    metadata: RawMetadata
    indicators: tuple[RawIndicator, ...] = ()
    projects: tuple[RawProject, ...] = ()
    tasks: tuple[RawTask, ...] = ()
    issues: tuple[Issue, ...] = ()
    prose: str = ""  # the document's paragraphs joined: evidence for region resolution


# --------------------------------------------------------------------------
# Normalised records: one per output row (see data-contract.md).
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # indicator · department · region · document
    raw: str
    reason: str
    source_locator: str
    suggestion: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class IndicatorRecord:
    seq: int | None
    domain: str | None
    name_raw: str
    sub_name_raw: str | None
    indicator_id: str | None
    sub_indicator_id: str | None
    match_method: str
    match_score: float
    is_local: bool
    needs_review: bool
    unit: str | None
    target_raw: str | None
    target_op: str | None
    target_value: float | None
    target_text: str | None
    target_scope: str | None
    attribute: str | None
    departments_raw: str | None
    departments: tuple[str, ...]
    deadline: str | None
    source_locator: str
    is_retired: bool = False
    task: str | None = None
    seq_inferred: bool = False


@dataclass(frozen=True)
class ProjectRecord:
    seq: int | None
    category: str | None
    name: str
    content: str | None
    start_year: int | None
    end_year: int | None
    investment_wan: float | None
    departments_raw: str | None
    departments: tuple[str, ...]
    indicators_raw: str | None
    indicator_ids: tuple[str, ...]
    source_locator: str
    seq_inferred: bool = False


@dataclass(frozen=True)
class TaskRecord:
    seq: str | None
    section: str | None
    title: str | None
    content: str
    departments_raw: str | None
    departments: tuple[str, ...]
    deadline: str | None
    indicator_ids: tuple[str, ...]
    source_locator: str


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    source_path: str
    file_format: str
    status: str  # ok · partial · empty · failed · skipped
    error: str | None = None
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issue_date: str | None = None
    plan_year: int | None = None
    region: str | None = None
    admin_code: str | None = None
    admin_level: str | None = None
    province: str | None = None
    city: str | None = None
    catalogue_version: str = "unknown"
    n_indicators: int = 0
    n_projects: int = 0
    n_tasks: int = 0
    pipeline_version: str = ""
    n_pages: int | None = None


@dataclass(frozen=True)
class DocumentResult:
    """All output rows for one document."""

    document: DocumentRecord
    indicators: tuple[IndicatorRecord, ...] = ()
    projects: tuple[ProjectRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    review: tuple[ReviewItem, ...] = ()
    issues: tuple[Issue, ...] = field(default=())
