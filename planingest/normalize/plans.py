"""Files that carry the same plan: the DOCX, the stamped PDF, the scan, a text dump.

A batch often holds one plan several times.  Counting each file's rows would count
the plan several times, so the files of one plan share a ``plan_id`` and one of them
is ``is_primary`` (its rows are the ones that count when plans are pooled, as the
researchers' panel does).  Every file keeps all its rows.

Two files are taken to carry the same plan only when everything agrees:

- the same region (admin_code; a file whose region is unknown is never grouped);
- no metadata that contradicts: title (an 印发 notice's inner 《title》), 文号, issue
  date and plan year must be equal wherever both files state them;
- the same content: at least 80 % of the smaller file's rows (indicator name, target
  and deadline; project name and amount; task text) are rows of the other file too
  (a scan of the indicator pages is part of the whole plan; a little OCR noise passes).

The primary file is the most reliable reading: status ok before partial, a format that
keeps the text (Word, spreadsheets, text) before PDF, more rows, then the smaller doc_id.
``plan_id`` is the primary file's doc_id.  Nothing is forced: a pair that fails any test
stays apart.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from planingest.core.enums import FileFormat, Status
from planingest.core.records import DocumentRecord, DocumentResult

MIN_SHARED = 0.8  # share of the smaller file's rows the other file must hold
MIN_ROWS = 3  # fewer rows than this say too little to call two files one plan
_READ = (Status.OK, Status.PARTIAL)
_FORMAT_RANK = {f: i for i, f in enumerate((
    FileFormat.DOCX, FileFormat.DOC, FileFormat.WPS, FileFormat.ODT, FileFormat.RTF, FileFormat.XLSX,
    FileFormat.XLS, FileFormat.XLSB, FileFormat.ET, FileFormat.ODS, FileFormat.HTML, FileFormat.TXT, FileFormat.PDF,
))}
_INNER_TITLE = re.compile(r"《([^》]+)》")
_NOT_WORDS = re.compile(r"[\s\W_]+")


def title_key(title: str | None) -> str | None:
    """The plan's own title, comparable: a notice's inner 《title》, without spaces or punctuation."""
    if not title:
        return None
    inner = _INNER_TITLE.search(title)
    key = _NOT_WORDS.sub("", inner.group(1) if inner else title)
    return key or None


def _squash(text: str | None) -> str:
    return _NOT_WORDS.sub("", text or "")


def signature(result: DocumentResult) -> frozenset[tuple]:
    """What a file says, row by row, in a form two renditions of one plan share."""
    rows: set[tuple] = set()
    for i in result.indicators:
        rows.add(("i", i.indicator_id or _squash(i.name_raw), i.sub_indicator_id or _squash(i.sub_name_raw),
                  i.target_scope, _squash(i.target_raw), i.deadline))
    for p in result.projects:
        rows.add(("p", _squash(p.name), p.investment_wan))
    for t in result.tasks:
        rows.add(("t", _squash(t.content)[:30]))
    return frozenset(rows)


def _agree(a: DocumentRecord, b: DocumentRecord) -> bool:
    for left, right in ((title_key(a.title), title_key(b.title)), (a.doc_number, b.doc_number),
                        (a.issue_date, b.issue_date), (a.plan_year, b.plan_year)):
        if left is not None and right is not None and left != right:
            return False
    return True


def same_plan(a: DocumentResult, b: DocumentResult, sig_a: frozenset, sig_b: frozenset) -> bool:
    """Whether two read files carry the same plan (see the module docstring for the tests)."""
    da, db = a.document, b.document
    if da.admin_code is None or da.admin_code != db.admin_code or not _agree(da, db):
        return False
    smaller = min(len(sig_a), len(sig_b))
    return smaller >= MIN_ROWS and len(sig_a & sig_b) >= MIN_SHARED * smaller


def _rank(result: DocumentResult) -> tuple:
    doc = result.document
    rows = len(result.indicators) + len(result.projects) + len(result.tasks)
    return (doc.status != Status.OK, _FORMAT_RANK.get(doc.file_format, 99), -rows, doc.doc_id)


def _can_join(group_a: list[int], group_b: list[int], results: Sequence[DocumentResult]) -> bool:
    """Every file of one group agrees with every file of the other on its metadata, so a file
    that states no title cannot bridge two plans with different titles."""
    return all(_agree(results[a].document, results[b].document) for a in group_a for b in group_b)


def group_plans(results: Sequence[DocumentResult]) -> list[DocumentResult]:
    """``results`` in the same order, with plan_id and is_primary set on files that share a plan."""
    candidates = [k for k, r in enumerate(results) if r.document.status in _READ and r.document.admin_code]
    signatures = {k: signature(results[k]) for k in candidates}
    group_of = {k: [k] for k in candidates}  # file → its group (the same list object for all members)
    for n, a in enumerate(candidates):
        for b in candidates[n + 1:]:
            ga, gb = group_of[a], group_of[b]
            if ga is gb or not same_plan(results[a], results[b], signatures[a], signatures[b]):
                continue
            if _can_join(ga, gb, results):
                ga.extend(gb)
                for k in gb:
                    group_of[k] = ga
    out = list(results)
    seen: set[int] = set()
    for members in group_of.values():
        if len(members) < 2 or id(members) in seen:
            continue
        seen.add(id(members))
        primary = min(members, key=lambda k: _rank(results[k]))
        plan_id = results[primary].document.doc_id
        for k in members:
            document = replace(results[k].document, plan_id=plan_id, is_primary=k == primary)
            out[k] = replace(results[k], document=document)
    return out
