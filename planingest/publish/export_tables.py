"""The researchers' export (``planingest export``): the tables, as CSV files or one Excel workbook.

- ``targets_wide``: one row per region, one column per catalogue indicator (named
  by ID and name, ``I11 林草覆盖率``), each cell the target(s) as written (several
  rows for one indicator — sub-indicators, scope variants, several documents —
  joined with `` | ``, each with what it applies to: ``I07.1: ≥90%``); a value of
  an older list's changed measure carries ``⚠`` and the older wording
  (:mod:`planingest.publish.older_lists`);
- ``responsibilities``: one row per indicator row and responsible department;
- ``legend``: what the marks in the cells mean (``⚠``, `` | ``, ``X: ``), in English and Chinese;
- ``panel``: one row per region × year × indicator (sub-indicator, scope) with the target for
  that year, the measured value and the assessment, and where each comes from
  (:mod:`planingest.publish.panel`);
- ``data_dictionary``: table, column, type and meaning of every column of the
  five Parquet tables and of the three above, generated from
  :data:`planingest.core.schema.TABLES` (the schema the Parquet writer uses), so it
  cannot drift from what is written.

Files that carry the same plan (one ``plan_id``) count once: the rows of the
``is_primary`` copy are used (:func:`planingest.publish.report_data.pool_plans`).

CSV cells are one line each: a line break inside a cell (a task's text wrapped in
the document) becomes one space, so every CSV row is one line in any tool.  The
Excel workbook keeps them, wrapped in the cell, and is styled for reading:
column widths from the content, bold header, frozen header row, autofilter.

Formats: CSV files, one Excel workbook, or one DuckDB database holding the five tables and
the export tables, each column commented with its meaning.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from planingest.catalogue.departments import load_department_vocabulary
from planingest.catalogue.indicators import IndicatorCatalogue, load_indicator_catalogue
from planingest.core.i18n import N_, translate
from planingest.core.schema import BOOL, STRING, TABLES, Column
from planingest.publish.older_lists import MARK, OlderMeasure, legend_rows, older_measures
from planingest.publish.panel import PANEL, panel
from planingest.publish.report_data import coverage, pool_plans, region_groups
from planingest.publish.sheet_style import style_sheet
from planingest.store.folder import atomic_write_bytes
from planingest.store.tables import output_catalogue, read_tables

JOIN = " | "
#: a line break inside a CSV cell becomes this (documented in README and the legend)
CSV_LINE_BREAK = " "
_LINE_BREAKS = r"\s*(?:\r\n|\r|\n|\u2028|\u2029)+\s*"
_BY_NAME = {c.name: c for columns in TABLES.values() for c in columns}
_DOC = {c.name: c for c in TABLES["documents"]}
_IND = {c.name: c for c in TABLES["indicators"]}

WIDE_HEAD: tuple[Column, ...] = (
    _DOC["region"], _DOC["admin_code"], _DOC["admin_level"], _DOC["province"], _DOC["city"],
    Column("documents", STRING, f"source paths of the region's documents, joined with '{JOIN}'", False),
)
LEGEND: tuple[Column, ...] = (
    Column("mark", STRING, "a mark or form found in the cells of targets_wide", False),
    Column("meaning", STRING, "what it means", False),
    Column("meaning_zh", STRING, "what it means, in Chinese", False),
)
#: the lines of the legend that are always there: (mark, meaning)
LEGEND_LINES = (
    (JOIN.strip(), N_("separates several targets of one indicator in one region (sub-indicators, scope "
                      "variants, several documents)")),
    ("X: value", N_("the sub-indicator (I07.1) or scope (山区, 县) the value applies to")),
    ("(csv) line breaks", N_("a line break inside a cell is written as one space in the CSV files")),
)
RESPONSIBILITIES: tuple[Column, ...] = (
    _DOC["region"], _DOC["admin_code"], _IND["indicator_id"], _IND["sub_indicator_id"],
    Column("indicator", STRING, "the catalogue name of indicator_id", False),
    Column("department", STRING, "one responsible department: its canonical name, or the unit as written "
                                 "when it is not recognised (see department_is_canonical)", False),
    Column("department_is_canonical", BOOL, "department is a name from catalogue/departments.csv", False),
    _IND["departments_raw"], _BY_NAME["doc_id"], _BY_NAME["source_locator"],
)


def type_name(type_: pa.DataType) -> str:
    """Arrow types in the data contract's words: string, int, float, bool, date, list<string>."""
    if pa.types.is_list(type_):
        return f"list<{type_name(type_.value_type)}>"
    for check, name in ((pa.types.is_string, "string"), (pa.types.is_integer, "int"),
                        (pa.types.is_floating, "float"), (pa.types.is_boolean, "bool"), (pa.types.is_date, "date")):
        if check(type_):
            return name
    return str(type_)


def data_dictionary(catalogue: IndicatorCatalogue) -> pd.DataFrame:
    rows = [(table, c.name, type_name(c.type), c.meaning) for table, columns in TABLES.items() for c in columns]
    rows += [("targets_wide", c.name, type_name(c.type), c.meaning) for c in WIDE_HEAD]
    rows += [("targets_wide", e.label, "string", TARGET_MEANING.format(label=e.label, join=JOIN, mark=MARK))
             for e in catalogue.entries]
    rows += [("responsibilities", c.name, type_name(c.type), c.meaning) for c in RESPONSIBILITIES]
    rows += [("legend", c.name, type_name(c.type), c.meaning) for c in LEGEND]
    rows += [("panel", c.name, type_name(c.type), c.meaning) for c in PANEL]
    frame = pd.DataFrame(rows, columns=["table", "column", "type", "meaning"])
    return frame.assign(meaning_zh=[_meaning_zh(meaning, column) for _t, column, _y, meaning in rows])


