"""Recognise a table's header row and give each column a role, whatever the column order.

Synonyms live in ``catalogue/table_headers.csv`` (role, synonym, match = exact ·
prefix · suffix) so a user who meets a new header wording adds a row there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalogue import catalogue_dir
from catalogue.csvload import read_rows, require_in

ROLES = (
    "domain", "task", "seq", "indicator", "unit", "target", "baseline", "attribute", "departments",
    "deadline", "note", "category", "project_name", "content", "years", "investment", "indicators",
    "task_name",
)
_BRACKETED = re.compile(r"[（(\[【]([^）)\]】]*)[）)\]】]?")
_SPACE = re.compile(r"\s+")
_MONEY_UNIT = re.compile(r"(亿元|万元|元)")


@dataclass(frozen=True)
class HeaderVocabulary:
    exact: dict[str, str]
    prefix: tuple[tuple[str, str], ...]
    suffix: tuple[tuple[str, str], ...]


@lru_cache(maxsize=4)
def load_header_vocabulary(directory: Path | None = None) -> HeaderVocabulary:
    path = catalogue_dir(directory) / "table_headers.csv"
    rows = read_rows(path, ["role", "synonym", "match"], ["note"])
    exact: dict[str, str] = {}
    prefix: list[tuple[str, str]] = []
    suffix: list[tuple[str, str]] = []
    for row in rows:
        require_in(path, row, "role", ROLES)
        require_in(path, row, "match", ("exact", "prefix", "suffix"))
        exact[row["synonym"]] = row["role"]
        if row["match"] == "prefix":
            prefix.append((row["synonym"], row["role"]))
        elif row["match"] == "suffix":
            suffix.append((row["synonym"], row["role"]))
    # longest synonyms first so 指标值 wins over 指标 / 目标
    prefix.sort(key=lambda p: -len(p[0]))
    suffix.sort(key=lambda p: -len(p[0]))
    return HeaderVocabulary(exact, tuple(prefix), tuple(suffix))


def normalise_header_text(text: str) -> str:
    """Header cell text without whitespace, line wraps or bracketed units."""
    flat = _SPACE.sub("", text or "")
    return _BRACKETED.sub("", flat).strip("：:")


def money_unit(text: str) -> str | None:
    """The money unit a header names: 总投资(亿元) → 亿元."""
    match = _MONEY_UNIT.search(_SPACE.sub("", text or ""))
    return match.group(1) if match else None


def header_role(text: str, vocab: HeaderVocabulary | None = None) -> str | None:
    vocab = vocab or load_header_vocabulary()
    key = normalise_header_text(text)
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

    def columns(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def column(self, role: str) -> int | None:
        cols = self.columns(role)
        return cols[0] if cols else None


def table_kind(roles: set[str]) -> str | None:
    """Which kind of table a set of header roles describes, if any."""
    if "indicator" in roles and roles & {"target", "departments", "attribute", "unit"}:
        return "indicators"
    if "project_name" in roles and roles & {"content", "investment", "years", "departments"}:
        return "projects"
    if ("task_name" in roles or "content" in roles) and roles & {"departments", "deadline"}:
        return "tasks"
    return None


def row_roles(cells: tuple[str, ...] | list[str]) -> tuple[str | None, ...]:
    vocab = load_header_vocabulary()
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
        return Header(index, roles, kind, tuple(cells), unit)
    return None
