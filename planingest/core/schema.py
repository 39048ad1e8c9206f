"""The output tables as data: one Arrow schema per table, with a meaning per column.

The columns and types follow shared/reference/data-contract.md (the interface
users' scripts depend on); a few extra columns of ours are marked ``extra``.
The ``meaning`` strings are what the data dictionary is generated from, so they
are written for the person reading the tables, not for us.

This module also turns :class:`~planingest.core.records.DocumentResult` objects into
Arrow tables.  It builds columns directly from the records' attributes (not
``dataclasses.asdict``, which deep-copies every value and is ten times slower on a
batch of a thousand documents).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from planingest.core.records import DocumentResult

STRING = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
DATE = pa.date32()
STRINGS = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    nullable: bool = True
    extra: bool = False  # not in the data contract: ours, may change without notice


def _c(name: str, type_: pa.DataType, meaning: str, nullable: bool = True, extra: bool = False) -> Column:
    return Column(name, type_, meaning, nullable, extra)


DOC_ID = _c("doc_id", STRING, "SHA-256 hex of the source file's bytes; joins every table to documents", False)
LOCATOR = _c("source_locator", STRING, "where in the document the row comes from (page / table / row / line)", False)
DEPARTMENTS = _c("departments", STRINGS, "canonical department names, in the document's order, no duplicates", False)
DEPARTMENTS_RAW = _c("departments_raw", STRING, "the responsible-unit text as written")
INDICATOR_IDS = _c("indicator_ids", STRINGS, "catalogue IDs (I01…) of the indicators it names", False)
DEADLINE = _c("deadline", STRING, "YYYY-MM or YYYY when the document gives one")

ROW_ID = _c("row_id", STRING, "stable id of the row: the same input and vocabulary give the same id "
           "(16 hex digits of a hash of the document, the table and what identifies the row in it)", False)
#: typed provenance: source_locator's parts as columns a researcher can filter on
PROVENANCE = (
    _c("page", INT, "page of the source file the row comes from (PDF, scans; null where the format has no pages)",
       extra=True),
    _c("sheet", STRING, "worksheet the row comes from (workbooks)", extra=True),
    _c("table_no", INT, "number of the table in the document (1-based), where the row comes from a table",
       extra=True),
    _c("row_no", INT, "row of that table (1-based, header rows counted)", extra=True),
    _c("line_no", INT, "line of a text file (1-based), where the row comes from a text line", extra=True),
)
NOT_YET = " Not filled yet: {}."

SEQ_INFERRED = _c(
    "seq_inferred", BOOL,
    "seq was not printed (lost at a page break or by OCR) and was restored from the numbers around it",
    False, True,
)

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        DOC_ID,
        _c("source_path", STRING, "path of the file as found (the first in sorted order if several are identical); "
                                  "bytes of the name that are not UTF-8 are written \\xNN; a member of an archive or "
                                  "e-mail is written ARCHIVE!/MEMBER/PATH (bundle.zip!/附件/计划.docx), nested "
                                  "containers nesting the same way", False),
        _c("file_format", STRING, "docx, doc, wps, pdf, txt, xlsx, … detected from the content; zip, 7z, rar, eml, "
                                  "msg for a container (archive or e-mail), whose members are rows of their own", False),
        _c("status", STRING, "ok · partial · empty · failed · skipped (not a document)", False),
        _c("error", STRING, "why, when status is not ok, in words a user can act on"),
        _c("title", STRING, "the document's own title"),
        _c("issuer", STRING, "发文机关 / signing body"),
        _c("doc_number", STRING, "文号, e.g. 常生创办〔2020〕2号"),
        _c("issue_date", DATE, "成文日期"),
        _c("plan_year", INT, "the year the plan is for"),
        _c("region", STRING, "official full name of the region the plan covers"),
        _c("admin_code", STRING, "6-digit administrative division code (GB/T 2260)"),
        _c("admin_level", STRING, "province · city · county"),
        _c("province", STRING, "enclosing province, official name"),
        _c("city", STRING, "enclosing prefecture-level city, official name"),
        _c("catalogue_version", STRING, "2021 · 2019 · 2016 · 2024 · unknown: the national list its indicators follow", False),
        _c("n_indicators", INT, "rows in indicators for this document", False),
        _c("n_projects", INT, "rows in projects for this document", False),
        _c("n_tasks", INT, "rows in tasks for this document", False),
        _c("pipeline_version", STRING, "planingest version that produced the row", False),
        _c("n_pages", INT, "pages in the source file, where the format has pages", extra=True),
        _c("doc_type", STRING, "plan · work_plan · annual_plan · summary · self_assessment · notice · unrelated · "
           "unknown: what kind of document it is, from its title, headings and content (words in "
           "catalogue/data/doc_types.csv); unrelated = not about demonstration zones at all (status empty)", False),
        _c("parent_id", STRING, "for a file found inside an archive or attached to an e-mail (its body too): the "
                                "doc_id of that container (of the inner one for nested archives); null for a file "
                                "given loose, also when the same bytes are in an archive too (one document, the "
                                "loose path wins). A container's status is ok when every member was read, partial "
                                "(error lists them) when a member failed or was refused, failed when it cannot be "
                                "opened"),
        _c("plan_id", STRING, "shared by the files of one batch that carry the same plan (the DOCX, the stamped "
           "PDF, the scan): same region, no conflicting title / 文号 / issue date / plan year, and at least 80% of "
           "the smaller file's rows in the other; the doc_id of its primary file (a file alone: its own doc_id)",
           False),
        _c("is_primary", BOOL, "the one file of its plan_id whose rows count when plans are pooled (the export's "
           "panel): status ok first, then Word/spreadsheet/text before PDF, then more rows", False),
        _c("admin_code_current", STRING, "today's code of the same area where the code has changed since the "
           "document (沙县 350427 → 沙县区 350405); equal to admin_code otherwise"),
        _c("ocr_pages", INT, "pages read by OCR because they had no text layer (0: none); such a document is ok "
           "unless something was lost, its error names the pages and the share of doubtful cells", False, True),
    ),
    "indicators": (
        ROW_ID,
        DOC_ID,
        _c("seq", INT, "the number printed in the document's 序号 column"),
        _c("domain", STRING, "生态制度 · 生态安全 · 生态空间 · 生态经济 · 生态生活 · 生态文化"),
        _c("name_raw", STRING, "indicator name as written (whitespace and line wraps repaired)", False),
        _c("sub_name_raw", STRING, "sub-indicator name as written"),
        _c("indicator_id", STRING, "catalogue ID (I01…); null when local or unmatched"),
        _c("sub_indicator_id", STRING, "catalogue sub-indicator ID, e.g. I07.1"),
        _c("match_method", STRING, "how the name was mapped: exact · alias · fuzzy · crosswalk · none", False),
        _c("match_score", FLOAT, "confidence of the mapping, 0–100", False),
        _c("is_local", BOOL, "a provincial/local indicator that is not in the national catalogue", False),
        _c("needs_review", BOOL, "the mapping is not certain enough to trust unseen", False),
        _c("unit", STRING, "unit as written"),
        _c("target_raw", STRING, "the target as written"),
        _c("target_op", STRING, ">= <= > < ="),
        _c("target_value", FLOAT, "the target number (a percentage as 20, not 0.2)"),
        _c("target_text", STRING, "a qualitative target (建立, 完成上级规定的考核任务, …)"),
        _c("target_scope", STRING, "the variant a target applies to (县, 山区, …)"),
        _c("attribute", STRING, "约束性 · 参考性"),
        DEPARTMENTS_RAW,
        DEPARTMENTS,
        _c("deadline", STRING, "YYYY-MM or YYYY: the row's 完成时限, else the year its target column names "
           "(2025年目标值 → 2025); a table with several target years gives one row per year"),
        LOCATOR,
        _c("is_retired", BOOL, "the matched catalogue entry is no longer in the current national list", False, True),
        _c("task", STRING, "the 任务 group heading the indicator sits under, as written", extra=True),
        SEQ_INFERRED,
        _c("current_raw", STRING, "the measured value as written (现状值 78.5%, 2022年完成值 ≥95, 已建立 …): "
           "from a 现状值 / 基准值 / 基期值 / 完成值 / 实际值 / 目前值 column; where several are given, the "
           "latest dated one"),
        _c("current_value", FLOAT, "its number (78.5% as 78.5; ≥95 as 95); null for a value in words"),
        _c("current_year", INT, "the year it was measured: written in the cell (78.5（2022年）), else in the column "
           "header (现状值（2020年） → 2020), else in the table caption (2023年度指标完成情况 → 2023)"),
        _c("assessment_raw", STRING, "the document's own assessment as written (达标情况 / 是否达标 / 完成情况 / "
           "评估结果: 达标, 未达标, 基本达标, 是, 否 …)"),
        _c("meets_target", BOOL, "true for 达标/已达标/已完成/是/√, false for 未达标/未完成/否/×, null for "
           "anything else (基本达标, 持续推进) and where the document gives no assessment: never computed "
           "from target and value (words in catalogue/assessment_words.csv)"),
        *PROVENANCE,
    ),
    "projects": (
        ROW_ID,
        DOC_ID,
        _c("seq", INT, "printed number"),
        _c("category", STRING, "the group heading the project sits under (生态制度建设, …)"),
        _c("name", STRING, "project name", False),
        _c("content", STRING, "建设内容"),
        _c("start_year", INT, "first year of 建设年限"),
        _c("end_year", INT, "last year of 建设年限"),
        _c("investment_wan", FLOAT, "总投资 in 万元 (亿元 converted)"),
        DEPARTMENTS_RAW,
        DEPARTMENTS,
        _c("indicators_raw", STRING, "针对指标 as written"),
        INDICATOR_IDS,
        LOCATOR,
        SEQ_INFERRED,
        *PROVENANCE,
        _c("progress_raw", STRING, "进展情况 / 完成情况 as written, where a summary or self-assessment reports "
           "the project's progress", extra=True),
        _c("invested_wan", FLOAT, "完成投资 (investment made so far) in 万元 (亿元 converted), where reported",
           extra=True),
    ),
    "tasks": (
        ROW_ID,
        DOC_ID,
        _c("seq", STRING, "the task's number as printed (（三）, 2., 3)"),
        _c("section", STRING, "the heading it sits under"),
        _c("title", STRING, "task name where the document gives one"),
        _c("content", STRING, "the task text", False),
        DEPARTMENTS_RAW,
        DEPARTMENTS,
        DEADLINE,
        INDICATOR_IDS,
        LOCATOR,
        *PROVENANCE,
    ),
    "review": (
        DOC_ID,
        _c("kind", STRING, "indicator · department · region · document", False),
        _c("raw", STRING, "the text in question", False),
        _c("suggestion", STRING, "best candidate"),
        _c("score", FLOAT, "similarity of the best candidate, 0–100"),
        _c("reason", STRING, "why it needs a look", False),
        LOCATOR,
    ),
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

#: which attribute of DocumentResult holds each table's records
_RECORDS_ATTR = {"documents": "document", "indicators": "indicators", "projects": "projects",
                 "tasks": "tasks", "review": "review"}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``, with each column's meaning as field metadata."""
    return pa.schema(
        [pa.field(c.name, c.type, nullable=c.nullable, metadata={"meaning": c.meaning}) for c in TABLES[table]]
    )


