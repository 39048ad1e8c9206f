"""Every wording the indicator catalogue knows, keyed for lookup, fuzzy ranking and text scanning.

Built once per catalogue by :class:`planingest.normalize.indicators.IndicatorMatcher`.  The
catalogue loader has already guaranteed that one key never stands for two
different targets, so a plain dict is enough; where several files list the same
wording, the most specific kind wins (catalogue name > sub-indicator > alias >
crosswalk), which decides the reported method and version only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import cached_property

import jieba
from rapidfuzz import fuzz, process

from planingest.catalogue.indicators import IndicatorCatalogue
from planingest.core.names import name_key

# kinds, most specific first; NEW: a newer list's indicator with no 2021 entry (crosswalk relation new)
NAME, SUB, ALIAS, CROSSWALK, RETIRED, NEW, LOCAL = "name", "sub", "alias", "crosswalk", "retired", "new", "local"
_PRECEDENCE = {NAME: 0, SUB: 1, ALIAS: 2, CROSSWALK: 3, RETIRED: 3, NEW: 3, LOCAL: 4}
#: wordings that stand for no catalogue entry
NO_ENTRY = (LOCAL, RETIRED, NEW)

jieba.setLogLevel(logging.WARNING)
_TOKENIZER = jieba.Tokenizer()


@dataclass(frozen=True)
class Wording:
    """One way of writing one target, and where the catalogue says so."""

    text: str
    key: str
    kind: str
    indicator_id: str | None  # None for retired, new and local wordings
    sub_id: str | None
    version: str | None  # "2021" for catalogue names, the crosswalk's version (None when two versions write it
    # alike: 森林覆盖率 is a 2016-era and a 2024 wording), None for aliases and locals
    parent: str | None = None  # crosswalk: the parent's key in that version; local: the catalogue parent ID
    note: str | None = None

    @property
    def target(self) -> tuple:
        """What the wording stands for; two wordings with one target are interchangeable."""
        if self.kind in NO_ENTRY:
            return (self.kind, self.key)
        return (self.indicator_id, self.sub_id)


@dataclass(frozen=True)
class Candidate:
    wording: Wording
    score: float


def tokens(key: str) -> str:
    """jieba words of a key, space-joined, for a word-order-insensitive score."""
    return " ".join(w for w in _TOKENIZER.lcut(key) if w.strip())


class WordingIndex:
    def __init__(self, catalogue: IndicatorCatalogue):
        self.catalogue = catalogue
        self.labels = {e.id: e.label for e in catalogue.entries}
        self.labels.update({s.sub_id: s.label for s in catalogue.subs})
        self.by_key: dict[str, Wording] = {}
        for wording in _wordings(catalogue):
            current = self.by_key.get(wording.key)
            if current is None or _PRECEDENCE[wording.kind] < _PRECEDENCE[current.kind]:
                self.by_key[wording.key] = wording
            elif current.kind == wording.kind == CROSSWALK and current.version != wording.version:
                self.by_key[wording.key] = replace(current, version=None)  # evidence of no one version
        self.scopes: dict[str, dict[str, str]] = {
            e.id: {name_key(v): v for v in e.scope_variants} for e in catalogue.entries
        }
        self._fuzzy_keys = list(self.by_key)
        self._mention_starts = _by_first_char(self.by_key)
        self._prefixes = _unique_prefixes(self.by_key.values())

    @cached_property
    def _fuzzy_tokens(self) -> dict[str, str]:
        """jieba words of every wording, built at the first fuzzy ranking: loading jieba's
        dictionary takes about a second, which a run with nothing new to normalise never needs."""
        return {k: tokens(k) for k in self._fuzzy_keys}

    def lookup(self, key: str) -> Wording | None:
        return self.by_key.get(key)

    def label(self, wording: Wording) -> str:
        if wording.indicator_id is None:
            return wording.text
        return self.labels[wording.sub_id or wording.indicator_id]

    def is_scope(self, indicator_id: str | None, key: str) -> bool:
        return indicator_id is not None and key in self.scopes.get(indicator_id, {})

    def is_any_scope(self, key: str) -> bool:
        return any(key in scopes for scopes in self.scopes.values())

    # -- fuzzy -------------------------------------------------------------------------------

    def rank(self, key: str, keys: list[str] | None = None, limit: int = 8) -> list[Candidate]:
        """Best candidates for ``key``, one per target, highest score first.

        The score (0-100) averages a character-level similarity (robust to a dropped or
        changed character) and a jieba word-order-insensitive similarity (robust to
        reordered words).  Neither rewards a mere substring: 生态文明建设 is not
        生态文明建设规划.
        """
        pool = self._fuzzy_keys if keys is None else keys
        if not key or not pool:
            return []
        rough = process.extract(key, pool, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=40)
        query_tokens = tokens(key)
        best: dict[tuple, Candidate] = {}
        for candidate_key, char_score, _ in rough:
            word_score = fuzz.token_sort_ratio(query_tokens, self._fuzzy_tokens.get(candidate_key)
                                               or tokens(candidate_key))
            score = round((char_score + word_score) / 2, 1)
            wording = self.by_key[candidate_key]
            if wording.target not in best or best[wording.target].score < score:
                best[wording.target] = Candidate(wording, score)
        return sorted(best.values(), key=lambda c: -c.score)[:limit]

    # -- scanning free text -----------------------------------------------------------------

    def scan(self, key_text: str) -> list[tuple[int, Wording]]:
        """Known wordings in a keyed text, longest first at each position, non-overlapping."""
        found = []
        i = 0
        while i < len(key_text):
            for candidate in self._mention_starts.get(key_text[i], ()):
                if key_text.startswith(candidate.key, i):
                    found.append((i, candidate))
                    i += len(candidate.key)
                    break
            else:
                i += 1
        return found

    def unique_prefix(self, key: str) -> Wording | None:
        """The one indicator whose known wordings alone start with ``key`` (a truncated name)."""
        return self._prefixes.get(key)


def _wordings(catalogue: IndicatorCatalogue):
    for entry in catalogue.entries:
        yield Wording(entry.name, name_key(entry.name), NAME, entry.id, None, "2021")
    for sub in catalogue.subs:
        yield Wording(sub.name, name_key(sub.name), SUB, sub.parent_id, sub.sub_id, "2021")
    for alias in catalogue.aliases:
        yield Wording(alias.alias, name_key(alias.alias), ALIAS, alias.indicator_id, alias.sub_indicator_id, None,
                      note=alias.note)
    for row in catalogue.crosswalk:
        kind = RETIRED if row.is_retired else NEW if row.is_new else CROSSWALK
        parent = name_key(row.parent) if row.parent else None
        yield Wording(row.name, name_key(row.name), kind, row.indicator_id, row.sub_indicator_id, row.version,
                      parent=parent, note=row.note)
    for local in catalogue.locals:
        yield Wording(local.name, name_key(local.name), LOCAL, None, None, None, parent=local.parent_id,
                      note=local.note or local.region)


def _by_first_char(by_key: dict[str, Wording]) -> dict[str, tuple[Wording, ...]]:
    starts: dict[str, list[Wording]] = {}
    for key, wording in by_key.items():
        starts.setdefault(key[0], []).append(wording)
    return {c: tuple(sorted(ws, key=lambda w: -len(w.key))) for c, ws in starts.items()}


MIN_PREFIX = 6


def _unique_prefixes(wordings) -> dict[str, Wording]:
    """Map each proper prefix (≥ MIN_PREFIX characters) to the wording it can only have come from.

    A prefix shared by wordings of two different targets, or by a local, retired or
    new wording, is dropped: a truncated cell that could be either is left alone.
    """
    owners: dict[str, set[tuple]] = {}
    sample: dict[str, Wording] = {}
    for wording in wordings:
        for end in range(MIN_PREFIX, len(wording.key)):
            prefix = wording.key[:end]
            owners.setdefault(prefix, set()).add(wording.indicator_id or wording.target)
            if wording.kind not in NO_ENTRY:
                sample.setdefault(prefix, wording)
    return {p: sample[p] for p, targets in owners.items()
            if len(targets) == 1 and p in sample}
