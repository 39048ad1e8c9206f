"""The rows of the review workbook (``planingest review``): the review queue, ready for a person.

One row per item of ``review.parquet``: the text in question, where it comes from
(document, locator, the document's region; for an indicator sub-row, the
indicator it is listed under) and the best candidates with their scores.  The
rows are built by pure functions from the output tables and the vocabulary
(:func:`review_rows`); :mod:`planingest.review.sheets` lays them out in Excel.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planingest.catalogue.indicators import IndicatorCatalogue, load_indicator_catalogue
from planingest.core.errors import UsageError
from planingest.core.i18n import _
from planingest.core.names import name_key
from planingest.normalize.indicator_index import WordingIndex
from planingest.normalize.vocabulary import Vocabulary, load_vocabulary
from planingest.review.carry import Filled, carry_over, read_filled
from planingest.review.sheets import IGNORE, KINDS, LOCAL, ReviewRow
from planingest.review.workbook import write_workbook
from planingest.store.tables import output_catalogue, read_tables


def region_path(province: str | None, city: str | None, region: str | None) -> str | None:
    """湖南省 + 怀化市 + 靖州苗族侗族自治县 → one string, each level once (as local_indicators.csv writes it)."""
    parts: list[str] = []
    for part in (province, city, region):
        if part and not pd.isna(part) and part not in parts:
            parts.append(part)
    return "".join(parts) or None


def indicator_choices(catalogue: IndicatorCatalogue) -> tuple[str, ...]:
    """Every catalogue entry and sub-indicator as "I07 环境空气质量" / "I07.1 优良天数比例", in ID order."""
    labels = [(e.id, e.label) for e in catalogue.entries] + [(s.sub_id, s.label) for s in catalogue.subs]
    return tuple(label for _, label in sorted(labels, key=lambda x: _id_order(x[0]))) + (LOCAL, IGNORE)


def department_choices(vocab: Vocabulary) -> tuple[str, ...]:
    return tuple(d.canonical for d in vocab.departments.vocab.departments) + (IGNORE,)


def _id_order(identifier: str) -> tuple[int, int]:
    head, _, sub = identifier[1:].partition(".")
    return int(head), int(sub or 0)


# --------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowContext:
    """What the document says around a review item: the table row it is in."""

    name: str | None = None  # the indicator, project or task of the row
    under: str | None = None  # a sub-row: the indicator it is listed under, as shown in the workbook
    parent_id: str | None = None  # ... and its catalogue ID, when it has one
    unit: str | None = None
    target: str | None = None
    departments: str | None = None
    page: int | None = None


def _value(value):
    return None if value is None or (not isinstance(value, list | tuple) and pd.isna(value)) else value


def row_contexts(tables: dict[str, pd.DataFrame], index: WordingIndex) -> dict[tuple[str, str], list[RowContext]]:
    """(doc_id, source_locator) → the rows of indicators, projects and tasks found there."""
    out: dict[tuple[str, str], list[RowContext]] = {}
    for row in tables["indicators"].itertuples(index=False):
        sub = _value(row.sub_name_raw)
        parent = _value(row.indicator_id) if sub else None
        under = None
        if sub:
            under = index.labels.get(parent, parent) if parent else f"{row.name_raw} (not in the catalogue)"
        out.setdefault((row.doc_id, row.source_locator), []).append(RowContext(
            name=sub or row.name_raw, under=under, parent_id=parent, unit=_value(row.unit),
            target=_value(row.target_raw), departments=_value(row.departments_raw), page=_page(row)))
    for name, title in (("projects", "name"), ("tasks", "title")):
        if name not in tables:
            continue
        for row in tables[name].itertuples(index=False):
            out.setdefault((row.doc_id, row.source_locator), []).append(RowContext(
                name=_value(getattr(row, title)) or _value(getattr(row, "content", None)),
                departments=_value(row.departments_raw), page=_page(row)))
    return out


def _page(row) -> int | None:
    page = _value(getattr(row, "page", None))
    return int(page) if page is not None else None


def _context_of(kind: str, raw: str, found: list[RowContext]) -> RowContext:
    """The row the item was read from: for an indicator the row of that name, for a unit the row naming it."""
    if kind == "indicator":
        match = [c for c in found if c.name == raw]
    elif kind == "department":
        match = [c for c in found if c.departments and raw in c.departments]
    else:
        return RowContext()  # a region or document item is about the whole document
    return (match or found or [RowContext()])[0]


def sub_row_choices(parent_id: str, catalogue: IndicatorCatalogue) -> tuple[str, ...]:
    """What a sub-row listed under ``parent_id`` can be: that indicator, one of its sub-indicators, local, ignore."""
    labels = (catalogue.entry(parent_id).label, *(s.label for s in catalogue.subs_of(parent_id)))
    return (*sorted(labels, key=lambda label: _id_order(label.split(" ", 1)[0])), LOCAL, IGNORE)


def review_rows(tables: dict[str, pd.DataFrame], vocab: Vocabulary, index: WordingIndex,
                catalogue: IndicatorCatalogue | None = None) -> dict[str, list[ReviewRow]]:
    """The review table as workbook rows per kind, in the table's order."""
    documents = tables["documents"].set_index("doc_id")
    contexts = row_contexts(tables, index)
    known = {e.id for e in catalogue.entries} if catalogue else set()
    rows: dict[str, list[ReviewRow]] = {kind: [] for kind in KINDS}
    for item in tables["review"].itertuples(index=False):
        doc = documents.loc[item.doc_id] if item.doc_id in documents.index else None
        suggestion = None if pd.isna(item.suggestion) else str(item.suggestion)
        score = None if pd.isna(item.score) else float(item.score)
        context = _context_of(item.kind, item.raw, contexts.get((item.doc_id, item.source_locator), []))
        choices = None
        if item.kind == "indicator":
            suggestions = indicator_suggestions(index, item.raw, suggestion, score)
            if catalogue and context.under and context.parent_id in known:
                choices = sub_row_choices(context.parent_id, catalogue)
                suggestions = tuple(s for s in suggestions if s[0] in choices)
        else:
            suggestions = ((_region_suggestion(vocab, suggestion), score),) if suggestion else ()
        rows.setdefault(item.kind, []).append(ReviewRow(
            kind=item.kind, raw=item.raw, suggestions=suggestions, reason=item.reason,
            document=str(doc["source_path"]) if doc is not None else "",
            locator=item.source_locator,
            region=region_path(doc["province"], doc["city"], doc["region"]) if doc is not None else None,
            doc_id=item.doc_id, under=context.under if item.kind == "indicator" else None,
            unit=context.unit if item.kind == "indicator" else None, target=context.target,
            departments=context.departments if item.kind == "indicator" else None,
            in_row=context.name if item.kind == "department" else None, page=context.page, choices=choices,
        ))
    return rows


