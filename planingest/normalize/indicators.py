"""Map indicator names as documents write them onto the 2021 catalogue IDs.

The matching ladder, first rung that fires wins (``method`` records which):

1. ``exact``     the name's key equals a catalogue name or sub-indicator name;
2. ``alias``     … equals another wording of the same entry (河长制 → I04);
3. ``crosswalk`` … equals an older/newer version's wording (农药化肥 → I25, 2019),
   or a retired one (绿色产品市场占有率: no ID, ``is_retired``), or an indicator
   new in the 2024 list (声环境功能区夜间达标率: no ID, ``is_new``, not local, nothing
   to review — never forced onto a look-alike 2021 entry);
   a known local indicator (生态文明建设示范镇村创建) stops here too: no ID,
   ``is_local``, nothing to review;
   rungs 1-3 are also tried on the name without a trailing bracketed note, and on
   the head of a name followed by its sub-items or scope variants
   (``"林草覆盖率：\\n山区"``) when every tail item belongs to that head;
4. ``fuzzy``     similarity ≥ ``AUTO_ACCEPT`` *and* ``MARGIN`` points clear of the
   best different answer;
5. review band   similarity ≥ ``REVIEW_FLOOR``: no ID, ``needs_review``, ``suggestion``;
6. ``none``      nothing resembles it: kept as a local indicator and flagged.

A wrong ID written silently is the worst outcome, so every doubt ends without an
ID and with ``needs_review``.  Everything is precomputed in ``__init__`` and every
answer is cached: a batch asks for the same few hundred names thousands of times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.catalogue.indicators import IndicatorCatalogue
from planingest.core.enums import MatchMethod
from planingest.core.names import (
    ENUMERATOR_ANYWHERE,
    clean_name,
    name_key,
    repair_spaces,
    split_trailing_note,
    strip_enumerator,
)
from planingest.normalize.indicator_index import (
    ALIAS,
    LOCAL,
    NAME,
    NEW,
    NO_ENTRY,
    RETIRED,
    SUB,
    Candidate,
    Wording,
    WordingIndex,
)

AUTO_ACCEPT = 90.0
#: wordings that come from review decisions (aliases, local indicators): they settle matching, not the
#: structure of a cell, so packed cells split the same before and after a review (reads stay cached)
_REVIEW_WRITTEN = (ALIAS, LOCAL)
MARGIN = 8.0
REVIEW_FLOOR = 60.0
_CACHE_LIMIT = 100_000

_METHOD = {NAME: MatchMethod.EXACT, SUB: MatchMethod.EXACT, ALIAS: MatchMethod.ALIAS, LOCAL: MatchMethod.EXACT}
# everything else: crosswalk
# Separators between the items of a list of indicator names (project 针对指标, task text).
_MENTION_SEPARATORS = re.compile(r"[、，,；;。！!？?\s]+")


@dataclass(frozen=True)
class IndicatorMatch:
    indicator_id: str | None
    sub_indicator_id: str | None
    method: MatchMethod
    score: float  # 0-100
    is_local: bool
    is_retired: bool
    needs_review: bool
    suggestion: str | None  # best candidate "I10 生态环境状况指数" when not auto-accepted
    reason: str | None  # why review / why no ID
    version: str | None  # catalogue version whose wording matched (2021/2019/2016/2024); None if neutral
    is_new: bool = False  # an indicator of a newer list (2024) with no 2021 entry: no ID, not local


def _nothing(reason: str, *, is_local: bool, needs_review: bool, indicator_id: str | None = None,
             suggestion: str | None = None, score: float = 0.0) -> IndicatorMatch:
    """An answer without a (sub-)indicator ID of its own: method ``none``."""
    return IndicatorMatch(indicator_id, None, MatchMethod.NONE, score, is_local, False, needs_review, suggestion, reason, None)


class IndicatorMatcher:
    def __init__(self, catalogue: IndicatorCatalogue):
        self._index = WordingIndex(catalogue)
        self._catalogue = catalogue
        self._ids = {e.id for e in catalogue.entries}
        self._sub_pools = {
            e.id: [k for k, w in self._index.by_key.items() if w.indicator_id == e.id and w.sub_id]
            for e in catalogue.entries
        }
        self._cache: dict[str, IndicatorMatch] = {}
        self._sub_cache: dict[tuple[str | None, str], IndicatorMatch] = {}

    def national_target(self, indicator_id: str | None, sub_id: str | None = None) -> str | None:
        """The national list's target text for an indicator or sub-indicator (None: not known)."""
        try:
            if sub_id:
                return self._catalogue.sub(sub_id).target
            return self._catalogue.entry(indicator_id).target if indicator_id else None
        except KeyError:
            return None

    # -- top-level names ---------------------------------------------------------------------

    def match(self, name: str) -> IndicatorMatch:
        """Match a top-level indicator name as written (wraps, enumerators, colons allowed)."""
        cached = self._cache.get(name)
        if cached is None:
            cached = self._remember(self._cache, name, self._match(name))
        return cached

    def _match(self, name: str) -> IndicatorMatch:
        key = name_key(name)
        if not key:
            return _nothing("empty name", is_local=False, needs_review=False)
        wording = self._index.lookup(key)
        if wording:
            return self._accept(wording)
        core, note = split_trailing_note(name)
        if note and (wording := self._index.lookup(name_key(core))):
            return self._accept(wording)  # "…提高幅度（鹿寨县属于…的地区）": the note is commentary
        head, tails = self.split_packed(core)
        if tails and (wording := self._index.lookup(name_key(head))):
            stray = [t for t in tails if not self._belongs(wording, t)]
            if not stray:
                return self._accept(wording)
            return _nothing(f"text after the name is not a sub-indicator or scope of it: {'、'.join(stray)}",
                            is_local=False, needs_review=True, suggestion=self._index.label(wording), score=90.0)
        if not tails and (joined := self._parent_and_sub(name_key(core))) is not None:
            return self._accept(joined, MatchMethod.ALIAS)
        return self._fuzzy(name_key(head) if tails else name_key(core))

    def _parent_and_sub(self, key: str) -> Wording | None:
        """A parent's name run into one of its own sub-indicators' (环境空气质量优良天数比例 →
        I07.1 优良天数比例): the sub-indicator, when exactly one cut of the name reads so."""
        found = []
        for cut in range(2, len(key) - 1):
            head = self._index.lookup(key[:cut])
            if head is None or head.indicator_id is None or head.sub_id is not None:
                continue
            tail = self._index.lookup(key[cut:])
            if tail is not None and tail.sub_id is not None and tail.indicator_id == head.indicator_id:
                found.append(tail)
        return found[0] if len(found) == 1 else None

    def _accept(self, wording: Wording, method: MatchMethod | None = None, score: float = 100.0) -> IndicatorMatch:
        method = method or _METHOD.get(wording.kind, MatchMethod.CROSSWALK)
        if wording.kind == LOCAL:
            return IndicatorMatch(None, None, method, score, True, False, False, None,
                                  f"local indicator ({wording.note})", None)
        if wording.kind == RETIRED:
            return IndicatorMatch(None, None, method, score, False, True, False, None,
                                  f"retired: the {wording.version} indicator has no 2021 entry", wording.version)
        if wording.kind == NEW:
            return IndicatorMatch(None, None, method, score, False, False, False, None,
                                  f"new in the {wording.version} list: no 2021 entry", wording.version, is_new=True)
        return IndicatorMatch(wording.indicator_id, wording.sub_id, method, score, False, False, False, None, None,
                              wording.version)

    def _belongs(self, head: Wording, tail: str) -> bool:
        """Is ``tail`` one of ``head``'s sub-indicators (any version), scope variants or local sub-items?"""
        key = name_key(tail)
        if not key or self._index.is_scope(head.indicator_id, key):
            return True
        wording = self._index.lookup(key)
        if wording is None:
            return False
        if wording.kind == LOCAL:
            return wording.parent is not None and wording.parent == head.indicator_id
        if wording.parent is not None and wording.parent == head.key:
            return True  # a crosswalk sub listed under this very parent wording
        return head.indicator_id is not None and wording.indicator_id == head.indicator_id

    def _fuzzy(self, key: str) -> IndicatorMatch:
        ranked = self._index.rank(key)
        if not ranked or ranked[0].score < REVIEW_FLOOR:
            return _nothing("no catalogue entry resembles this name", is_local=True, needs_review=True)
        best = ranked[0]
        runner = ranked[1].score if len(ranked) > 1 else 0.0  # one candidate per target: any other answer
        label = self._index.label(best.wording)
        if best.score >= AUTO_ACCEPT and best.score - runner >= MARGIN:
            if best.wording.kind in NO_ENTRY:
                kind = {LOCAL: "local", RETIRED: "retired", NEW: "2024-only"}[best.wording.kind]
                return IndicatorMatch(None, None, MatchMethod.FUZZY, best.score, best.wording.kind == LOCAL,
                                      best.wording.kind == RETIRED, True, label,
                                      f"resembles the {kind} indicator {best.wording.text}", best.wording.version,
                                      is_new=best.wording.kind == NEW)
            return self._accept(best.wording, MatchMethod.FUZZY, best.score)
        reason = (f"similar to {label} ({best.score:.0f}) but not clear of the next candidate ({runner:.0f})"
                  if best.score >= AUTO_ACCEPT else f"similar to {label} ({best.score:.0f}), below auto-accept")
        return _nothing(reason, is_local=False, needs_review=True, suggestion=label, score=best.score)

    # -- sub-rows ----------------------------------------------------------------------------

    def match_sub(self, parent_id: str | None, name: str) -> IndicatorMatch:
        """Match a sub-row written under ``parent_id`` (the parent's match result, None if unmatched).

        The parent's ID is kept on every answer: a sub-row that is a scope variant
        (山区, 综合利用率≤60%的地区) or a local sub-item still belongs to its parent.
        """
        if parent_id is not None and parent_id not in self._ids:
            raise ValueError(f"unknown parent indicator {parent_id!r}")
        cache_key = (parent_id, name)
        cached = self._sub_cache.get(cache_key)
        if cached is None:
            cached = self._remember(self._sub_cache, cache_key, self._match_sub(parent_id, name))
        return cached

    def _match_sub(self, parent_id: str | None, name: str) -> IndicatorMatch:
        key = name_key(name)
        if not key:
            return _nothing("empty name", is_local=False, needs_review=False, indicator_id=parent_id)
        if parent_id is None:
            return self._sub_of_unknown_parent(name)
        if self._index.is_scope(parent_id, key):
            return _nothing("scope", is_local=False, needs_review=False, indicator_id=parent_id, score=100.0)
        core, note = split_trailing_note(name)
        wording = self._index.lookup(key) or (self._index.lookup(name_key(core)) if note else None)
        if wording is not None:
            return self._sub_from_wording(parent_id, wording)
        ranked = self._index.rank(key, self._sub_pools[parent_id])
        if ranked and ranked[0].score >= REVIEW_FLOOR:
            return self._sub_fuzzy(parent_id, ranked)
        return _nothing(f"not a sub-indicator of {parent_id} in the catalogue", is_local=True, needs_review=True,
                        indicator_id=parent_id)

    def _sub_of_unknown_parent(self, name: str) -> IndicatorMatch:
        """Under a local or unmatched parent, only a certain answer counts; the rest is the parent's business."""
        result = self.match(name)
        if result.indicator_id or result.is_retired or result.is_new or (result.is_local and not result.needs_review):
            return result
        return _nothing("parent indicator is not in the catalogue", is_local=True, needs_review=False)

    def _sub_from_wording(self, parent_id: str, wording: Wording) -> IndicatorMatch:
        if wording.kind == LOCAL and wording.parent == parent_id:
            return _nothing("local sub-indicator", is_local=True, needs_review=False, indicator_id=parent_id,
                            score=100.0)
        if wording.kind == RETIRED:
            return IndicatorMatch(parent_id, None, MatchMethod.CROSSWALK, 100.0, False, True, False, None,
                                  f"retired: the {wording.version} sub-indicator has no 2021 entry", wording.version)
        if wording.kind == NEW:
            return IndicatorMatch(parent_id, None, MatchMethod.CROSSWALK, 100.0, False, False, False, None,
                                  f"new in the {wording.version} list: no 2021 entry", wording.version, is_new=True)
        if wording.indicator_id == parent_id and wording.sub_id:
            return self._accept(wording)
        if wording.indicator_id == parent_id:
            # 化肥施用强度 under I25 (2019), 城镇生活垃圾分类减量化行动 under 生活废弃物综合利用 (→ I38):
            # an older version's sub-item that has no 2021 sub-indicator of its own
            reason = ("names the indicator itself" if wording.kind == NAME
                      else f"{wording.version or 'older'} sub-item without a 2021 sub-indicator")
            return IndicatorMatch(parent_id, None, self._accept(wording).method, 100.0, False, False, False, None,
                                  reason, wording.version)
        label = self._index.label(wording)
        return _nothing(f"names {label}, not a sub-indicator of {parent_id}", is_local=False, needs_review=True,
                        indicator_id=parent_id, suggestion=label, score=100.0)

    def _sub_fuzzy(self, parent_id: str, ranked: list[Candidate]) -> IndicatorMatch:
        best = ranked[0]
        runner = ranked[1].score if len(ranked) > 1 else 0.0
        if best.score >= AUTO_ACCEPT and best.score - runner >= MARGIN:
            return self._accept(best.wording, MatchMethod.FUZZY, best.score)
        label = self._index.label(best.wording)
        return _nothing(f"similar to {label} ({best.score:.0f}), below auto-accept", is_local=False,
                        needs_review=True, indicator_id=parent_id, suggestion=label, score=best.score)

    # -- packed cells and free text -----------------------------------------------------------

    def split_packed(self, cell: str) -> tuple[str, list[str]]:
        """Split one cell holding a name and its sub-items: ``"农药化肥 化肥施用强度\\n农药施用强度"``.

        Items are separated by spaces, line breaks, a colon after the head, or
        enumerators (（1） ①).  Adjacent pieces are glued back together when together
        they form a known wording (a name wrapped over two lines), longest first.
        Without a known head and without an explicit colon or enumerator, the cell
        is one wrapped name.  Items are returned as written, minus enumerators;
        whether an item is a sub-indicator or a scope is the caller's question
        (:meth:`match_sub` answers it).
        """
        marked = ENUMERATOR_ANYWHERE.sub(lambda m: "\n" + m.group(0), cell)
        explicit = marked != cell or bool(re.search(r"[:：]", cell))
        pieces = [p for p in (strip_enumerator(x) for x in re.split(r"[:：]|\s+", marked)) if p.strip()]
        if not pieces:
            return clean_name(cell), []
        head_len = self._known_run(pieces, 0)
        if head_len == 0:
            if not explicit or len(pieces) == 1:
                return clean_name(cell), []
            head_len = 1
        items, i = [], head_len
        while i < len(pieces):
            step = self._known_run(pieces, i) or 1
            items.append("".join(pieces[i:i + step]))
            i += step
        return "".join(pieces[:head_len]), items

    def _known_run(self, pieces: list[str], start: int) -> int:
        """Length of the longest run of pieces from ``start`` that joins into a known wording or scope."""
        for end in range(len(pieces), start, -1):
            key = name_key("".join(pieces[start:end]))
            wording = self._index.lookup(key)
            if (wording is not None and wording.kind not in _REVIEW_WRITTEN) or self._index.is_any_scope(key):
                return end - start
        return 0

    def find_mentions(self, text: str) -> list[str]:
        """Catalogue IDs named in free text, in order of first mention, without duplicates.

        Only whole known wordings count (no fuzzy guessing in prose: 林草覆盖指数 is
        not 林草覆盖率).  A sub-indicator's name counts for its parent.  Local and
        retired and new (2024-only) wordings are matched too, so that no catalogue name is
        found inside them, but yield no ID.  A list cut off at a page break ("…、建设用地土壤污")
        yields an ID only if its last item is ≥6 characters and starts the wordings
        of exactly one indicator.
        """
        ids: list[str] = []
        for _, wording in self._index.scan(name_key(text)):
            if wording.indicator_id and wording.kind != LOCAL and wording.indicator_id not in ids:
                ids.append(wording.indicator_id)
        tail = _MENTION_SEPARATORS.split(repair_spaces(text))[-1]
        tail_key = name_key(tail)
        if tail_key and not self._index.scan(tail_key):
            wording = self._index.unique_prefix(tail_key)
            if wording and wording.indicator_id not in ids:
                ids.append(wording.indicator_id)
        return ids

    @staticmethod
    def _remember(cache: dict, key, value: IndicatorMatch) -> IndicatorMatch:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value
        return value
