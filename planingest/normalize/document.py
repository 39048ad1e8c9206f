"""Raw rows of one document → the output records, with a review item for every doubt.

Nothing is forced: an indicator name below the auto-accept score keeps no ID and
goes to review; an unknown unit stays in its raw form and goes to review; a
region that cannot be pinned down is left empty and goes to review.
"""
from __future__ import annotations

from collections import Counter

from planingest.catalogue.decisions import ReviewDecisions
from planingest.catalogue.regions import Region
from planingest.core.enums import DocType, IssueCode, ReviewKind, Status
from planingest.core.hanzi import to_simplified
from planingest.core.records import (
    DocumentRecord,
    DocumentResult,
    IndicatorRecord,
    Interpretation,
    ProjectRecord,
    RawIndicator,
    RawProject,
    RawTask,
    ReviewItem,
    TaskRecord,
)
from planingest.core.version import __version__
from planingest.interpret.doctype import classify
from planingest.interpret.metadata import named_catalogue_version
from planingest.interpret.values import (
    clean_unit,
    find_deadline,
    parse_assessment,
    parse_attribute,
    parse_deadline,
    parse_measured,
    parse_money_wan,
    parse_target,
    parse_years,
)
from planingest.normalize.regions import RegionMatch, resolve_region
from planingest.normalize.rowids import with_row_ids
from planingest.normalize.trust import row_doubts
from planingest.normalize.vocabulary import Vocabulary, get_vocabulary

# 2021 entries that older lists lack: a document naming them follows the 2021 revision
_NEW_IN_2021 = {"I25", "I31", "I33"}


class _Review:
    """Collects review items, once per (kind, raw text) in a document, minus those a person
    has already settled as needing nothing (catalogue/review_ignore.csv)."""

    def __init__(self, decisions: ReviewDecisions | None = None) -> None:
        self.items: list[ReviewItem] = []
        self._seen: set[tuple[str, str]] = set()
        self._decisions = decisions or ReviewDecisions()

    def add(self, kind: ReviewKind, raw: str, reason: str, locator: str, suggestion=None, score=None) -> None:
        if (kind, raw) in self._seen or self._decisions.is_ignored(kind, raw):
            return
        self._seen.add((kind, raw))
        self.items.append(ReviewItem(kind, raw, reason, locator, suggestion, score))


def _departments(vocab: Vocabulary, raw: str | None, review: _Review, locator: str) -> tuple[str, ...]:
    if not raw:
        return ()
    names, doubtful = vocab.departments.normalize(to_simplified(raw))
    for match in doubtful:
        review.add(ReviewKind.DEPARTMENT, match.raw, f"unit not recognised ({match.method})", locator,
                   getattr(match, "suggestion", None) or match.canonical, match.score or None)
    return tuple(names)


def _indicator(vocab: Vocabulary, raw: RawIndicator, review: _Review, version_votes: Counter) -> IndicatorRecord:
    locator = str(raw.locator)
    match = vocab.indicators.match(to_simplified(raw.name_raw))
    if match.version:
        version_votes[match.version] += 1
        if match.version == "2021" and match.indicator_id in _NEW_IN_2021:
            version_votes["2021-only"] += 1
    indicator_id, method, score = match.indicator_id, match.method, match.score
    needs_review, sub_id = match.needs_review, match.sub_indicator_id  # 优良天数比例 alone: I07 · I07.1
    if raw.sub_name_raw:
        sub = vocab.indicators.match_sub(indicator_id, to_simplified(raw.sub_name_raw))
        sub_id = sub.sub_indicator_id
        if indicator_id is None and sub.indicator_id and not (match.is_retired or match.is_new or match.is_local):
            indicator_id, method, score = sub.indicator_id, sub.method, sub.score
        if sub.needs_review:
            needs_review = True
            review.add(ReviewKind.INDICATOR, raw.sub_name_raw, sub.reason or "sub-indicator uncertain", locator,
                       sub.suggestion, sub.score)
    if match.needs_review:
        review.add(ReviewKind.INDICATOR, raw.name_raw, match.reason or "indicator name uncertain", locator,
                   match.suggestion, match.score)
    target = parse_target(raw.target_raw)
    scope = raw.target_scope or (target.scope if target else None)
    measured = parse_measured(raw.current_raw, raw.current_year_raw)
    doubts = row_doubts(raw, target.value if target else None, clean_unit(raw.unit),
                        vocab.indicators.national_target(indicator_id, sub_id))
    for text, reason in doubts:
        review.add(ReviewKind.INDICATOR, text, reason, locator)
    needs_review = needs_review or bool(doubts)
    return IndicatorRecord(
        seq=raw.seq, domain=raw.domain, name_raw=raw.name_raw, sub_name_raw=raw.sub_name_raw,
        indicator_id=indicator_id, sub_indicator_id=sub_id, match_method=method, match_score=float(score),
        is_local=match.is_local, needs_review=needs_review, unit=clean_unit(raw.unit), target_raw=raw.target_raw,
        target_op=target.op if target else None, target_value=target.value if target else None,
        target_text=target.text if target else None, target_scope=scope,
        attribute=parse_attribute(raw.attribute_raw, scope),
        departments_raw=raw.departments_raw,
        departments=_departments(vocab, raw.departments_raw, review, locator),
        deadline=parse_deadline(raw.deadline_raw), source_locator=locator, is_retired=match.is_retired,
        task=raw.task, seq_inferred=raw.seq_inferred, locator=raw.locator,
        current_raw=raw.current_raw, current_value=measured.value if measured else None,
        current_year=measured.year if measured else None, assessment_raw=raw.assessment_raw,
        meets_target=parse_assessment(raw.assessment_raw, vocab.assessments),
    )