def _to_date(value: str | dt.date | None) -> dt.date | None:
    """ISO date text → date; anything else is dropped rather than guessed."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _converter(column: Column):
    """How a record attribute becomes an Arrow cell for ``column`` (None: as it is)."""
    if column.type == STRINGS:
        return lambda value: list(value or ())
    if column.type == DATE:
        return _to_date
    return None


def _records(table: str, result: DocumentResult) -> Sequence:
    value = getattr(result, _RECORDS_ATTR[table])
    return (value,) if table == "documents" else value


def build_table(table: str, results: Iterable[DocumentResult]) -> pa.Table:
    """One Arrow table from the records of ``results``, in their order."""
    fields = [(c.name, _converter(c)) for c in TABLES[table] if c.name != "doc_id"]
    data: dict[str, list] = {c.name: [] for c in TABLES[table]}
    for result in results:
        records = _records(table, result)
        data["doc_id"].extend([result.document.doc_id] * len(records))
        for name, convert in fields:
            values = [getattr(record, name) for record in records]
            data[name].extend(map(convert, values) if convert else values)
    return pa.Table.from_pydict(data, schema=arrow_schema(table))


def build_tables(results: Sequence[DocumentResult]) -> dict[str, pa.Table]:
    """All five tables for ``results`` (documents in the order given)."""
    return {name: build_table(name, results) for name in TABLE_NAMES}


def schema_problem(result: DocumentResult) -> str | None:
    """Why ``result``'s rows do not fit the tables, or None when they do.

    Checked per document as it is produced, so that one defective record makes
    that document ``failed`` instead of stopping the whole batch at write time.
    Arrow itself does not enforce non-nullable fields, hence the null check.
    """
    for name in TABLE_NAMES:
        try:
            table = build_table(name, (result,))
        except (pa.ArrowException, TypeError, ValueError, AttributeError) as exc:
            return f"{name}: {type(exc).__name__}: {exc}"
        for column in TABLES[name]:
            if not column.nullable and table.column(column.name).null_count:
                return f"{name}.{column.name} is empty in a row where it is required"
    return None


def row_counts(result: DocumentResult) -> dict[str, int]:
    """Rows each table gets from one document (documents excluded)."""
    return {name: len(_records(name, result)) for name in TABLE_NAMES if name != "documents"}
