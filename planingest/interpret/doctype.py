"""What kind of document a file is (documents.doc_type), from its title, headings and content.

The words are data (``catalogue/data/doc_types.csv``).  The order of evidence:

1. the topic: a file with readable text but no topic word (生态文明建设示范…) in its
   title or text, and no catalogue indicator in its tables, is ``unrelated`` (a news
   page, a sponge-city notice, a tourism page);
2. the title: the type word nearest its end governs ("2021年工作总结及2022年工作
   计划" plans 2022); a work-plan word with a single year in the title is one
   year's work;
3. a covering notice, an announcement (公示, 政策解读) or a forwarded document is a
   ``notice``, unless it carries plan content: a covering notice with the plan it
   issues in the file (table rows or numbered sections) takes that plan's type,
   read from the plan's own name (关于印发《X县2020年…方案》的通知 → X县2020年…方案);
   a notice with task or indicator rows of its own is a work plan in all but name;
4. without a title, the headings and phrases of the text (年度重点推进工作任务,
   主要成效, 自查情况 …): the type with the most hits, at least two.

Text in traditional characters is folded first.  ``unknown`` when none of this
can tell.
"""
from __future__ import annotations

import re
from collections import Counter

from planingest.catalogue.docwords import DocTypeWords, load_doc_type_words
from planingest.core.enums import DocType
from planingest.core.hanzi import to_simplified
from planingest.interpret.metadata import issued_plan_title, plan_year

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+、", re.MULTILINE)
_FORWARD = re.compile(r"转发")
_MIN_TEXT = 30  # CJK characters below which a file says too little to be called unrelated
_MIN_BODY_HITS = 2
_ONE_YEAR_TYPES = {DocType.WORK_PLAN}


def classify(title: str | None, text: str, *, n_rows: int = 0, n_catalogue_indicators: int = 0,
             words: DocTypeWords | None = None) -> DocType:
    """The DocType of a document with this title and prose (see the module docstring)."""
    words = words or load_doc_type_words()
    title = to_simplified(title or "")
    text = to_simplified(text or "")
    if len(_CJK.findall(title + text)) < _MIN_TEXT and not title:
        return DocType.UNKNOWN
    if not is_on_topic(title + "\n" + text, words) and n_catalogue_indicators < 3:
        return DocType.UNRELATED
    has_content = n_rows > 0 or len(_SECTION.findall(text)) >= 2
    if title:
        outer = title_type(title, words)
        if _FORWARD.search(title):
            return DocType.NOTICE  # a forwarded document is not the forwarding body's plan
        if outer == DocType.NOTICE:
            # a covering notice: the plan it issues when that plan is in the file, else a notice
            own = issued_plan_title(title)
            inner = title_type(own, words) if own else None
            if inner is not None and inner != DocType.NOTICE:
                return _one_year(inner, own or title) if has_content else DocType.NOTICE
            if n_rows > 0:  # a notice that carries its own task table: a plan in all but name
                return _one_year(body_type(text, words) or DocType.WORK_PLAN, title)
            return DocType.NOTICE
        if outer is not None:
            return _one_year(outer, title)
    kind = body_type(text, words)
    if kind is None:
        return DocType.UNKNOWN
    return DocType.ANNUAL_PLAN if kind in _ONE_YEAR_TYPES and plan_year(None, text.splitlines()) else kind


def is_on_topic(text: str, words: DocTypeWords | None = None) -> bool:
    """Whether the text is about ecological-civilisation demonstration zones at all."""
    words = words or load_doc_type_words()
    flat = re.sub(r"\s+", "", to_simplified(text or ""))
    return any(word in flat for word in words.topic)


def title_type(title: str, words: DocTypeWords | None = None) -> DocType | None:
    """The type word nearest the end of the title (the longer word on a tie); None without one."""
    words = words or load_doc_type_words()
    best: tuple[int, int, DocType] | None = None
    for word, kind in words.title:
        end = title.rfind(word)
        if end < 0:
            continue
        key = (end + len(word), len(word), kind)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def body_type(text: str, words: DocTypeWords | None = None) -> DocType | None:
    """The type whose headings and phrases the text holds most often (at least twice, no tie)."""
    words = words or load_doc_type_words()
    counts: Counter = Counter()
    for word, kind in words.body:
        counts[kind] += text.count(word)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _MIN_BODY_HITS or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


#: a single year of a title ("2023年"), not an end of a range ("2021—2025年")
_TITLE_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})\s*年(?!\s*[\-—–~～至到]\s*(?:19|20)\d{2})")
_REPORTING = frozenset({DocType.SUMMARY, DocType.SELF_ASSESSMENT})


def reported_year(title: str | None, words: DocTypeWords | None = None) -> int | None:
    """The year a title says it reports on: the last single year whose own part of the title
    (up to the next year) ends in a summary word ("2023年工作总结和2024年工作思路" → 2023,
    "2021年工作总结及2022年工作计划" → 2021); None when no year governs a summary word.

    A title that mixes kinds is typed by the word nearest its end, but its tables still
    report on the summary's year: that year's columns are measured values, not targets."""
    if not title:
        return None
    years = list(_TITLE_YEAR.finditer(title))
    for i in range(len(years) - 1, -1, -1):
        segment = title[years[i].end(): years[i + 1].start() if i + 1 < len(years) else len(title)]
        if title_type(segment, words) in _REPORTING:
            return int(years[i].group(1))
    return None


def _one_year(kind: DocType, title: str) -> DocType:
    """A work plan for one named year is that year's work (annual_plan)."""
    if kind in _ONE_YEAR_TYPES and plan_year(title, []) is not None:
        return DocType.ANNUAL_PLAN
    return kind
