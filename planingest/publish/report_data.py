"""What the report shows, computed from the output tables: pure functions, no HTML.

Regions are the unit of comparison.  A region's documents (its plan as DOCX and
as PDF, two years' plans) are pooled: an indicator is covered when any of them
lists it, targets and departments are the distinct values over all of them.  A
document whose region could not be settled stands alone under its file name, so
nothing is silently merged.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from planingest.catalogue.indicators import DOMAINS, IndicatorCatalogue
from planingest.core.enums import Status
from planingest.publish.older_lists import MARK, OlderMeasure

READABLE = ("ok", "partial", "empty")  # statuses of documents that were read (failed/skipped have no region)


@dataclass(frozen=True)
class RegionGroup:
    key: str  # admin_code, or "doc:<doc_id>" for a document whose region is unknown
    label: str
    admin_code: str | None
    documents: tuple[str, ...]  # source paths
    doc_ids: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """One catalogue indicator in one region."""

    indicator_id: str
    targets: tuple[str, ...]
    departments: tuple[str, ...]
    n_rows: int
    older_measure: bool = False  # some value comes from an older list's changed measure (marked)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value == value


def _distinct(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v) for v in values if _present(v) and str(v).strip()))


def counts(frame: pd.DataFrame, column: str, order: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """Rows per value of ``column``; values in ``order`` first (zeros kept), then the rest by count."""
    found = Counter(frame[column].fillna("unknown")) if len(frame) else Counter()
    head = [(value, found.get(value, 0)) for value in order]
    rest = sorted(((v, n) for v, n in found.items() if v not in order), key=lambda x: (-x[1], x[0]))
    return head + rest


def status_counts(documents: pd.DataFrame) -> list[tuple[str, int]]:
    return counts(documents, "status", tuple(Status))


def problems(documents: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(source_path, status, error) of every document that is not ok, failures first."""
    rank = {"failed": 0, "partial": 1, "empty": 2, "skipped": 3}
    rows = documents[documents["status"] != "ok"]
    out = [(r.source_path, r.status, r.error if _present(r.error) else "") for r in rows.itertuples(index=False)]
    return sorted(out, key=lambda x: (rank.get(x[1], 9), x[0]))


def region_groups(documents: pd.DataFrame) -> list[RegionGroup]:
    """The regions of the documents that were read, by code; unknown regions one per document, last."""
    read = documents[documents["status"].isin(READABLE)]
    groups: list[RegionGroup] = []
    known = read[read["admin_code"].notna()]
    for code, docs in sorted(known.groupby("admin_code"), key=lambda kv: kv[0]):
        first = docs.iloc[0]
        parts = [first["province"], first["city"], first["region"]]
        label = "".join(dict.fromkeys(p for p in parts[1:] if _present(p))) or str(first["region"])
        groups.append(RegionGroup(code, label, code, tuple(docs["source_path"]), tuple(docs["doc_id"])))
    for doc in read[read["admin_code"].isna()].itertuples(index=False):
        name = str(doc.source_path).replace("\\", "/").rsplit("/", 1)[-1]
        groups.append(RegionGroup(f"doc:{doc.doc_id}", f"? {name}", None, (doc.source_path,), (doc.doc_id,)))
    return groups


def _group_of(groups: list[RegionGroup]) -> dict[str, str]:
    return {doc_id: g.key for g in groups for doc_id in g.doc_ids}


def _target_text(row, older: OlderMeasure | None = None) -> str:
    """A target with what it applies to: "I07.1: ≥90%", "山区: ≥70%"; a value of an older list's changed
    measure with the mark and the older wording: "⚠ 化肥施用强度: ≤300"."""
    target = str(row.target_raw)
    if older is not None:
        return f"{MARK} {older.wording}: {target}"
    scope = row.target_scope if _present(row.target_scope) and not target.startswith(str(row.target_scope)) else None
    qualifier = " ".join(str(x) for x in (row.sub_indicator_id, scope) if _present(x))
    return f"{qualifier}: {target}" if qualifier else target


def coverage(indicators: pd.DataFrame, groups: list[RegionGroup],
             older: dict[int, OlderMeasure] | None = None) -> dict[str, dict[str, Coverage]]:
    """region key → indicator ID → what its documents say about that catalogue indicator.

    ``older``: rows (by index label) mapped from an older list's changed measure, shown with the mark.
    """
    older = older or {}
    group_of = _group_of(groups)
    rows = indicators[indicators["indicator_id"].notna() & indicators["doc_id"].isin(group_of)]
    out: dict[str, dict[str, Coverage]] = defaultdict(dict)
    for (doc_group, indicator_id), part in rows.groupby([rows["doc_id"].map(group_of), "indicator_id"]):
        targets = _distinct(_target_text(r, older.get(r.Index)) for r in part.itertuples(index=True)
                            if _present(r.target_raw))
        departments = _distinct(d for ds in part["departments"] for d in ds)
        flagged = any(label in older for label in part.index)
        out[doc_group][indicator_id] = Coverage(indicator_id, targets, departments, len(part), flagged)
    return dict(out)


def top_departments(covered: dict[str, dict[str, Coverage]], canonical: frozenset[str],
                    limit: int = 3) -> dict[str, list[tuple[str, int]]]:
    """indicator ID → the canonical departments responsible for it in the most regions (region count)."""
    tally: dict[str, Counter] = defaultdict(Counter)
    for by_indicator in covered.values():
        for indicator_id, cell in by_indicator.items():
            tally[indicator_id].update(d for d in cell.departments if d in canonical)
    return {i: sorted(c.items(), key=lambda x: (-x[1], x[0]))[:limit] for i, c in tally.items() if c}


def project_domain(indicator_ids, category, catalogue: IndicatorCatalogue) -> str:
    """The domain of a project's indicators (the most frequent; the first named on a tie), else the
    domain its category names (生态安全建设 → 生态安全), else the category itself."""
    domain_of = {e.id: e.domain for e in catalogue.entries}
    domains = [domain_of[i] for i in indicator_ids if i in domain_of]
    if domains:
        tally = Counter(domains)
        best = max(tally.values())
        return next(d for d in domains if tally[d] == best)
    if _present(category):
        return next((d for d in DOMAINS if d in str(category)), str(category))
    return "(no domain, no category)"


def investment_by_domain(projects: pd.DataFrame, groups: list[RegionGroup],
                         catalogue: IndicatorCatalogue) -> list[tuple[str, float]]:
    """Total 万元 per domain; a project listed in several documents of one region (the same plan as
    DOCX and PDF) counts once."""
    group_of = _group_of(groups)
    seen: set[tuple] = set()
    totals: Counter = Counter()
    for row in projects.itertuples(index=False):
        if not _present(row.investment_wan):
            continue
        key = (group_of.get(row.doc_id, row.doc_id), row.name, row.investment_wan)
        if key in seen:
            continue
        seen.add(key)
        totals[project_domain(row.indicator_ids, row.category, catalogue)] += float(row.investment_wan)
    ordered = [(d, totals[d]) for d in DOMAINS if d in totals]
    return ordered + sorted(((d, v) for d, v in totals.items() if d not in DOMAINS), key=lambda x: -x[1])


def review_counts(review: pd.DataFrame) -> list[tuple[str, int]]:
    return counts(review, "kind", ("indicator", "department", "region", "document"))