#: the meaning of one indicator's column of targets_wide
TARGET_MEANING = N_("target(s) of {label} as written, each prefixed with the sub-indicator or scope it applies to; "
                    "several joined with '{join}'; {mark}: see legend")


def dictionary_meanings() -> list[str]:
    """Every meaning the data dictionary can hold, as msgids (``tools/i18n.py`` adds them to the catalogue)."""
    columns = [c for cs in TABLES.values() for c in cs] + [*WIDE_HEAD, *RESPONSIBILITIES, *LEGEND, *PANEL]
    return [c.meaning for c in columns]


def _meaning_zh(meaning: str, column: str) -> str:
    """The Chinese meaning: the data dictionary holds both languages whatever the reader's, for sharing."""
    if meaning == TARGET_MEANING.format(label=column, join=JOIN, mark=MARK):
        return translate(TARGET_MEANING, "zh").format(label=column, join=JOIN, mark=MARK)
    return translate(meaning, "zh")


def targets_wide(tables: dict[str, pd.DataFrame], catalogue: IndicatorCatalogue,
                 older: dict[int, OlderMeasure] | None = None) -> pd.DataFrame:
    """One row per region (documents whose region is unknown: one row each), one column per indicator."""
    documents = tables["documents"].drop_duplicates("doc_id").set_index("doc_id")
    groups = region_groups(tables["documents"])
    covered = coverage(tables["indicators"], groups, older)
    rows = []
    for group in groups:
        first = documents.loc[group.doc_ids[0]]
        known = group.admin_code is not None
        row = {c.name: (first[c.name] if known else None) for c in WIDE_HEAD[:5]}
        row["documents"] = JOIN.join(group.documents)
        by_indicator = covered.get(group.key, {})
        for entry in catalogue.entries:
            cell = by_indicator.get(entry.id)
            row[entry.label] = JOIN.join(cell.targets) if cell and cell.targets else None
        rows.append(row)
    return pd.DataFrame(rows, columns=[c.name for c in WIDE_HEAD] + [e.label for e in catalogue.entries])


def legend(older: dict[int, OlderMeasure], catalogue: IndicatorCatalogue) -> pd.DataFrame:
    """What the marks in the cells mean, in English and Chinese side by side (the export is shared, as the
    data dictionary is); then each older wording found, with its crosswalk note."""
    rows = [
        *legend_rows(older, catalogue)[:1],
        *((mark, meaning, translate(meaning, "zh")) for mark, meaning in LEGEND_LINES),
        *legend_rows(older, catalogue)[1:],
    ]
    return pd.DataFrame(rows, columns=[c.name for c in LEGEND])


def responsibilities(tables: dict[str, pd.DataFrame], catalogue: IndicatorCatalogue,
                     canonical: frozenset[str]) -> pd.DataFrame:
    """One row per (indicator row with a catalogue ID, department), in the tables' order."""
    documents = tables["documents"].drop_duplicates("doc_id").set_index("doc_id")
    names = {e.id: e.name for e in catalogue.entries}
    rows = []
    indicators = tables["indicators"]
    for row in indicators[indicators["indicator_id"].notna()].itertuples(index=False):
        doc = documents.loc[row.doc_id] if row.doc_id in documents.index else None
        for department in row.departments:
            rows.append({
                "region": doc["region"] if doc is not None else None,
                "admin_code": doc["admin_code"] if doc is not None else None,
                "indicator_id": row.indicator_id, "sub_indicator_id": row.sub_indicator_id,
                "indicator": names.get(row.indicator_id, row.indicator_id), "department": department,
                "department_is_canonical": department in canonical, "departments_raw": row.departments_raw,
                "doc_id": row.doc_id, "source_locator": row.source_locator,
            })
    return pd.DataFrame(rows, columns=[c.name for c in RESPONSIBILITIES])


def build_export(out: str | os.PathLike, catalogue: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    folder = output_catalogue(out, catalogue)
    indicators = load_indicator_catalogue(folder)
    canonical = frozenset(d.canonical for d in load_department_vocabulary(folder).departments)
    tables = pool_plans(read_tables(out, ("documents", "indicators")))  # copies of one plan count once
    older = older_measures(tables["indicators"], tables["documents"], indicators)
    return {"targets_wide": targets_wide(tables, indicators, older),
            "responsibilities": responsibilities(tables, indicators, canonical),
            "legend": legend(older, indicators),
            "panel": panel(tables),
            "data_dictionary": data_dictionary(indicators)}


def one_line_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every line break inside a text cell replaced by CSV_LINE_BREAK."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: re.sub(_LINE_BREAKS, CSV_LINE_BREAK, v).strip() if isinstance(v, str) else v)
    return out


def write_export(frames: dict[str, pd.DataFrame], fmt: str, dest: Path, out: Path | None = None) -> list[Path]:
    """CSV: one file per table in the folder ``dest`` (UTF-8 with BOM, so Excel shows the Chinese);
    xlsx: one workbook ``dest`` with a sheet per table; duckdb: one database ``dest`` with the
    export tables and the five tables of the output folder ``out``."""
    if fmt == "duckdb":
        from planingest.publish.duckdb_export import write_duckdb

        return [write_duckdb(frames, dest, out)]
    if fmt == "csv":
        dest.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in frames.items():
            path = dest / f"{name}.csv"
            atomic_write_bytes(path, one_line_cells(frame).to_csv(index=False).encode("utf-8-sig"))
            written.append(path)
        return written
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name, index=False)
                style_sheet(writer.sheets[name], frame, frozen_columns=1 if name == "targets_wide" else 0)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return [dest]
