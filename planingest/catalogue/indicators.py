"""The indicator catalogue (2021 revision) as data, and its validating loader.

Five CSV files under :func:`catalogue.catalogue_dir` hold everything a matcher needs
to know about indicators: the 42 entries, their sub-indicators, other wordings of
the same entry (aliases), other catalogue versions (crosswalk) and known local
indicators.  A user who holds the official text corrects these files, not code;
the loader therefore checks every cross-reference and fails on the first bad edit
with a :class:`CatalogueError` naming ``file:line`` and the cause.

Name collisions are checked on :func:`planingest.core.names.name_key`, the same key
the matcher compares, so "two wordings that look different" cannot silently be
the same key pointing at two entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.csvload import read_rows, require_in, require_unique
from planingest.core.errors import CatalogueError
from planingest.core.names import name_key

DOMAINS = ("生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化")
ATTRIBUTES = ("约束性", "参考性")
SCOPES = ("市县", "市", "县", "市县（沿海）")
VERSIONS = ("2016", "2019", "2024")
#: changed_target: the same measure with another target; changed_measure: the same slot measured another way;
#: retired: an older list's indicator with no 2021 entry; new: a newer list's indicator with no 2021 entry
RELATIONS = ("same", "renamed", "replaced", "changed", "changed_target", "changed_measure", "retired", "new")
#: relations that leave indicator_id empty, and the versions each may be used for
NO_ENTRY = {"retired": ("2016", "2019"), "new": ("2024",)}

_ID = re.compile(r"^I\d{2}$")
_SUB_ID = re.compile(r"^(I\d{2})\.\d{1,2}$")
_SCOPED_ATTRIBUTE = re.compile(r"^(?P<scope>[^:：；;]+)[:：](?P<value>[^:：；;]+)$")

INDICATORS = "indicators.csv"
SUBS = "sub_indicators.csv"
ALIASES = "indicator_aliases.csv"
CROSSWALK = "crosswalk.csv"
LOCALS = "local_indicators.csv"


@dataclass(frozen=True)
class IndicatorEntry:
    id: str
    county_seq: int | None
    domain: str
    task: str
    name: str
    unit: str | None
    target: str | None
    attribute: str  # 约束性 · 参考性 · "市:约束性；县:参考性"
    scope: str
    scope_variants: tuple[str, ...]  # target variants such as 山区/丘陵地区/平原地区 (not sub-indicators)
    source_note: str | None

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"


@dataclass(frozen=True)
class SubIndicator:
    sub_id: str
    parent_id: str
    name: str
    unit: str | None
    target: str | None
    source_note: str | None = None

    @property
    def label(self) -> str:
        return f"{self.sub_id} {self.name}"


@dataclass(frozen=True)
class IndicatorAlias:
    alias: str
    indicator_id: str
    sub_indicator_id: str | None
    note: str | None


@dataclass(frozen=True)
class CrosswalkRow:
    version: str
    name: str
    indicator_id: str | None  # None: retired (an older list's) or new (a newer list's), no 2021 entry
    sub_indicator_id: str | None
    relation: str
    parent: str | None  # the parent's wording in that version, for a row that was a sub-indicator there
    note: str | None

    @property
    def is_retired(self) -> bool:
        return self.relation == "retired"

    @property
    def is_new(self) -> bool:
        """An indicator of a newer list (2024) that the 2021 catalogue lacks."""
        return self.relation == "new"


@dataclass(frozen=True)
class LocalIndicator:
    name: str
    region: str | None
    parent_id: str | None  # set for a local sub-indicator under a catalogue indicator
    note: str | None


@dataclass(frozen=True)
class IndicatorCatalogue:
    entries: tuple[IndicatorEntry, ...]
    subs: tuple[SubIndicator, ...]
    aliases: tuple[IndicatorAlias, ...]
    crosswalk: tuple[CrosswalkRow, ...]
    locals: tuple[LocalIndicator, ...]

    def entry(self, indicator_id: str) -> IndicatorEntry:
        for entry in self.entries:
            if entry.id == indicator_id:
                return entry
        raise KeyError(indicator_id)

    def sub(self, sub_id: str) -> SubIndicator:
        for sub in self.subs:
            if sub.sub_id == sub_id:
                return sub
        raise KeyError(sub_id)

    def subs_of(self, indicator_id: str) -> tuple[SubIndicator, ...]:
        return tuple(s for s in self.subs if s.parent_id == indicator_id)


def load_indicator_catalogue(directory: Path | None = None) -> IndicatorCatalogue:
    """Read and cross-check the five indicator files; raise CatalogueError on the first problem."""
    folder = Path(directory) if directory is not None else catalogue_dir()
    claims = _KeyClaims()
    entries = _load_entries(folder / INDICATORS, claims)
    ids = {e.id for e in entries}
    subs = _load_subs(folder / SUBS, ids, claims)
    sub_parent = {s.sub_id: s.parent_id for s in subs}
    aliases = _load_aliases(folder / ALIASES, ids, sub_parent, claims)
    crosswalk = _load_crosswalk(folder / CROSSWALK, ids, sub_parent, claims)
    locals_ = _load_locals(folder / LOCALS, ids, claims)
    return IndicatorCatalogue(tuple(entries), tuple(subs), tuple(aliases), tuple(crosswalk), tuple(locals_))


def _opt(value: str) -> str | None:
    return value or None


def _fail(path: Path, row: dict[str, str], message: str) -> CatalogueError:
    return CatalogueError(f"{path}:{row['_line']}: {message}")


def _check_attribute(path: Path, row: dict[str, str]) -> None:
    """约束性 / 参考性, or per scope: ``市:约束性；县:参考性``."""
    value = row["attribute"]
    if value in ATTRIBUTES:
        return
    parts = re.split(r"[；;]", value)
    for part in parts:
        match = _SCOPED_ATTRIBUTE.match(part.strip())
        if not match or match.group("value").strip() not in ATTRIBUTES:
            raise _fail(path, row, f"attribute {value!r} is not 约束性, 参考性 or '市:约束性；县:参考性'")


def _load_entries(path: Path, claims: _KeyClaims) -> list[IndicatorEntry]:
    rows = read_rows(path, ("id", "domain", "task", "name", "attribute", "scope"),
                     ("county_seq", "unit", "target", "scope_variants", "source_note"))
    require_unique(path, rows, "id")
    seqs: dict[int, str] = {}
    entries = []
    for row in rows:
        if not _ID.match(row["id"]):
            raise _fail(path, row, f"id {row['id']!r} is not of the form I01")
        require_in(path, row, "domain", DOMAINS)
        require_in(path, row, "scope", SCOPES)
        _check_attribute(path, row)
        seq = None
        if row.get("county_seq"):
            if not row["county_seq"].isdigit():
                raise _fail(path, row, f"county_seq {row['county_seq']!r} is not a whole number")
            seq = int(row["county_seq"])
            if seq in seqs:
                raise _fail(path, row, f"county_seq {seq} is already used by {seqs[seq]}")
            seqs[seq] = row["id"]
        variants = tuple(v.strip() for v in row.get("scope_variants", "").split("|") if v.strip())
        claims.claim(row["name"], (row["id"], None), path, row)
        entries.append(IndicatorEntry(
            id=row["id"], county_seq=seq, domain=row["domain"], task=row["task"], name=row["name"],
            unit=_opt(row.get("unit", "")), target=_opt(row.get("target", "")), attribute=row["attribute"],
            scope=row["scope"], scope_variants=variants, source_note=_opt(row.get("source_note", "")),
        ))
    return entries


def _load_subs(path: Path, ids: set[str], claims: _KeyClaims) -> list[SubIndicator]:
    rows = read_rows(path, ("sub_id", "parent_id", "name"), ("unit", "target", "source_note"))
    require_unique(path, rows, "sub_id")
    subs = []
    for row in rows:
        match = _SUB_ID.match(row["sub_id"])
        if not match:
            raise _fail(path, row, f"sub_id {row['sub_id']!r} is not of the form I07.1")
        if row["parent_id"] not in ids:
            raise _fail(path, row, f"parent_id {row['parent_id']!r} is not an indicator in {INDICATORS}")
        if match.group(1) != row["parent_id"]:
            raise _fail(path, row, f"sub_id {row['sub_id']!r} does not start with its parent_id {row['parent_id']!r}")
        claims.claim(row["name"], (row["parent_id"], row["sub_id"]), path, row)
        subs.append(SubIndicator(row["sub_id"], row["parent_id"], row["name"], _opt(row.get("unit", "")),
                                 _opt(row.get("target", "")), _opt(row.get("source_note", ""))))
    return subs


def _check_target(path: Path, row: dict[str, str], ids: set[str], sub_parent: dict[str, str]) -> None:
    """indicator_id must exist; a sub_indicator_id must exist and belong to it."""
    indicator_id, sub_id = row.get("indicator_id", ""), row.get("sub_indicator_id", "")
    if indicator_id and indicator_id not in ids:
        raise _fail(path, row, f"indicator_id {indicator_id!r} is not an indicator in {INDICATORS}")
    if sub_id:
        if sub_id not in sub_parent:
            raise _fail(path, row, f"sub_indicator_id {sub_id!r} is not in {SUBS}")
        if sub_parent[sub_id] != indicator_id:
            raise _fail(path, row, f"sub_indicator_id {sub_id!r} belongs to {sub_parent[sub_id]}, not {indicator_id!r}")


def _load_aliases(path: Path, ids: set[str], sub_parent: dict[str, str], claims: _KeyClaims) -> list[IndicatorAlias]:
    rows = read_rows(path, ("alias", "indicator_id"), ("sub_indicator_id", "note"))
    require_unique(path, rows, "alias")
    aliases = []
    for row in rows:
        _check_target(path, row, ids, sub_parent)
        claims.claim(row["alias"], (row["indicator_id"], row.get("sub_indicator_id") or None), path, row)
        aliases.append(IndicatorAlias(row["alias"], row["indicator_id"], _opt(row.get("sub_indicator_id", "")),
                                      _opt(row.get("note", ""))))
    return aliases


def _load_crosswalk(path: Path, ids: set[str], sub_parent: dict[str, str], claims: _KeyClaims) -> list[CrosswalkRow]:
    rows = read_rows(path, ("version", "name", "relation"),
                     ("indicator_id", "sub_indicator_id", "parent", "note"))
    seen: dict[tuple[str, str], str] = {}
    result = []
    for row in rows:
        require_in(path, row, "version", VERSIONS)
        require_in(path, row, "relation", RELATIONS)
        key = (row["version"], name_key(row["name"]))
        if key in seen:
            raise _fail(path, row, f"{row['version']} {row['name']!r} is listed twice (first on line {seen[key]})")
        seen[key] = row["_line"]
        relation = row["relation"]
        no_entry = relation in NO_ENTRY
        if no_entry and (row.get("indicator_id") or row.get("sub_indicator_id")):
            raise _fail(path, row, f"a {relation} row must leave indicator_id and sub_indicator_id empty")
        if no_entry and row["version"] not in NO_ENTRY[relation]:
            raise _fail(path, row, f"relation {relation!r} is for version(s) {', '.join(NO_ENTRY[relation])}, "
                                   f"not {row['version']} (retired: an older list; new: a newer one)")
        if not no_entry and not row.get("indicator_id"):
            raise _fail(path, row, f"relation {relation!r} needs an indicator_id "
                                   f"(or use relation retired / new)")
        _check_target(path, row, ids, sub_parent)
        target = (relation, None) if no_entry else (row["indicator_id"], row.get("sub_indicator_id") or None)
        claims.claim(row["name"], target, path, row)
        result.append(CrosswalkRow(row["version"], row["name"], _opt(row.get("indicator_id", "")),
                                   _opt(row.get("sub_indicator_id", "")), row["relation"],
                                   _opt(row.get("parent", "")), _opt(row.get("note", ""))))
    for row, parsed in zip(rows, result):
        if parsed.parent and (parsed.version, name_key(parsed.parent)) not in seen:
            raise _fail(path, row, f"parent {parsed.parent!r} is not a {parsed.version} row of this file")
    return result


def _load_locals(path: Path, ids: set[str], claims: _KeyClaims) -> list[LocalIndicator]:
    rows = read_rows(path, ("name",), ("region", "parent_id", "note"))
    require_unique(path, rows, "name")
    result = []
    for row in rows:
        if row.get("parent_id") and row["parent_id"] not in ids:
            raise _fail(path, row, f"parent_id {row['parent_id']!r} is not an indicator in {INDICATORS}")
        claims.claim(row["name"], ("local", row.get("parent_id") or None), path, row)
        result.append(LocalIndicator(row["name"], _opt(row.get("region", "")), _opt(row.get("parent_id", "")),
                                     _opt(row.get("note", ""))))
    return result


class _KeyClaims:
    """No wording may stand for two different things once normalised.

    Each wording claims its key for a target (an indicator, a sub-indicator, "retired"
    or "local"); a second claim on the same key for a different target is an error
    naming both places.  Claims for the same target are fine (an alias that repeats
    the catalogue name, a 2019 row whose wording did not change).
    """

    def __init__(self) -> None:
        self._claims: dict[str, tuple[tuple, str, str]] = {}

    def claim(self, wording: str, target: tuple, path: Path, row: dict[str, str]) -> None:
        where = f"{path}:{row['_line']}"
        key = name_key(wording)
        if not key:
            raise CatalogueError(f"{where}: {wording!r} is empty once spaces and punctuation are removed")
        previous = self._claims.get(key)
        if previous is None:
            self._claims[key] = (target, where, wording)
        elif previous[0] != target:
            other_target, other_where, other_wording = previous
            raise CatalogueError(
                f"{where}: {wording!r} stands for {_describe(target)}, but the same name "
                f"{other_wording!r} ({other_where}) stands for {_describe(other_target)}"
            )


def _describe(target: tuple) -> str:
    head, sub = target
    if head == "retired":
        return "a retired indicator"
    if head == "new":
        return "an indicator new in 2024 (no 2021 entry)"
    if head == "local":
        return "a local indicator" + (f" under {sub}" if sub else "")
    return sub or head