def indicator_suggestions(index: WordingIndex, raw: str, suggestion: str | None, score: float | None,
                          limit: int = 3) -> tuple[tuple[str, float | None], ...]:
    """The queue's own candidate first, then the matcher's next best catalogue entries."""
    found: list[tuple[str, float | None]] = [(suggestion, score)] if suggestion else []
    for candidate in index.rank(name_key(raw), limit=8):
        label = index.label(candidate.wording)
        if candidate.wording.indicator_id and all(label != seen for seen, _ in found):
            found.append((label, candidate.score))
    return tuple(found[:limit])


def _region_suggestion(vocab: Vocabulary, name: str) -> str:
    """A region name with its code when the name is one region's official name ("431229 靖州苗族侗族自治县")."""
    full = [r for r, kind in vocab.regions.lookup(name) if kind == "full"]
    return f"{full[0].admin_code} {name}" if len(full) == 1 else name


@dataclass(frozen=True)
class ReviewResult:
    path: Path
    counts: dict[str, int]  # rows per kind sheet
    carried: int = 0  # decisions of the previous workbook placed on a row again
    notes: int = 0  # decisions of the previous workbook listed on the "carried over" sheet


def previous_decisions(target: Path, fresh: bool, force: bool) -> list[Filled]:
    """The decisions already filled in ``target`` (to carry over), or none with --force.

    ``fresh`` (start from empty decisions) refuses a workbook holding decisions unless ``force``.
    """
    if force or not target.exists():
        return []
    filled = read_filled(target)
    if fresh and filled:
        raise UsageError(_("{path} holds {n} filled decision(s); without --fresh they are carried into the new "
                           "workbook, with --force they are overwritten").format(path=target, n=len(filled)))
    return [] if fresh else filled


def build_review_workbook(out: str | os.PathLike, xlsx: str | os.PathLike | None = None,
                          catalogue: str | os.PathLike | None = None, *, fresh: bool = False,
                          force: bool = False) -> ReviewResult:
    """Write the workbook for the output folder ``out``, keeping the decisions already filled in it."""
    folder = output_catalogue(out, catalogue)
    vocab = load_vocabulary(folder)
    indicator_catalogue = load_indicator_catalogue(folder)
    tables = read_tables(out, ("documents", "indicators", "projects", "tasks", "review"))
    rows = review_rows(tables, vocab, WordingIndex(indicator_catalogue), indicator_catalogue)
    target = Path(xlsx) if xlsx else Path(out) / "review.xlsx"
    carried = carry_over(rows, previous_decisions(target, fresh, force))
    choices = {"indicator": indicator_choices(indicator_catalogue), "department": department_choices(vocab),
               "document": (IGNORE,)}
    write_workbook(target, carried.rows, choices, folder, carried.notes)
    return ReviewResult(target, {kind: len(rows.get(kind, ())) for kind in KINDS}, carried.n_carried,
                        len(carried.notes))
