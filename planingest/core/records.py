"""Typed records passed between the stages of the pipeline.

Extraction (``planingest.ingest``) turns a file into an :class:`ExtractedDocument`:
paragraphs and table grids in document order, each with a :class:`Locator`.  The
format-free logic (``planingest.interpret``) turns grids into *raw* rows (``Raw*``)
that keep the text exactly as the document wrote it.  Normalisation
(``planingest.normalize``) maps raw rows onto the catalogue and produces the records
written to Parquet (``*Record``), which keep their :class:`Locator` so the tables can
carry page, sheet, table and row as columns.

All records are frozen dataclasses: a stage never mutates what an earlier stage
produced, so any stage can be inspected or re-run on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from planingest.core.enums import DocType, FileFormat, IssueCode, MatchMethod, ReviewKind, Status
from planingest.core.version import __version__


@dataclass(frozen=True)
class Locator:
    """Where something sits in its source file (all numbers 1-based)."""

    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    line: int | None = None
    paragraph: int | None = None

    def with_(self, **changes) -> Locator:
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
    #: per cell, the OCR recognition score of its text (0..1; None: empty or not OCR'd).
    #: Empty when no cell of the table was OCR'd.
    scores: tuple[tuple[float | None, ...], ...] = ()

    def is_merged(self, row: int, col: int) -> bool:
        return row < len(self.merged) and col < len(self.merged[row]) and self.merged[row][col]

    def score(self, row: int, col: int) -> float | None:
        """The OCR score of a cell; None when it was not OCR'd (or the table has no scores)."""
        if row < len(self.scores) and col < len(self.scores[row]):
            return self.scores[row][col]
        return None

    def row_locator(self, index: int) -> Locator:
        if index < len(self.row_locators):
            return self.row_locators[index]
        return self.locator.with_(row=index + 1)


Block = Paragraph | Table


@dataclass(frozen=True)
class Issue:
    """A structured problem found while processing a document."""

    code: IssueCode | str  # short machine key (IssueCode)
    message: str  # words a user can act on
    locator: Locator | None = None


@dataclass(frozen=True)
class ExtractedDocument:
    """What an extractor returns: blocks in reading order plus format facts."""

    file_format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    issues: tuple[Issue, ...] = ()
    #: pages read by OCR (they had no text layer), 1-based
    ocr_pages: tuple[int, ...] = ()

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
    target_year: int | None = None  # the year the target column's header names (2025年目标值 → 2025)
    current_raw: str | None = None  # the measured value as written (现状值, 完成值 …)
    current_year_raw: str | None = None  # the header or caption that dates it (现状值（2020年）), if any
    assessment_raw: str | None = None  # 达标情况 / 是否达标 as written
    #: the lowest OCR score of the name, target and department cells (None: not OCR'd)
    ocr_score: float | None = None
    #: which of those cells OCR read with a low score, with the score ("target 0.62")
    low_confidence_cells: tuple[str, ...] = ()
    #: year columns read as target years that the document cannot confirm are targets
    #: (headers that are only years, in a document of unknown kind and period): review them
    year_columns_doubt: str | None = None


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
    progress_raw: str | None = None  # 进展情况 / 完成情况 as written (summaries, self-assessments)
    invested_raw: str | None = None  # 完成投资 as written
    invested_unit: str | None = None  # its header's money unit


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
class MemberRef:
    """One member of a container (archive or e-mail), as the batch needs it to make it a document."""

    path: str  # inside the container, nested containers joined by "!/" ("材料.zip!/表1.xlsx")
    doc_id: str  # SHA-256 of its bytes
    parent: str | None = None  # the path of the nested container it is in; None: the container itself
    #: a nested container's format (zip, 7z, rar, eml, msg): opened here, its members are listed too
    kind: str | None = None

    @property
    def container(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True)