def _mentions(vocab: Vocabulary, text: str | None) -> tuple[str, ...]:
    return tuple(vocab.indicators.find_mentions(to_simplified(text))) if text else ()


def _project(vocab: Vocabulary, raw: RawProject, review: _Review) -> ProjectRecord:
    locator = str(raw.locator)
    start, end = parse_years(raw.years_raw)
    return ProjectRecord(
        seq=raw.seq, category=raw.category, name=raw.name, content=raw.content, start_year=start, end_year=end,
        investment_wan=parse_money_wan(raw.investment_raw, raw.investment_unit or "万元"),
        departments_raw=raw.departments_raw, departments=_departments(vocab, raw.departments_raw, review, locator),
        indicators_raw=raw.indicators_raw, indicator_ids=_mentions(vocab, raw.indicators_raw),
        source_locator=locator, seq_inferred=raw.seq_inferred, locator=raw.locator,
        progress_raw=raw.progress_raw,
        invested_wan=parse_money_wan(raw.invested_raw, raw.invested_unit or "万元"),
    )


def _task(vocab: Vocabulary, raw: RawTask, review: _Review) -> TaskRecord:
    locator = str(raw.locator)
    deadline = parse_deadline(raw.deadline_raw) if raw.deadline_raw else find_deadline(raw.content)
    return TaskRecord(
        seq=raw.seq, section=raw.section, title=raw.title, content=raw.content,
        departments_raw=raw.departments_raw, departments=_departments(vocab, raw.departments_raw, review, locator),
        deadline=deadline, indicator_ids=_mentions(vocab, "\n".join(x for x in (raw.title, raw.content) if x)),
        source_locator=locator, locator=raw.locator,
    )


def _decided_region(region: Region, raw: str) -> RegionMatch:
    """The region a person chose in review (catalogue/region_aliases.csv) for this open question."""
    return RegionMatch(region=region.name, admin_code=region.admin_code, admin_level=region.level,
                       province=region.province, city=region.city, raw=raw, method="decision", score=100.0,
                       needs_review=False, reason="decided in review (region_aliases.csv)",
                       admin_code_current=region.current_code)


def _document_year(issue_date: str | None, plan_year: int | None) -> int | None:
    """The year whose division names the document uses: its issue date's, else its plan year."""
    if issue_date and issue_date[:4].isdigit():
        return int(issue_date[:4])
    return plan_year


_NO_REGION = RegionMatch(None, None, None, None, None, None, "none", 0.0, False, None)


def _region_or_review(doc_id: str, region: RegionMatch, fallback_raw: str, vocab: Vocabulary,
                      review: _Review) -> RegionMatch:
    """The resolved region; where it is in doubt, a person's earlier decision, else a review item."""
    if not (region.needs_review or region.region is None):
        return region
    region_raw = region.raw or fallback_raw
    decided = vocab.decisions.region_for(doc_id, region_raw)
    if decided is not None:
        return _decided_region(decided, region_raw)
    review.add(ReviewKind.REGION, region_raw, region.reason or "region not found", "document",
               region.region, region.score or None)
    return region


