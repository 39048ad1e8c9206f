"""Recognise a table's header row and give each column a role, whatever the column order.

Synonyms live in ``table_headers.csv`` (:mod:`planingest.catalogue.headers`) (role, synonym, match = exact ·
prefix · suffix) so a user who meets a new header wording adds a row there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.catalogue.headers import HeaderVocabulary, load_header_vocabulary
from planingest.core.hanzi import to_simplified

_BRACKETED = re.compile(r"[（(\[【]([^）)\]】]*)[）)\]】]?")
_SPACE = re.compile(r"\s+")
_MONEY_UNIT = re.compile(r"(亿元|万元|元)")
_YEAR = r"(?:19|20)\d{2}(?!\d)"
#: a year or a span of years as a header writes it (2025年, 2025年度, 2021-2025年), cut before matching words
_YEAR_SPAN = re.compile(rf"(?<!\d){_YEAR}(?:年度|年)?(?:(?:-|~|～|—+|－|至|到){_YEAR}(?:年度|年)?)?")
_YEAR_ONLY = re.compile(rf"(?<!\d)({_YEAR})")
#: the word a header that is nothing but a year is matched as (table_headers.csv says what it means)
YEAR_ONLY_KEY = "年"

#: the header vocabulary reading uses; set by the read stage from the run's catalogue folder
_active: HeaderVocabulary | None = None


def use_header_vocabulary(vocab: HeaderVocabulary) -> None:
    """Make ``vocab`` the one header recognition uses in this process (the read stage calls
    this with the run's ``--catalogue`` vocabulary before reading a document)."""
    global _active
    _active = vocab


def active_header_vocabulary() -> HeaderVocabulary:
    """The vocabulary set by :func:`use_header_vocabulary`, else the default folder's
    (for library callers and tests that read without a run); a broken file raises."""
    global _active
    if _active is None:
        _active = load_header_vocabulary()
    return _active


def normalise_header_text(text: str) -> str:
    """Header cell text without whitespace, line wraps or bracketed units, in simplified characters."""
    flat = _SPACE.sub("", to_simplified(text or ""))
    return _BRACKETED.sub("", flat).strip("：:")


def money_unit(text: str) -> str | None:
    """The money unit a header names: 总投资(亿元) → 亿元."""
    match = _MONEY_UNIT.search(_SPACE.sub("", text or ""))
    return match.group(1) if match else None


def header_year(text: str | None) -> int | None:
    """The year a header names, wherever it is written: ``2025年目标值``, ``现状值（2020年）``,
    ``规划目标值2025``, ``近期（2025年）`` → 2025 / 2020; a span (``2021-2025年``) gives its end."""
    years = _YEAR_ONLY.findall(_SPACE.sub("", text or ""))
    return int(years[-1]) if years else None


def role_key(text: str | None) -> str:
    """The words of a header that say its role: whitespace, bracketed notes and years cut
    (``2025年目标值`` → ``目标值``).  A header that is only a year (``2025年``) gives
    :data:`YEAR_ONLY_KEY`, unless its brackets hold words (``2020年（现状值）`` → ``现状值``)."""
    flat = _SPACE.sub("", to_simplified(text or ""))  # traditional headers (指標名稱) read like simplified
    key = _YEAR_SPAN.sub("", _BRACKETED.sub("", flat)).strip("：:")
    if key or not _YEAR_ONLY.search(flat):
        return key
    inner = _YEAR_SPAN.sub("", "".join(_BRACKETED.findall(flat))).strip("：:")
    return inner or YEAR_ONLY_KEY


def header_role(text: str, vocab: HeaderVocabulary | None = None) -> str | None:
    vocab = vocab or active_header_vocabulary()
    key = role_key(text)
    if not key or len(key) > 16:
        return None
    if key in vocab.exact:
        return vocab.exact[key]
    for syn, role in vocab.prefix:
        if key.startswith(syn):
            return role
    for syn, role in vocab.suffix:
        if key.endswith(syn) and len(key) - len(syn) <= 6:
            return role
    return None


@dataclass(frozen=True)
class Header:
    """A recognised header: the row it sits on, a role per column, and the table kind."""

    row_index: int
    roles: tuple[str | None, ...]
    kind: str  # indicators · projects · tasks
    texts: tuple[str, ...]
    money_unit: str | None = None
    years: tuple[int | None, ...] = ()  # per column, the year its header names (2025年目标值 → 2025)

    def year(self, col: int) -> int | None:
        return self.years[col] if col < len(self.years) else None

    def columns(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def column(self, role: str) -> int | None:
        cols = self.columns(role)
        return cols[0] if cols else None


def table_kind(roles: set[str]) -> str | None:
    """Which kind of table a set of header roles describes, if any."""
    if "indicator" in roles and roles & {"target", "departments", "attribute", "unit", "baseline", "assessment"}:
        return "indicators"
    if "project_name" in roles and roles & {"content", "investment", "years", "departments", "progress", "invested"}:
        return "projects"
    if ("task_name" in roles or "content" in roles) and roles & {"departments", "deadline"}:
        return "tasks"
    return None


def row_roles(cells: tuple[str, ...] | list[str]) -> tuple[str | None, ...]:
    vocab = active_header_vocabulary()
    return tuple(header_role(c, vocab) for c in cells)


def is_header_row(cells: tuple[str, ...] | list[str]) -> bool:
    roles = [r for r in row_roles(cells) if r]
    return len(roles) >= 3 and table_kind(set(roles)) is not None


def find_header(rows: tuple[tuple[str, ...], ...] | list, max_scan: int = 8) -> Header | None:
    """The first row among the first ``max_scan`` that reads as a header of a known table kind."""
    for index, cells in enumerate(rows[:max_scan]):
        roles = row_roles(cells)
        named = [r for r in roles if r]
        if len(named) < 3:
            continue
        kind = table_kind(set(named))
        if kind is None:
            continue
        unit = None
        for text, role in zip(cells, roles):
            if role == "investment":
                unit = money_unit(text)
        return Header(index, roles, kind, tuple(cells), unit, tuple(header_year(c) for c in cells))
    return None
