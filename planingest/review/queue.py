"""The rows of the review workbook (``planingest review``): the review queue, ready for a person.

One row per item of ``review.parquet``: the text in question, where it comes from
(document, locator, the document's region; for an indicator sub-row, the
indicator it is listed under) and the best candidates with their scores.  The
rows are built by pure functions from the output tables and the vocabulary
(:func:`review_rows`); :mod:`planingest.review.sheets` lays them out in Excel.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from planingest.catalogue.indicators import IndicatorCatalogue, load_indicator_catalogue
from planingest.core.names import name_key
from planingest.normalize.indicator_index import WordingIndex
from planingest.normalize.vocabulary import Vocabulary, load_vocabulary
from planingest.review.sheets import IGNORE, KINDS, LOCAL, ReviewRow, write_workbook
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


def review_rows(tables: dict[str, pd.DataFrame], vocab: Vocabulary, index: WordingIndex) -> dict[str, list[ReviewRow]]:
    """The review table as workbook rows per kind, in the table's order."""
    documents = tables["documents"].set_index("doc_id")
    subs = _sub_rows(tables["indicators"], index)
    rows: dict[str, list[ReviewRow]] = {kind: [] for kind in KINDS}
    for item in tables["review"].itertuples(index=False):
        doc = documents.loc[item.doc_id] if item.doc_id in documents.index else None
        suggestion = None if pd.isna(item.suggestion) else str(item.suggestion)
        score = None if pd.isna(item.score) else float(item.score)
        if item.kind == "indicator":
            under = subs.get((item.doc_id, item.source_locator, item.raw))
            suggestions = indicator_suggestions(index, item.raw, suggestion, score)
        else:
            under = None
            suggestions = ((_region_suggestion(vocab, suggestion), score),) if suggestion else ()
        rows.setdefault(item.kind, []).append(ReviewRow(
            kind=item.kind, raw=item.raw, suggestions=suggestions, reason=item.reason,
            document=str(doc["source_path"]) if doc is not None else "",
            locator=item.source_locator,
            region=region_path(doc["province"], doc["city"], doc["region"]) if doc is not None else None,
            doc_id=item.doc_id, under=under,
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


def _sub_rows(indicators: pd.DataFrame, index: WordingIndex) -> dict[tuple[str, str, str], str]:
    """(doc_id, locator, sub-row text) → the indicator it is listed under, as shown in the workbook.

    The same text means something else as a sub-row (it can only be a part of its
    parent) than on its own, so ``accept`` checks a decision in that context.
    """
    out: dict[tuple[str, str, str], str] = {}
    rows = indicators[indicators["sub_name_raw"].notna()]
    for row in rows.itertuples(index=False):
        key = (row.doc_id, row.source_locator, row.sub_name_raw)
        if pd.isna(row.indicator_id):
            out[key] = f"{row.name_raw} (not in the catalogue)"
        else:
            out[key] = index.labels.get(row.indicator_id, row.indicator_id)
    return out


def _region_suggestion(vocab: Vocabulary, name: str) -> str:
    """A region name with its code when the name is one region's official name ("431229 靖州苗族侗族自治县")."""
    full = [r for r, kind in vocab.regions.lookup(name) if kind == "full"]
    return f"{full[0].admin_code} {name}" if len(full) == 1 else name


def build_review_workbook(out: str | os.PathLike, xlsx: str | os.PathLike | None = None,
                          catalogue: str | os.PathLike | None = None) -> tuple[Path, dict[str, int]]:
    """Write the workbook for the output folder ``out``; returns its path and the rows per sheet."""
    folder = output_catalogue(out, catalogue)
    vocab = load_vocabulary(folder)
    indicator_catalogue = load_indicator_catalogue(folder)
    tables = read_tables(out, ("documents", "indicators", "review"))
    rows = review_rows(tables, vocab, WordingIndex(indicator_catalogue))
    target = Path(xlsx) if xlsx else Path(out) / "review.xlsx"
    choices = {"indicator": indicator_choices(indicator_catalogue), "department": department_choices(vocab),
               "document": (IGNORE,)}
    write_workbook(target, rows, choices, folder)
    return target, {kind: len(rows.get(kind, ())) for kind in KINDS}
