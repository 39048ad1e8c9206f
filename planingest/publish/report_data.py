"""What the report shows, computed from the output tables: pure functions, no HTML.

Regions are the unit of comparison.  A region's documents (its plan as DOCX and
as PDF, two years' plans) are pooled: an indicator is covered when any of them
lists it, targets and departments are the distinct values over all of them.
Files that carry the same plan (one ``plan_id``) count once: only the rows of the
``is_primary`` copy are counted (:func:`pool_plans`).  A document whose region
could not be settled is never shown as a region: the report lists it apart,
with why (:func:`unplaced_documents`); the export gives it a row of its own.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from planingest.catalogue.indicators import DOMAINS, IndicatorCatalogue
from planingest.core.enums import Status
from planingest.core.i18n import Nn_, _, ngettext
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


def region_groups(documents: pd.DataFrame, placed_only: bool = False) -> list[RegionGroup]:
    """The regions of the documents that were read, by code; unknown regions one per document, last
    (none with ``placed_only``)."""
    read = documents[documents["status"].isin(READABLE)]
    groups: list[RegionGroup] = []
    known = read[read["admin_code"].notna()]
    for code, docs in sorted(known.groupby("admin_code"), key=lambda kv: kv[0]):
        first = docs.iloc[0]
        parts = [first["province"], first["city"], first["region"]]
        label = "".join(dict.fromkeys(p for p in parts[1:] if _present(p))) or str(first["region"])
        groups.append(RegionGroup(code, label, code, tuple(docs["source_path"]), tuple(docs["doc_id"])))
    for doc in ([] if placed_only else read[read["admin_code"].isna()].itertuples(index=False)):
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
    return _("(no domain, no category)")


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


# --------------------------------------------------------------------------
# plans counted once, documents without a region, what each region's plan holds
# --------------------------------------------------------------------------

ROW_TABLES = ("indicators", "projects", "tasks")


def primary_doc_ids(documents: pd.DataFrame) -> set[str]:
    """One doc_id per plan: the ``is_primary`` file of each ``plan_id`` (the first file when none is marked).

    Outputs written before plans were grouped have neither column: every file is then its own plan.
    """
    if "plan_id" not in documents or "is_primary" not in documents:
        return set(documents["doc_id"])
    chosen: set[str] = set()
    frame = documents.assign(plan_id=documents["plan_id"].fillna(documents["doc_id"]))
    for _plan, copies in frame.groupby("plan_id", sort=False):
        primary = copies[copies["is_primary"].fillna(False).astype(bool)]
        chosen.add(str((primary if len(primary) else copies).iloc[0]["doc_id"]))
    return chosen


def pool_plans(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with the rows of indicators, projects and tasks of primary copies only (documents kept whole)."""
    keep = primary_doc_ids(tables["documents"])
    return {name: (frame[frame["doc_id"].isin(keep)] if name in ROW_TABLES else frame)
            for name, frame in tables.items()}


def n_plans(documents: pd.DataFrame) -> int:
    read = documents[documents["status"].isin(READABLE)]
    return len(primary_doc_ids(read)) if len(read) else 0


@dataclass(frozen=True)
class Unplaced:
    """A document that was read but whose region is unknown: listed apart, never a region of its own."""

    source_path: str
    title: str
    why: str
    n_indicators: int
    n_projects: int
    n_tasks: int


NO_REGION_WHY = "no region was recognised in the title, the issuer or the text"


def unplaced_documents(documents: pd.DataFrame, review: pd.DataFrame) -> list[Unplaced]:
    """The read documents without a region, with the review queue's reason (or the general one)."""
    read = documents[documents["status"].isin(READABLE) & documents["admin_code"].isna()]
    reasons = review[review["kind"] == "region"].drop_duplicates("doc_id").set_index("doc_id")["reason"] \
        if len(review) else pd.Series(dtype=str)
    out = []
    for doc in read.itertuples(index=False):
        why = str(reasons.get(doc.doc_id, NO_REGION_WHY))
        out.append(Unplaced(str(doc.source_path), str(doc.title) if _present(doc.title) else "", why,
                            int(doc.n_indicators), int(doc.n_projects), int(doc.n_tasks)))
    return sorted(out, key=lambda u: u.source_path)


@dataclass(frozen=True)
class RegionSummary:
    """What one region's plans hold, at a glance."""

    key: str
    label: str
    admin_code: str
    admin_level: str
    n_documents: int
    n_plans: int
    n_covered: int  # catalogue indicators listed
    n_with_target: int  # ... of which with a target
    n_tasks: int
    n_projects: int
    departments: tuple[str, ...]  # every department named by its indicators, tasks and projects, most often first


def region_summaries(groups: list[RegionGroup], pooled: dict[str, pd.DataFrame],
                     covered: dict[str, dict[str, Coverage]]) -> list[RegionSummary]:
    documents = pooled["documents"].set_index("doc_id")
    primaries = primary_doc_ids(pooled["documents"])
    out = []
    for group in groups:
        ids = set(group.doc_ids)
        parts = {name: pooled[name][pooled[name]["doc_id"].isin(ids)] for name in ROW_TABLES}
        tally: Counter = Counter(d for name in ROW_TABLES for ds in parts[name]["departments"] for d in ds)
        by_indicator = covered.get(group.key, {})
        level = documents.loc[group.doc_ids[0], "admin_level"]
        out.append(RegionSummary(
            group.key, group.label, str(group.admin_code), str(level) if _present(level) else "",
            len(ids), len(ids & primaries), len(by_indicator), sum(1 for c in by_indicator.values() if c.targets),
            len(parts["tasks"]), len(parts["projects"]),
            tuple(d for d, _ in sorted(tally.items(), key=lambda x: (-x[1], x[0]))),
        ))
    return out


@dataclass(frozen=True)
class TaskLine:
    seq: str
    title: str
    content: str
    departments: tuple[str, ...]
    deadline: str


def tasks_by_region(tasks: pd.DataFrame, groups: list[RegionGroup]) -> dict[str, list[TaskLine]]:
    """region key → its tasks (of primary copies, when ``tasks`` is pooled), in document order."""
    group_of = _group_of(groups)
    out: dict[str, list[TaskLine]] = defaultdict(list)
    for row in tasks[tasks["doc_id"].isin(group_of)].itertuples(index=False):
        out[group_of[row.doc_id]].append(TaskLine(
            str(row.seq) if _present(row.seq) else "", str(row.title) if _present(row.title) else "",
            str(row.content), tuple(row.departments), str(row.deadline) if _present(row.deadline) else ""))
    return dict(out)


#: how a count of regions reads, per admin level: (one, many)
LEVEL_WORDS = {"county": Nn_("{n} county", "{n} counties"), "city": Nn_("{n} city", "{n} cities"),
               "province": Nn_("{n} province", "{n} provinces"), "": Nn_("{n} region", "{n} regions")}


def regions_phrase(levels: list[str]) -> str:
    """["county", "county", "city"] → "2 counties, 1 city": what a chart covers, said plainly."""
    tally = Counter(level if level in LEVEL_WORDS else "" for level in levels)
    if not tally:
        return ngettext(*LEVEL_WORDS[""], 0).format(n=0)
    order = [level for level in ("province", "city", "county", "") if tally[level]]
    return _(", ").join(ngettext(*LEVEL_WORDS[level], tally[level]).format(n=tally[level]) for level in order)
