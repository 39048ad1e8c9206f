"""The review workbook's layout: sheet names, header texts, what goes in a row.

The layout is shared by ``planingest review``, which writes the workbook
(:mod:`planingest.review.workbook`), and ``planingest accept``, which reads it back
and finds its columns by these header texts, so a person may reorder or hide
columns freely.  Columns are ordered by what a person needs to decide: the text,
the decision, the best candidate, then what the document says around the text
(the indicator it is listed under, unit, target, departments, document, page),
then the rest; only the first part is printed (:func:`printed_columns`).
"""
from __future__ import annotations

from dataclasses import dataclass

from planingest.core.enums import ReviewKind
from planingest.core.i18n import LANGS, N_, _, translate

KINDS: tuple[str, ...] = tuple(kind.value for kind in ReviewKind)
IGNORE, LOCAL = N_("ignore"), N_("local")  # decision words; shown and read in either language
N_SUGGESTIONS = {"indicator": 3, "department": 1, "region": 1, "document": 0}
RAW, DECISION, REASON, UNDER = N_("raw"), N_("decision"), N_("reason"), N_("listed under")
UNIT, TARGET, DEPARTMENTS, PAGE, IN_ROW = N_("unit"), N_("target"), N_("departments"), N_("page"), N_("in the row")
DOCUMENT, LOCATOR, REGION, DOC_ID = N_("document"), N_("locator"), N_("document region"), "doc_id"
README, LISTS, CARRIED = N_("README"), N_("lists"), N_("carried over")
KIND, WHY = N_("kind"), N_("why")
_KIND_WORDS = (N_("indicator"), N_("department"), N_("region"), N_("document"))

#: what the document says around the text, per kind (after the first suggestion)
_CONTEXT = {
    "indicator": (UNDER, UNIT, TARGET, DEPARTMENTS),
    "department": (IN_ROW, TARGET),
    "region": (),
    "document": (),
}
#: the last column printed: what a person needs to decide; the rest is for machines and filters
_LAST_PRINTED = REASON


@dataclass(frozen=True)
class ReviewRow:
    kind: str
    raw: str
    suggestions: tuple[tuple[str, float | None], ...]  # (candidate, score 0-100), best first
    reason: str
    document: str  # source_path
    locator: str
    region: str | None  # the document's region, province → county ("湖南省怀化市靖州苗族侗族自治县")
    doc_id: str
    under: str | None = None  # indicator sub-rows: the indicator they are listed under
    unit: str | None = None  # the unit, target and departments of the table row the text is in
    target: str | None = None
    departments: str | None = None
    in_row: str | None = None  # department items: the indicator, project or task the unit is responsible for
    page: int | None = None
    choices: tuple[str, ...] | None = None  # the valid decisions for this row; None: every choice of its kind
    decision: str | None = None  # a decision carried over from the previous workbook


def _suggestion(i: int) -> tuple[str, str]:
    return f"suggestion {i}", f"score {i}"


# --------------------------------------------------------------------------
# names as the workbook shows them, and back
# --------------------------------------------------------------------------
# The names above are the identifiers the code uses; a workbook shows them in the
# reader's language (sheet names, headers, the kinds in the note sheet).  Reading a
# workbook back accepts either language, so a workbook written in Chinese can be
# accepted by someone working in English and the other way round.


def label(name: str, lang: str | None = None) -> str:
    """The header, sheet name or kind ``name`` as shown (in ``lang``, default the current language)."""
    words, _sep, number = name.rpartition(" ")
    if words in ("suggestion", "score") and number.isdigit():
        text = {"suggestion": N_("suggestion {i}"), "score": N_("score {i}")}[words]
        return (translate(text, lang) if lang else _(text)).format(i=number)
    return translate(name, lang) if lang else _(name)


def _known_names() -> tuple[str, ...]:
    most = max(N_SUGGESTIONS.values())
    return (*{h for kind in KINDS for h in columns(kind)}, *(h for i in range(1, most + 1) for h in _suggestion(i)),
            README, LISTS, CARRIED, KIND, WHY, *KINDS)


def name_of(text: str) -> str:
    """The identifier a shown header, sheet name or kind stands for, in any language; ``text`` if none."""
    for name in _known_names():
        if any(text == label(name, lang) for lang in LANGS):
            return name
    return text


def shown_decision(value):
    """A decision as the workbook shows it: the words ignore and local in the reader's language."""
    return label(value) if value in (IGNORE, LOCAL) else value


def decision_of(text: str) -> str:
    """The decision a typed cell stands for: ignore/local in any language (any case) as the word the rules
    know; anything else (an ID, a name, a code) as typed."""
    folded = text.strip().casefold()
    for word in (IGNORE, LOCAL):
        if any(folded == label(word, lang).casefold() for lang in LANGS):
            return word
    return text


def sheet_named(wb, name: str):
    """The worksheet of ``wb`` that shows ``name`` in any language, else None."""
    for lang in LANGS:
        title = label(name, lang)
        if title in wb.sheetnames:
            return wb[title]
    return None


def columns(kind: str) -> tuple[str, ...]:
    """The header of one sheet, left to right."""
    n = N_SUGGESTIONS[kind]
    first = _suggestion(1) if n else ()
    more = tuple(h for i in range(2, n + 1) for h in _suggestion(i))
    return (RAW, DECISION, *first, *_CONTEXT[kind], DOCUMENT, PAGE, REASON, *more, LOCATOR, REGION, DOC_ID)


def printed_columns(kind: str) -> int:
    """How many columns from the left make the printed page (the rest are for filters and ``accept``)."""
    return columns(kind).index(_LAST_PRINTED) + 1


def cells(row: ReviewRow) -> dict[str, object]:
    """The row's value under each header of its sheet."""
    values: dict[str, object] = {
        RAW: row.raw, DECISION: row.decision, REASON: row.reason, UNDER: row.under, UNIT: row.unit,
        TARGET: row.target, DEPARTMENTS: row.departments, IN_ROW: row.in_row, DOCUMENT: row.document,
        PAGE: row.page, LOCATOR: row.locator, REGION: row.region, DOC_ID: row.doc_id,
    }
    for i, (candidate, score) in enumerate(row.suggestions[:N_SUGGESTIONS[row.kind]], start=1):
        name, score_name = _suggestion(i)
        values[name], values[score_name] = candidate, score
    return values
