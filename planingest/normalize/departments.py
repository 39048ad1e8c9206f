"""Responsible-unit cells (责任单位 / 牵头部门 / …) → canonical department names.

A cell holds several units, separated by 、 ， ； / or by a space or line break,
and a unit may itself be wrapped over lines ("怀化市生态环境\\n局靖州分局").  Only the
vocabulary can tell a wrap from a separator, so :meth:`DepartmentNormalizer.split_units`
asks it: of all ways to cut the whitespace-separated pieces into units, it keeps
the one that leaves the fewest unrecognised units (and, at equal cost, the most
units).

Each unit is then matched on an ordered ladder, the first rung that fires wins:

1. ``exact``   a reduced form *is* a canonical name (县统计局 → 统计局);
2. ``alias``   a reduced form is a row of department_aliases.csv (县国土局 → 国土局);
3. ``pattern`` a reduced form fits a ``map`` row of department_patterns.csv
   (怀化市生态环境局靖州分局 → 生态环境局);
4. ``fuzzy``   rapidfuzz ratio against every name and alias: accepted only at
   :data:`FUZZY_ACCEPT` or more, otherwise kept as a *suggestion* for review;
5. ``none``    nothing: the unit stays in its raw form and goes to review.

The reduced forms are the unit and what the ``rewrite`` rows of
department_patterns.csv make of it, step by step (县委组织部 → 党委组织部;
柳州市鹿寨县水利局 → 鹿寨县水利局 → 水利局); longer forms are tried first, so a
prefix is only stripped when the whole name is not known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from planingest.catalogue.departments import DepartmentVocabulary, department_key, load_department_vocabulary
from planingest.core.errors import CatalogueError

#: a fuzzy score (0-100) at which a unit is mapped without review
FUZZY_ACCEPT = 95.0
#: a fuzzy score at which the best candidate is offered as a suggestion for review
FUZZY_SUGGEST = 75.0
#: the most whitespace-separated pieces one wrapped unit may span
MAX_WRAP_PIECES = 6
#: the most reduction steps tried for one unit (a guard against rewrite loops)
MAX_REWRITES = 8

CONFIDENT_METHODS = frozenset({"exact", "alias", "pattern"})

# Separators that always separate units.  Space and line break are decided by the vocabulary.
_HARD_SEPARATORS = re.compile(r"[、，,；;/／|｜]+")
_WHITESPACE = re.compile(r"\s+")
# "牵头单位：" / "责任部门:" in front of a list.
_LABEL = re.compile(r"^(?:牵头|责任|配合|协办|主办|参与|实施|主责)?(?:单位|部门)\s*[:：]")
# "（牵头）" after a unit: a role, not part of the name.
_ROLE_NOTE = re.compile(r"[(（](?:(?:牵头|配合|主责|主办|协办|负责)(?:单位|部门)?|[^()（）]*(?:职责|分工)[^()（）]*)[)）]")
# "县发改局牵头" / "县林业局等配合" / "各乡镇（街道）配合": the unit's role written after it
_ROLE_TAIL = re.compile(r"(?:等)?(?:牵头|配合|负责|参与|协助|协办)$")
_EDGE_PUNCTUATION = "　 \t\r\n.。·•:：\"'“”‘’-—－_"
_PLACEHOLDERS = frozenset({"无", "暂无", "空", "略"})


@dataclass(frozen=True)
class DepartmentMatch:
    """How one unit was matched.

    ``canonical`` is the mapped name for ``exact``/``alias``/``pattern`` and for an
    accepted ``fuzzy`` match.  For a ``fuzzy`` match below :data:`FUZZY_ACCEPT` it is
    only the *suggestion* shown to a reviewer: check :attr:`confident` before using it.
    """

    raw: str
    canonical: str | None
    method: str  # exact · alias · pattern · fuzzy · none
    score: float

    @property
    def confident(self) -> bool:
        if self.method in CONFIDENT_METHODS:
            return True
        return self.method == "fuzzy" and self.score >= FUZZY_ACCEPT


class DepartmentNormalizer:
    """Matches raw units against one :class:`DepartmentVocabulary` (results are cached)."""

    def __init__(self, vocab: DepartmentVocabulary, fuzzy_accept: float = FUZZY_ACCEPT,
                 fuzzy_suggest: float = FUZZY_SUGGEST):
        self.vocab = vocab
        self.fuzzy_accept = fuzzy_accept
        self.fuzzy_suggest = fuzzy_suggest
        self._exact = {department_key(d.canonical): d.canonical for d in vocab.departments}
        self._alias: dict[str, str] = {}
        for alias in vocab.aliases:
            key = department_key(alias.alias)
            if key in self._exact or self._alias.get(key, alias.canonical) != alias.canonical:
                raise CatalogueError(f"department alias {alias.alias!r} collides with another name")
            self._alias[key] = alias.canonical
        self._choices = {**self._alias, **self._exact}  # key -> canonical, for the fuzzy rung
        self._choice_keys = list(self._choices)
        self._endings = tuple(vocab.endings)
        self._cache: dict[str, DepartmentMatch] = {}

    # ------------------------------------------------------------------ matching

    def reductions(self, unit: str) -> list[str]:
        """The unit and its reduced forms, longest first (see department_patterns.csv)."""
        current = department_key(unit)
        forms = [current] if current else []
        for _ in range(MAX_REWRITES):
            for rewrite in self.vocab.rewrites:
                reduced = rewrite.pattern.sub(rewrite.replacement, current, count=1)
                if reduced != current:
                    break
            else:
                break
            if not reduced or reduced in forms:
                break
            forms.append(reduced)
            current = reduced
        return forms

    def match_unit(self, unit: str) -> DepartmentMatch:
        """Match one unit (already split off its cell) on the ladder described above."""
        cached = self._cache.get(unit)
        if cached is None:
            cached = self._cache[unit] = self._match(unit)
        return cached

    def _match(self, unit: str) -> DepartmentMatch:
        forms = self.reductions(unit)
        for form in forms:
            if form in self._exact:
                return DepartmentMatch(unit, self._exact[form], "exact", 100.0)
            if form in self._alias:
                return DepartmentMatch(unit, self._alias[form], "alias", 100.0)
            for pattern in self.vocab.patterns:
                if pattern.pattern.search(form):
                    return DepartmentMatch(unit, pattern.canonical, "pattern", 100.0)
        best: tuple[str, float] | None = None
        for form in forms:
            found = process.extractOne(form, self._choice_keys, scorer=fuzz.ratio,
                                       score_cutoff=self.fuzzy_suggest)
            if found and (best is None or found[1] > best[1]):
                best = (found[0], float(found[1]))
        if best is None:
            return DepartmentMatch(unit, None, "none", 0.0)
        return DepartmentMatch(unit, self._choices[best[0]], "fuzzy", round(best[1], 1))

    # ------------------------------------------------------------------ cells

    def split_units(self, raw: str | None) -> list[str]:
        """The units of one cell, in order, wraps repaired; placeholders ("—", "/") give none.

        ``"怀化市生态环境\\n局靖州分局、县水\\n利"`` → ``["怀化市生态环境局靖州分局", "县水利"]``;
        ``"市委办 市政府办"`` → ``["市委办", "市政府办"]``.  Every unit is made of the
        input's own characters, in order (only whitespace, labels and role notes go).
        """
        if not raw:
            return []
        units: list[str] = []
        for piece in _HARD_SEPARATORS.split(raw):
            piece = _LABEL.sub("", piece.strip())
            tokens = [t for t in _WHITESPACE.split(piece) if _clean_unit(t)]
            for group in self._group(tokens):
                unit = _clean_unit("".join(group))
                if unit and unit not in _PLACEHOLDERS:
                    units.append(unit)
        return units

    def normalize(self, raw_cell: str | None) -> tuple[tuple[str, ...], tuple[DepartmentMatch, ...]]:
        """Canonical names in the cell's order without duplicates, and the matches to review.

        A unit that is not matched with confidence appears in the names *in its raw
        form* (never as a guess) and its match is in the second item, for the review
        queue (``match.canonical`` is then only a suggestion, or None).
        """
        names: list[str] = []
        review: list[DepartmentMatch] = []
        for unit in self.split_units(raw_cell):
            match = self.match_unit(unit)
            name = match.canonical if match.confident and match.canonical else unit
            if name not in names:
                names.append(name)
            if not match.confident:
                review.append(match)
        return tuple(names), tuple(review)

    def _group(self, tokens: list[str]) -> list[list[str]]:
        """Cut whitespace-separated pieces into units: fewest unrecognised units, then fewest
        cuts after a piece that does not end like a unit (各乡镇 / 人民政府 is one wrapped name),
        then most units."""
        if len(tokens) <= 1:
            return [tokens] if tokens else []
        # best[j] = (cost, odd cuts, -number of units, cut positions) for tokens[:j]
        best: list[tuple[int, int, int, tuple[int, ...]]] = [(0, 0, 0, ())]
        for end in range(1, len(tokens) + 1):
            options = []
            for start in range(max(0, end - MAX_WRAP_PIECES), end):
                cost, odd, negative_units, cuts = best[start]
                odd_cut = 1 if start > 0 and not self._ends_like_unit(tokens[start - 1]) else 0
                options.append((cost + self._cost(tokens[start:end]), odd + odd_cut, negative_units - 1,
                                cuts + (start,)))
            best.append(min(options))
        cuts = best[-1][3] + (len(tokens),)
        return [tokens[a:b] for a, b in zip(cuts, cuts[1:])]

    def _cost(self, pieces: list[str]) -> int:
        """0 for a recognised unit; 1 for an unknown one, plus 1 for every inner break that
        sits between two pieces that each end like a unit (two unknown units, not a wrap)."""
        unit = _clean_unit("".join(pieces))
        if not unit or self.match_unit(unit).confident:
            return 0
        looks_whole = [self._ends_like_unit(p) for p in pieces]
        return 1 + sum(1 for left, right in zip(looks_whole, looks_whole[1:]) if left and right)

    def _ends_like_unit(self, text: str) -> bool:
        text = _clean_unit(text)
        return len(text) >= 3 and text.endswith(self._endings)


def _clean_unit(text: str) -> str:
    """A unit as written, minus whitespace, a role note (（牵头）, （按职责分工负责）, a trailing
    牵头/配合), a trailing 等 and edge punctuation."""
    text = _ROLE_NOTE.sub("", _WHITESPACE.sub("", text)).strip(_EDGE_PUNCTUATION)
    untailed = _ROLE_TAIL.sub("", text)
    if len(untailed) >= 3:
        text = untailed
    if len(text) > 2 and text.endswith("等"):
        text = text[:-1]
    return text.strip(_EDGE_PUNCTUATION)


@lru_cache(maxsize=1)
def default_normalizer() -> DepartmentNormalizer:
    """The normalizer over the catalogue's own vocabulary (read once per process)."""
    return DepartmentNormalizer(load_department_vocabulary())


def split_units(raw: str | None, normalizer: DepartmentNormalizer | None = None) -> list[str]:
    """:meth:`DepartmentNormalizer.split_units` with the default vocabulary."""
    return (normalizer or default_normalizer()).split_units(raw)
