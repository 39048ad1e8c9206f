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
    #: a second header row under group cells (``现状值`` over ``2021年 | 2022年``): its cells, or ()
    sub_texts: tuple[str, ...] = ()
    #: per column, the group and sub-header words read together (``现状值 2021年``); () without a sub row
    column_texts: tuple[str, ...] = ()

    def year(self, col: int) -> int | None:
        return self.years[col] if col < len(self.years) else None

    def text(self, col: int) -> str:
        """The header words of one column, a group's words before the sub-header's."""
        return self.column_texts[col] if col < len(self.column_texts) else self.texts[col]

    @property
    def body_start(self) -> int:
        """The first grid row under the header (below the sub-header row, if any)."""
        return self.row_index + (2 if self.sub_texts else 1)

    def is_grouped_year(self, col: int) -> bool:
        """Whether the column is a year under a group cell (``指标值`` over ``2021年``): its role
        is the group's, which a summary's generic group word (指标值) leaves in doubt."""
        if col >= len(self.sub_texts):
            return False
        sub = self.sub_texts[col]
        return squash_header(sub) != squash_header(self.texts[col]) and role_key(sub) == YEAR_ONLY_KEY

    def is_bare_year(self, col: int) -> bool:
        """Whether the column is headed by nothing but a year (``2021年``): target or measured
        value is then for the document to say (:mod:`planingest.interpret.tables.yearroles`)."""
        return col < len(self.texts) and role_key(self.text(col)) == YEAR_ONLY_KEY

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
        kind = table_kind(set(named)) if len(named) >= 3 else None
        if kind is None:
            split = _split_header(rows, index, named)
            if split is not None:
                return split
            continue
        unit = None
        for text, role in zip(cells, roles):
            if role == "investment":
                unit = money_unit(text)
        below = rows[index + 1] if index + 1 < len(rows) else None
        grouped = grouped_columns(tuple(cells), tuple(below)) if below is not None else None
        if grouped is None:
            return Header(index, roles, kind, tuple(cells), unit, tuple(header_year(c) for c in cells))
        texts, roles = grouped
        return Header(index, roles, kind, tuple(cells), unit, tuple(header_year(c) for c in texts),
                      tuple(below), texts)
    return None


def _split_header(rows, index: int, named: list[str]) -> Header | None:
    """A header whose words are split over two rows, neither a header alone (``序号 | 指标名称 |
    2023年度考核情况`` over ``目标值 | 完成值 | 是否达标``, the second row's first cells left
    empty by a text dump).  The top row must name two columns itself (a title row names none)."""
    if len(named) < 2 or index + 1 >= len(rows):
        return None
    top, below = tuple(rows[index]), tuple(rows[index + 1])
    grouped = grouped_columns(top, below)
    if grouped is None:
        return None
    texts, roles = grouped
    names = [r for r in roles if r]
    kind = table_kind(set(names)) if len(names) >= 3 else None
    if kind is None:
        return None
    unit = next((money_unit(t) for t, r in zip(texts, roles) if r == "investment"), None)
    return Header(index, roles, kind, top, unit, tuple(header_year(c) for c in texts), below, texts)


def _is_group(top: tuple[str, ...], col: int) -> bool:
    """A header cell spread over several columns: its text repeated beside it (a resolved
    colspan), or an empty cell right of a text (a text dump writes a group once)."""
    here = squash_header(top[col])
    left = squash_header(top[col - 1]) if col > 0 else ""
    right = squash_header(top[col + 1]) if col + 1 < len(top) else ""
    if here:
        return here in (left, right) or (col + 1 < len(top) and not right)
    return any(squash_header(t) for t in top[:col])  # a group written once, further left


def squash_header(text: str) -> str:
    return _SPACE.sub("", text or "")


def grouped_columns(top: tuple[str, ...], below: tuple[str, ...]
                     ) -> tuple[tuple[str, ...], tuple[str | None, ...]] | None:
    """Column texts and roles when ``below`` is a sub-header row of ``top``, else None.

    ``below`` is one when each of its cells is empty, repeats the cell above (a merge
    resolved by the reader) or is header words, and at least one header word sits under a
    group cell (``现状值`` over ``2021年 | 2022年 | 2023年``; ``目标值`` over ``近期（2025年）|
    远期（2030年）``; ``2023年`` over ``目标值 | 完成值``).  A sub cell that is only a year takes
    its group's role; one with words of its own keeps them, and the group's year if it has none."""
    if len(below) != len(top):
        return None
    vocab = active_header_vocabulary()
    texts, roles, grouped = list(top), [header_role(t, vocab) for t in top], False
    group = ""
    for col, (up, sub) in enumerate(zip(top, below)):
        up_flat, sub_flat = squash_header(up), squash_header(sub)
        group = up if up_flat else group
        if not sub_flat or sub_flat == up_flat:
            continue
        sub_role = header_role(sub, vocab)
        if sub_role is None or not _is_group(top, col):
            return None  # a data row, or words under a header that spans nothing
        group_role = header_role(group, vocab)
        role = (group_role or sub_role) if role_key(sub) == YEAR_ONLY_KEY else sub_role
        # a year under a group of unknown words stays a bare year (the document says what it is)
        named = group_role is not None or role_key(sub) != YEAR_ONLY_KEY
        texts[col] = f"{group.strip()} {sub.strip()}" if named else sub.strip()
        roles[col], grouped = role, True
    return (tuple(texts), tuple(roles)) if grouped else None
