"""Which region a plan covers, as a GB/T 2260 code — or a flag for review, never a guess.

A plan names many places (its province and city, the counties of a city, the
rivers and parks it shares with neighbours); only one is the region the plan is
*for*.  The evidence is read in order of how directly it says so: the title
("2023年靖州县…工作计划"), then the signing body ("常德市…办公室"), then the body's
own subject (the region named most often at the level the text speaks of
itself in: 我县/全县 → a county).

Place names are recognised in three written forms (see ``catalogue/regions.py``):
the official name (exact), a suffixed alias such as 靖州县, and the bare short
name such as 鹿寨.  Bare short names are common words too (青山 in 绿水青山,
金山 in 金山银山), so one counts only when it is a province, follows its own
city or province directly ("柳州市鹿寨"), or names a region the text also names
in full.  Two-character forms (范县 inside 示范县) count only at a word start.
A name several regions share (朝阳区, 东乡县) is settled by the enclosing city or
province the text mentions; when nothing settles it, the result says so.

Names are whole words: where two names overlap the longer wins, so a name inside
a longer place name or another word is no mention (江山 in 浙江山区, 城区 in 顺城区).
Names inside the titles of cited or forwarded documents (根据《湖南省…管理规程》,
转发《省生态环境厅关于…》), and the signer of a forwarded document, are context: they
settle a shared name but are never the subject.  The plan's own name in 《》
(关于印发《X县…方案》, 现将《…》印发给你们) is the subject's evidence; a county the
text speaks of itself as (我县) wins over the province its title names.  Text in
traditional characters is folded to simplified first.

Former units (沙县 350427, now 沙县区 350405; see ``catalogue/regions.py``) are
candidates too.  When a name fits a current and a former unit and no enclosing
region settles it, the document's year (if given) drops the units not in use
that year, and then a current unit wins over a former one.  A former unit
named by a document dated after its change is reported as the unit that
followed it.  ``admin_code`` is the code in use at the document's date,
``admin_code_current`` today's code of the same area.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from planingest.catalogue.regions import Region, RegionTable
from planingest.core.hanzi import to_simplified
from planingest.core.names import CJK
from planingest.interpret.metadata import quotes

METHODS = ("exact", "short", "context", "none")
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_SPACE = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+(?=[{CJK}])")
#: characters after which a two-character name may start ("2023年范县", "在范县")
_LEFT_BOUNDARY = frozenset("年在对和与及")
#: how a text refers to itself: 我县 / 全县 / 本县 → the plan is for a 县
_SELF_REFERENCE = re.compile(r"[我全本]([县市区旗州省])")
_SCORES = {("title", "full"): 100.0, ("title", "alias"): 95.0, ("title", "short"): 95.0, ("title", "former"): 95.0,
           ("issuer", "full"): 95.0, ("issuer", "alias"): 90.0, ("issuer", "short"): 90.0, ("issuer", "former"): 90.0}
#: the kinds of written form, most telling first (catalogue/regions.py Region.forms)
_KINDS = ("full", "former", "alias", "short")
_CONTEXT_SCORE = 80.0


@dataclass(frozen=True)
class RegionMatch:
    region: str | None
    admin_code: str | None
    admin_level: str | None
    province: str | None
    city: str | None
    raw: str | None
    method: str  # exact · short · context · none
    score: float  # 0–100
    needs_review: bool
    reason: str | None
    admin_code_current: str | None = None  # today's code of the same area (= admin_code unless it changed since)


@dataclass(frozen=True)
class Mention:
    """One place name found in a text, with every region it may denote and how it names each."""

    text: str
    start: int
    end: int
    candidates: tuple[tuple[Region, str], ...]  # (region, full · former · alias · short)
    bounded: bool  # starts a word (or follows another place name directly)
    chained: bool = False  # directly follows a mention of an enclosing region
    via_context: bool = False  # narrowed to one region by an enclosing region named elsewhere
    cited: bool = False  # inside the title of a cited or forwarded document: context, not the subject

    @property
    def regions(self) -> tuple[Region, ...]:
        return tuple(dict.fromkeys(r for r, _ in self.candidates))

    @property
    def kind(self) -> str:
        kinds = {k for _, k in self.candidates}
        return next(k for k in _KINDS if k in kinds)


@dataclass(frozen=True)
class _Pick:
    """What one source says: one region (``region``) or several it cannot tell apart."""

    source: str  # title · issuer · body
    mention: Mention | None
    region: Region | None
    candidates: tuple[Region, ...] = ()
    score: float = 0.0
    reason: str | None = None
    self_fits: bool = False  # the text speaks of itself at this region's level (我县 for a county)


def resolve_region(title: str | None, issuer: str | None, body: str, regions: RegionTable,
                   year: int | None = None) -> RegionMatch:
    """The region the plan covers; see the module docstring for the order of evidence.

    Names inside the titles of cited or forwarded documents (根据《湖南省…管理规程》,
    转发《省生态环境厅关于…》) are context: they may settle which of two same-named
    counties is meant, but are never the subject.  ``year``: the document's date (its
    issue year, else its plan year), None when unknown; it decides between a former and
    a current unit that share a name.
    """
    texts = {"title": _clean(title), "issuer": _clean(issuer), "body": _clean(body)}
    own = _own_titles(texts["title"], texts["body"])
    raw_mentions = {src: _mark_cited(scan(text, regions), _cited_spans(src, text, own))
                    for src, text in texts.items()}
    everything = [m for ms in raw_mentions.values() for m in ms]
    supported = {r.admin_code for m in everything if m.bounded for r, k in m.candidates if k != "short"}
    mentions = {src: _settle(ms, regions, supported) for src, ms in raw_mentions.items()}
    narrowed = [_by_time(m, regions, year) for ms in mentions.values() for m in ms]
    context = {m.regions[0].admin_code for m in narrowed if len(m.regions) == 1}
    mentions = {src: [_by_time(_by_context(m, regions, context), regions, year) for m in ms if not m.cited]
                for src, ms in mentions.items()}
    match = _subject(texts, mentions, raw_mentions, own, regions, context, supported)
    return _with_history(match, regions, year)


def _subject(texts: dict[str, str], mentions: dict[str, list[Mention]], raw_mentions: dict[str, list[Mention]],
             own: list[str], regions: RegionTable, context: set[str], supported: set[str]) -> RegionMatch:
    """The region the title, else the plan's own quoted name, else the issuer, else the body names."""
    body_pick = _pick_body(mentions["body"], texts["body"], regions)
    title_pick = _pick_named("title", mentions["title"])
    if title_pick is None and own:  # no title: the plan's own name the covering notice quotes stands for it
        named = [_by_context(m, regions, context)
                 for m in _settle(scan(own[0], regions), regions, supported)]
        title_pick = _pick_named("title", named)
        if title_pick is not None:  # read from the text: a context match, a little less sure than a title
            title_pick = replace(title_pick, source="body", score=min(title_pick.score, 90.0))
    if title_pick is not None:
        return _decide(title_pick, _pick_named("issuer", mentions["issuer"]), body_pick, regions)
    issuer_pick = _pick_named("issuer", mentions["issuer"])
    if issuer_pick is not None and not _forwarded_issuer(issuer_pick, raw_mentions["title"]):
        return _decide(issuer_pick, None, body_pick, regions)
    if body_pick is not None:
        return _result(body_pick) if body_pick.region else _unresolved(body_pick.mention, body_pick.reason)
    return _unresolved(None, "no region named in the title, the issuer or the text")