def _catalogue_version(cited: str, votes: Counter, named: str | None = None) -> str:
    """The cited version, else the one the names follow: wordings of the 2024 lists mean 2024
    unless entries new in 2021 outnumber them (the 2024 county list, not at hand, may keep
    those); an entry new in 2021 means 2021; wordings only an older list uses mean that list;
    else the list the text names loosely (《国家生态文明建设示范市县建设指标》 without 文号: ``named``)."""
    if cited and cited != "unknown":
        return cited
    if votes["2024"] and votes["2024"] >= votes["2021-only"]:
        return "2024"
    if votes["2021-only"]:
        return "2021"
    older = {v: n for v, n in votes.items() if v not in ("2021", "2021-only")}
    if older:
        return max(older, key=older.get)
    if named:
        return named
    return "2021" if votes else "unknown"


#: why a file about something else yields no rows (documents.error of an unrelated file)
UNRELATED_ERROR = ("not about ecological-civilisation demonstration zones: neither the title nor the text "
                   "names the topic (生态文明建设示范…), and no table holds catalogue indicators")


def _status(interp: Interpretation, n_rows: int) -> tuple[Status, str | None]:
    """A document read by OCR is ok (its error still names the OCR'd pages); partial means lost content."""
    problems = [i for i in interp.issues if i.code not in (IssueCode.INFO, IssueCode.OCR)]
    notes = [i.message for i in interp.issues if i.code == IssueCode.OCR]
    if n_rows == 0:
        reason = "; ".join([i.message for i in problems] + notes) or (
            "no indicator table, project list or task with responsible units was found")
        return Status.EMPTY, reason
    if problems:
        return Status.PARTIAL, "; ".join([i.message for i in problems] + notes)
    return Status.OK, "; ".join(notes) or None


def normalise_interpretation(doc_id: str, source_path: str, file_format: str, pages: int | None,
                             interp: Interpretation, vocab: Vocabulary | None = None) -> DocumentResult:
    vocab = vocab or get_vocabulary()
    review = _Review(vocab.decisions)
    votes: Counter = Counter()
    indicators = with_row_ids(doc_id, "indicators", [_indicator(vocab, r, review, votes) for r in interp.indicators])
    projects = with_row_ids(doc_id, "projects", [_project(vocab, r, review) for r in interp.projects])
    tasks = with_row_ids(doc_id, "tasks", [_task(vocab, r, review) for r in interp.tasks])
    meta = interp.metadata
    n_catalogue = sum(1 for r in indicators if r.indicator_id and not r.is_local)
    doc_type = classify(meta.title, interp.prose, n_rows=len(indicators) + len(projects) + len(tasks),
                        n_catalogue_indicators=n_catalogue, words=vocab.doc_types)
    region = resolve_region(meta.title, meta.issuer, interp.prose, vocab.regions,
                            _document_year(meta.issue_date, meta.plan_year))
    if doc_type == DocType.UNRELATED:
        # nothing of it belongs in the tables, and nobody should be asked where it is
        indicators, projects, tasks, review.items = [], [], [], []
        region = _NO_REGION if region.needs_review else region
        status, error = Status.EMPTY, UNRELATED_ERROR
    else:
        region = _region_or_review(doc_id, region, meta.title or source_path, vocab, review)
        status, error = _status(interp, len(indicators) + len(projects) + len(tasks))
    record = DocumentRecord(
        doc_id=doc_id, source_path=source_path, file_format=file_format, status=status, error=error,
        title=meta.title, issuer=meta.issuer, doc_number=meta.doc_number, issue_date=meta.issue_date,
        plan_year=meta.plan_year, region=region.region, admin_code=region.admin_code,
        admin_level=region.admin_level, province=region.province, city=region.city,
        catalogue_version=_catalogue_version(meta.catalogue_version, votes, named_catalogue_version(interp.prose)),
        n_indicators=len(indicators), n_projects=len(projects), n_tasks=len(tasks),
        pipeline_version=__version__, n_pages=pages, admin_code_current=region.admin_code_current or region.admin_code,
        doc_type=doc_type, ocr_pages=len(interp.ocr_pages),
    )
    items = [ReviewItem(i.kind, i.raw, i.reason, i.source_locator, i.suggestion, i.score) for i in review.items]
    return DocumentResult(record, indicators, projects, tasks, tuple(items), interp.issues)