class ContainerListing:
    """What opening a container found: its members and what was refused (path, reason)."""

    members: tuple[MemberRef, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    title: str | None = None  # an e-mail's Subject


@dataclass(frozen=True)
class ReadResult:
    """What reading a file produced: the format, the raw rows and the problems met."""

    file_format: str | None  # None: not a document (skipped)
    interpretation: Interpretation | None  # None when the file could not be read
    pages: int | None = None
    error: str | None = None  # set when the file could not be read (status failed)
    internal_error: bool = False  # True when the cause is a defect of ours, not the file
    container: ContainerListing | None = None  # set for an archive or e-mail that was opened


@dataclass(frozen=True)
class Interpretation:
    """Everything read from one document before normalisation."""

    metadata: RawMetadata
    indicators: tuple[RawIndicator, ...] = ()
    projects: tuple[RawProject, ...] = ()
    tasks: tuple[RawTask, ...] = ()
    issues: tuple[Issue, ...] = ()
    prose: str = ""  # the document's paragraphs joined: evidence for region resolution
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (ExtractedDocument.ocr_pages)


# --------------------------------------------------------------------------
# Normalised records: one per output row (see data-contract.md).
# --------------------------------------------------------------------------


class _Located:
    """Typed provenance of an output row: its Locator's parts as columns (null where the
    format has no such thing: a text file has no pages, a DOCX no sheets)."""

    locator: Locator | None

    @property
    def page(self) -> int | None:
        return self.locator.page if self.locator else None

    @property
    def sheet(self) -> str | None:
        return self.locator.sheet if self.locator else None

    @property
    def table_no(self) -> int | None:
        return self.locator.table if self.locator else None

    @property
    def row_no(self) -> int | None:
        return self.locator.row if self.locator else None

    @property
    def line_no(self) -> int | None:
        return self.locator.line if self.locator else None


@dataclass(frozen=True)
class ReviewItem:
    kind: ReviewKind
    raw: str
    reason: str
    source_locator: str
    suggestion: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class IndicatorRecord(_Located):
    seq: int | None
    domain: str | None
    name_raw: str
    sub_name_raw: str | None
    indicator_id: str | None
    sub_indicator_id: str | None
    match_method: MatchMethod
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
    row_id: str = ""  # set by normalize.rowids: stable for the same input and vocabulary
    locator: Locator | None = None
    current_raw: str | None = None  # measured value as written (现状值, 完成值 …)
    current_value: float | None = None
    current_year: int | None = None
    assessment_raw: str | None = None
    meets_target: bool | None = None  # only where the document assesses; never computed


@dataclass(frozen=True)
class ProjectRecord(_Located):
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
    row_id: str = ""
    locator: Locator | None = None
    progress_raw: str | None = None  # 进展情况 as written (summaries, self-assessments)
    invested_wan: float | None = None  # 完成投资 in 万元


@dataclass(frozen=True)
class TaskRecord(_Located):
    seq: str | None
    section: str | None
    title: str | None
    content: str
    departments_raw: str | None
    departments: tuple[str, ...]
    deadline: str | None
    indicator_ids: tuple[str, ...]
    source_locator: str
    row_id: str = ""
    locator: Locator | None = None


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    source_path: str
    file_format: FileFormat | str
    status: Status
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
    doc_type: DocType = DocType.UNKNOWN
    parent_id: str | None = None  # the archive a member came from (archive work, issue 12)
    plan_id: str = ""  # the plan this file carries: the doc_id of its primary file (normalize/plans.py)
    is_primary: bool = True
    admin_code_current: str | None = None  # today's code of admin_code's area
    ocr_pages: int = 0  # pages read by OCR (no text layer): the rows are as good as the recognition

    def __post_init__(self) -> None:
        if not self.plan_id:  # a file is its own plan until content says it shares one
            object.__setattr__(self, "plan_id", self.doc_id)

    @classmethod
    def unread(cls, doc_id: str, source_path: str, status: Status, error: str | None,
               file_format: FileFormat | str | None = None, n_pages: int | None = None) -> DocumentRecord:
        """The row of a document that yielded nothing: failed (with why) or skipped.

        The one place such rows are built, whichever stage gave up on the file.
        """
        return cls(doc_id=doc_id, source_path=source_path, file_format=file_format or FileFormat.UNKNOWN,
                   status=status, error=error, pipeline_version=__version__, n_pages=n_pages)


@dataclass(frozen=True)
class DocumentResult:
    """All output rows for one document."""

    document: DocumentRecord
    indicators: tuple[IndicatorRecord, ...] = ()
    projects: tuple[ProjectRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    review: tuple[ReviewItem, ...] = ()
    issues: tuple[Issue, ...] = field(default=())