def _with_history(match: RegionMatch, regions: RegionTable, year: int | None) -> RegionMatch:
    """Set today's code; a former unit named in a document dated after its change becomes its successor."""
    region = regions.get(match.admin_code) if match.admin_code else None
    if region is None:
        return match
    if not region.is_current and year is not None and region.valid_to is not None and year > region.valid_to:
        today = regions.current(region)
        note = (f"{region.name} {region.admin_code} became {today.name} {today.admin_code} in {region.valid_to}, "
                f"before the document ({year})")
        return replace(match, region=today.name, admin_code=today.admin_code, admin_level=today.level,
                       province=today.province, city=today.city, admin_code_current=today.admin_code,
                       reason=f"{match.reason}; {note}" if match.reason else note)
    return replace(match, admin_code_current=region.current_code)


_FORWARDED = re.compile(r"转发")


def _own_titles(title: str, body: str) -> list[str]:
    """The plan's own name as the title and the covering notice quote it, in that order."""
    own = [name for _, _, name, is_own in quotes(title) if is_own]
    own += [name for _, _, name, is_own in quotes(body, 0, 2000) if is_own and len(name) >= 2]
    return list(dict.fromkeys(own))


def _cited_spans(source: str, text: str, own: list[str]) -> list[tuple[int, int]]:
    """Where ``text`` quotes other documents: 《…》 other than the plan's own, and a forwarded document."""
    if source == "issuer":
        return []
    spans = [(start, end) for start, end, name, _ in quotes(text) if name not in own]
    if source == "title" and (forward := _FORWARDED.search(text)):
        spans.append((forward.end(), len(text)))
    return spans


def _forwarded_issuer(pick: _Pick, title_mentions: list[Mention]) -> bool:
    """The issuer names a region only the forwarded document in the title names: it signed that
    document (湖南省生态环境厅 under 转发《湖南省生态环境厅关于…》), it is context."""
    cited = {r.admin_code for m in title_mentions if m.cited for r in m.regions}
    named = pick.candidates or ((pick.region,) if pick.region else ())
    return bool(cited) and all(r.admin_code in cited for r in named)


def _mark_cited(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    if not spans:
        return mentions
    return [replace(m, cited=True) if any(a <= m.start < b for a, b in spans) else m for m in mentions]


def scan(text: str, regions: RegionTable) -> list[Mention]:
    """All place-name forms in ``text`` as whole words, each with its candidate regions.

    Chinese has no spaces, so words are told apart by the names themselves: the
    longest form found at each position is a candidate, and where candidates
    overlap the longer one wins (the earlier one on a tie).  A name inside a
    longer place name or another word is then no mention: 江山 in 浙江山区 (浙江
    starts first), 城区 in 顺城区, 南县 in 平南县, 海安 in 上海安全.
    """
    found: list[tuple[int, str, tuple]] = []
    i = 0
    while i < len(text):
        start = regions.form_start.search(text, i)  # no form starts in between: skip there at once
        if start is None:
            break
        i = start.start()
        if _CJK_CHAR.match(text[i]) and (hit := regions.longest_at(text, i)) is not None:
            found.append((i, hit[0], hit[1]))
        i += 1
    taken: list[tuple[int, str, tuple]] = []
    claimed = bytearray(len(text))
    for begin, form, candidates in sorted(found, key=lambda f: (-len(f[1]), f[0])):
        if any(claimed[begin: begin + len(form)]):
            continue
        claimed[begin: begin + len(form)] = b"\1" * len(form)
        taken.append((begin, form, candidates))
    out: list[Mention] = []
    ends = {begin + len(form) for begin, form, _ in taken}
    for begin, form, candidates in sorted(taken):
        bounded = len(form) > 2 or begin == 0 or begin in ends or not _CJK_CHAR.match(text[begin - 1]) \
            or text[begin - 1] in _LEFT_BOUNDARY
        out.append(Mention(form, begin, begin + len(form), candidates, bounded))
    return out


def _clean(text: str | None) -> str:
    """Spaces inside CJK text removed, traditional characters folded (same positions as written)."""
    return _CJK_SPACE.sub("", to_simplified(text or ""))


def _settle(mentions: list[Mention], regions: RegionTable, supported: set[str]) -> list[Mention]:
    """Drop what cannot be a place name here; narrow a name that follows its own city or province."""
    out: list[Mention] = []
    for m in mentions:
        parent = out[-1] if out and out[-1].end == m.start else None
        if parent is not None:
            inside = tuple((r, k) for r, k in m.candidates
                           if any(regions.contains(p, r) for p in parent.regions))
            if inside:
                m = replace(m, candidates=inside, bounded=True, chained=True)
        kept = tuple((r, k) for r, k in m.candidates
                     if (m.bounded or m.chained or (k == "short" and r.admin_code in supported))
                     and (k != "short" or m.chained or r.level == "province" or r.admin_code in supported))
        if kept:
            out.append(replace(m, candidates=kept))
    return out


def _by_context(m: Mention, regions: RegionTable, context: set[str]) -> Mention:
    """A shared name (朝阳区) is the one whose city or province the texts name elsewhere."""
    if len(m.regions) < 2:
        return m
    fitting = [r for r in m.regions if any(a.admin_code in context for a in regions.ancestors(r))]
    if not fitting or len(fitting) == len(m.regions):
        return m
    # several fit (a current and a former 郊区 of 山西省): narrowed here, the document's time decides
    kept = tuple((r, k) for r, k in m.candidates if r in fitting)
    return replace(m, candidates=kept, via_context=len(fitting) == 1)


def _by_time(m: Mention, regions: RegionTable, year: int | None) -> Mention:
    """A name of a current and a former unit (沙县: 沙县 350427 and 沙县区 350405): the units in use in the
    document's year, if it is known and leaves any; then a current unit over a former one."""
    if len(m.regions) < 2:
        return m
    kept = m.candidates
    if year is not None:
        kept = tuple((r, k) for r, k in kept if regions.form_valid_in(r, k, year)) or kept
    if len({r.admin_code for r, _ in kept}) > 1:
        kept = tuple((r, k) for r, k in kept if regions.form_is_current(r, k)) or kept
    if kept == m.candidates:
        return m
    return replace(m, candidates=kept)


def _pick_named(source: str, mentions: list[Mention]) -> _Pick | None:
    """The most specific region a title or an issuer names (县 over 市 over 省)."""
    if not mentions:
        return None
    deepest = max(LEVEL_RANK[r.level] for m in mentions for r in m.regions)
    at_depth = [m for m in mentions if any(LEVEL_RANK[r.level] == deepest for r in m.regions)]
    regions = tuple(dict.fromkeys(r for m in at_depth for r in m.regions if LEVEL_RANK[r.level] == deepest))
    mention = at_depth[0]
    if len(regions) > 1:
        return _Pick(source, mention, None, regions,
                     reason=f"the {source} names {_describe(regions)}: cannot tell which one the plan covers")
    score = _CONTEXT_SCORE if mention.via_context else _SCORES[(source, mention.kind)]
    return _Pick(source, mention, regions[0], score=score)


def _pick_body(mentions: list[Mention], body: str, regions: RegionTable) -> _Pick | None:
    """The region the text names most often at the level it speaks of itself in (我县 → a county)."""
    counts = Counter(m.regions[0].admin_code for m in mentions if len(m.regions) == 1)
    if not counts:
        return None
    level = _self_level(body)
    fits = {c: n for c, n in counts.items() if level is None or _fits_level(regions.get(c), level)}
    pool = fits or dict(counts)
    ranked = sorted(pool.items(), key=lambda kv: (-kv[1], kv[0]))
    top_code, top = ranked[0]
    top_region = regions.get(top_code)
    rivals = [(regions.get(c), n) for c, n in ranked[1:]
              if not regions.contains(regions.get(c), top_region) and not regions.contains(top_region, regions.get(c))]
    second = rivals[0][1] if rivals else 0
    mention = min((m for m in mentions if len(m.regions) == 1 and m.regions[0].admin_code == top_code),
                  key=lambda m: (_KINDS.index(m.kind), m.start))
    if top < 2 or top < 2 * second:
        shown = (top_region,) + tuple(r for r, _ in rivals[:2])
        return _Pick("body", mention, None, shown,
                     reason=f"the text names {_describe(shown)} without one clearly being its subject "
                            f"({top} mention(s) of {top_region.name}, {second} of the next)")
    score = round(min(90.0, 50.0 + 40.0 * top / (top + second)), 1)
    return _Pick("body", mention, top_region, score=score,
                 self_fits=level is not None and _fits_level(top_region, level))


def _self_level(body: str) -> str | None:
    """The suffix a text uses for itself (我县/全县/本县 → 县), when one clearly dominates."""
    counts = Counter(_SELF_REFERENCE.findall(body)).most_common(2)
    if not counts:
        return None
    if len(counts) > 1 and counts[0][1] < 2 * counts[1][1]:
        return None
    return counts[0][0]


def _fits_level(region: Region, suffix: str) -> bool:
    """Whether a region is what 我{suffix} refers to (我市: a prefecture or a county-level city)."""
    if suffix == "省":
        return region.level == "province"
    if suffix == "市":
        return region.level == "city" or (region.level == "county" and region.name.endswith("市"))
    if suffix == "州":
        return region.level == "city" and region.name.endswith("州")
    if suffix == "区" and region.level == "province":
        return region.name.endswith("自治区")
    return region.level == "county" and region.name.endswith(suffix)


def _decide(first: _Pick, second: _Pick | None, body: _Pick | None, regions: RegionTable) -> RegionMatch:
    """Combine the strongest source with the weaker ones that may confirm, refine or contradict it."""
    if first.region is None:
        for other in (second, body):
            if other is not None and other.region is not None and other.region in first.candidates:
                return _result(other, f"{first.reason}; settled by the {other.source}")
        return _unresolved(first.mention, first.reason)
    if body is not None and body.region is not None and regions.contains(first.region, body.region) \
            and (first.source == "issuer" or body.self_fits):
        # a county's plan signed by a city-level office (柳州市鹿寨生态环境局), or titled with its
        # province while the text speaks of itself as the county (我县)
        return _result(body, f"{first.source} names {first.region.name}; the text's subject "
                             f"{body.region.name} lies inside it")
    if second is not None and second.region is not None and second.region is not first.region \
            and not regions.contains(second.region, first.region) and not regions.contains(first.region, second.region):
        return _result(first, f"the {first.source} names {first.region.name} but the {second.source} "
                              f"names {second.region.name}", review=True)
    return _result(first)


def _result(pick: _Pick, reason: str | None = None, review: bool = False) -> RegionMatch:
    region, mention = pick.region, pick.mention
    if pick.source == "body" or mention.via_context:
        method = "context"
    else:
        method = "exact" if mention.kind in ("full", "former") else "short"
    return RegionMatch(
        region=region.name, admin_code=region.admin_code, admin_level=region.level,
        province=region.province, city=region.city, raw=mention.text, method=method,
        score=pick.score, needs_review=review, reason=reason,
    )


def _unresolved(mention: Mention | None, reason: str) -> RegionMatch:
    return RegionMatch(region=None, admin_code=None, admin_level=None, province=None, city=None,
                       raw=mention.text if mention else None, method="none", score=0.0,
                       needs_review=True, reason=reason)


def _describe(regions: tuple[Region, ...]) -> str:
    def where(r: Region) -> str:
        return r.province + (r.city if r.city and r.city != r.province else "")

    return "; ".join(f"{r.name} {r.admin_code} ({where(r)})" for r in regions)
