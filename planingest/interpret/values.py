"""Parsers for the values a plan states: targets, attributes, years, money, deadlines.

Every parser is a small pure function that takes the text as written and never
raises on any text: what it cannot read with confidence comes back as ``None``
(or, for a target, as text only), and the caller keeps the raw text beside the
parsed value.  Percentages stay in percent (``"≥25%"`` → 25, not 0.25).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from planingest.core.names import rejoin_percent, repair_spaces

# Full-width and variant forms → the ASCII or canonical sign, one character for one
# character (so positions in the translated text are positions in the original).
_WIDTH = str.maketrans(
    "０１２３４５６７８９．％，；：（）＞＜＝－−＋≧≦⩾⩽～〜",
    "0123456789.%,;:()><=--+≥≤≥≤~~",
)
# LaTeX and Markdown left by PDF-to-Markdown converters ($\geq 60\%$, **bold**).
_MARKUP = ((re.compile(r"\\geq?(?:slant)?"), "≥"), (re.compile(r"\\leq?(?:slant)?"), "≤"),
           (re.compile(r"\\%"), "%"), (re.compile(r"\$|\*\*"), ""))
_PLACEHOLDERS = frozenset({"", "-", "--", "—", "——", "/", "无", "…"})

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_SIGNS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<", "=": "="}
_WORDS = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=", "大于或等于": ">=",
    "高于或等于": ">=", "不得低于": ">=", "不得少于": ">=", "至少": ">=", "达到": ">=",
    "不高于": "<=", "不超过": "<=", "不大于": "<=", "小于等于": "<=", "小于或等于": "<=",
    "低于或等于": "<=", "不得高于": "<=", "不得超过": "<=", "控制在": "<=", "至多": "<=",
    "大于": ">", "高于": ">", "超过": ">", "小于": "<", "低于": "<",
}
_SUFFIX_WORDS = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<="}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_COMPARISON = re.compile(
    rf"(?P<op>{_alternation(_SIGNS)}|{_alternation(_WORDS)})?\s*(?P<num>{_NUMBER})\s*(?:%|‰)?"
    rf"\s*(?P<suffix>{_alternation(_SUFFIX_WORDS)})?"
)
_BARE_NUMBER = re.compile(rf"^(?P<num>{_NUMBER})\s*(?:%|‰)?$")
_NUMBER_WITH_UNIT = re.compile(rf"^(?P<num>{_NUMBER})\s*(?P<unit>\S{{1,12}})$")
_ITEM_START = re.compile(rf"^(?:{_alternation(_SIGNS)}|{_alternation(_WORDS)}|[-+]?\d)")
# Openings of a qualitative target; a break before one of them starts a new item.
_TEXT_ITEM_START = re.compile(
    r"^(?:不|无|保持|完成|逐|减少|降低|下降|提高|建立|实施|开展|有效|全面|制定|稳定|持续|达到|按|符合)"
)
# Scope variants: "县≥85", "县:开展", "山区≥60", "综合利用率≤60%的地区≥2".
_SCOPE_LEVEL = re.compile(r"^(?P<scope>[市县区])\s*(?=[≥≤<>=\d+-])")
_SCOPE_COLON = re.compile(r"^(?P<scope>[\u4e00-\u9fff、]{1,10})\s*:\s*(?P<rest>.+)$", re.S)
_SCOPE_PLACE = re.compile(r"^(?P<scope>.{0,20}(?:地区|城市|山区|高原|平原))\s*(?P<rest>.+)$", re.S)
_ATTRIBUTES = {"约束性": "约束性", "约束": "约束性", "参考性": "参考性", "参考": "参考性"}
_ATTRIBUTE = re.compile(r"约束性?|参考性?")
_SCOPED_ATTRIBUTE = re.compile(r"(?P<scope>[\u4e00-\u9fff]{1,6})\s*:\s*(?P<value>约束性?|参考性?)")


def _display(raw: str) -> str:
    """The text as a reader would copy it: markup removed, wraps repaired (one line).

    Parsing looks at ``_display(raw).translate(_WIDTH)``; the translation is one
    character for one, so a span found there cuts the display text at the same place
    and the pieces handed back keep the document's own characters.
    """
    text = raw
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return repair_spaces(text)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """A target as written (``raw``) and what could be read from it.

    ``op``/``value`` hold a comparison (``">="``, 20.0); ``text`` holds the wording
    that is not a plain comparison (a qualitative target, a condition such as
    ``"或逐年下降"``, or the whole text when the number belongs to a named quantity
    as in ``"△EQI≥-1"``); ``scope`` the variant it applies to (县, 山区, …).
    """

    raw: str
    op: str | None
    value: float | None
    text: str | None
    scope: str | None


def parse_target(raw: str | None) -> Target | None:
    """Read one target; several scope variants in one text come back as text only
    (split them with :func:`split_scoped_targets` first)."""
    if raw is None:
        return None
    text = _display(raw)
    if text.translate(_WIDTH) in _PLACEHOLDERS:
        return None
    if len(_scoped_pieces(text)) > 1:
        return Target(raw, None, None, text, None)
    return _parse_piece(raw, text)


def split_scoped_targets(raw: str | None) -> list[Target]:
    """One Target per scope variant: ``"市≥95 县≥85"`` → [市 ≥95, 县 ≥85]; a plain
    ``"≥80"`` → [≥80 without scope]; nothing readable → []."""
    if raw is None:
        return []
    text = _display(raw)
    if text.translate(_WIDTH) in _PLACEHOLDERS:
        return []
    pieces = _scoped_pieces(text)
    if len(pieces) == 1:
        return [_parse_piece(raw, text)]
    return [_parse_piece(piece, piece) for piece in pieces]


def _scoped_pieces(text: str) -> list[str]:
    """Cut at ``;`` and before a space-separated token that names a scope; the cut is kept
    only when at least two pieces name a scope (otherwise the text is one target)."""
    signs = text.translate(_WIDTH)
    spans: list[list[int]] = []
    for part in re.finditer(r"[^;]+", signs):
        first = True
        for token in re.finditer(r"\S+", part.group(0)):
            start, end = part.start() + token.start(), part.start() + token.end()
            if not first and _split_scope(text[start:end])[0] is None:
                spans[-1][1] = end
            else:
                spans.append([start, end])
            first = False
    pieces = [text[a:b] for a, b in spans]
    if sum(1 for piece in pieces if _split_scope(piece)[0]) < 2:
        return [text]
    return pieces


def _split_scope(text: str) -> tuple[str | None, str]:
    """(scope, rest) of one piece; (None, text) when it names no scope."""
    signs = text.translate(_WIDTH)
    match = _SCOPE_LEVEL.match(signs)
    if match:
        return text[: match.end("scope")], text[match.end():].strip()
    match = _SCOPE_COLON.match(signs)
    if match:
        return text[: match.end("scope")].strip(), text[match.start("rest"):].strip()
    match = _SCOPE_PLACE.match(signs)
    if match and (_ITEM_START.match(match.group("rest")) or match.group("scope").endswith("地区")):
        return text[: match.end("scope")].strip(), text[match.start("rest"):].strip()
    return None, text


def _parse_piece(raw: str, text: str) -> Target:
    scope, rest = _split_scope(text)
    signs = rest.translate(_WIDTH)
    comparisons = [m for m in _COMPARISON.finditer(signs) if m.group("op") or m.group("suffix")]
    if not comparisons:
        bare = _BARE_NUMBER.match(signs) or _NUMBER_WITH_UNIT.match(signs)
        if bare and (bare.re is _BARE_NUMBER or is_unit(bare.group("unit"))):
            return Target(raw, "=", float(bare.group("num")), None, scope)
        return Target(raw, None, None, rest or None, scope)
    if len(comparisons) > 1:
        return Target(raw, None, None, rest, scope)
    match = comparisons[0]
    word = match.group("op")
    op = (_SIGNS.get(word) or _WORDS.get(word)) if word else _SUFFIX_WORDS[match.group("suffix")]
    value = float(match.group("num"))
    if signs[: match.start()].strip():  # a named quantity ("△EQI≥-1"): keep the whole wording
        return Target(raw, op, value, rest, scope)
    remainder = rest[match.end():].strip(" ,;、。，；")
    if is_unit(remainder):  # ≤0.42吨标准煤/万元: the unit written in the cell is no qualifier
        remainder = ""
    return Target(raw, op, value, remainder or None, scope)


def split_target_items(raw: str | None, expected: int) -> list[str]:
    """Cut a target cell into ``expected`` items (one per sub-indicator or variant, in order).

    ``"≥90\\n≥75\\n≥80"`` (3) → 3 items; ``"≥2\\n保持稳定或持续改\\n善"`` (2) →
    ``["≥2", "保持稳定或持续改善"]``.  A break before a number or comparison, or after
    a number, always cuts; a break between two words cuts only when that is the only
    way to reach ``expected`` items or when the next word opens a qualitative target.
    When no such cut gives exactly ``expected`` items the whole text comes back as one
    item, for the caller to share.
    """
    if raw is None:
        return [""]
    raw = rejoin_percent(raw)
    tokens = raw.split()
    whole = repair_spaces(raw)
    if expected <= 1 or len(tokens) < expected:
        return [whole]
    signs = [t.translate(_WIDTH) for t in tokens]
    forced, optional = [], []
    for index in range(1, len(tokens)):
        left, right = signs[index - 1], signs[index]
        if _ITEM_START.match(right) or re.search(r"\d\s*[%‰]?$", left):
            forced.append(index)
        else:
            optional.append(index)
    needed = expected - 1 - len(forced)
    if needed < 0:
        return [whole]
    if needed == len(optional):
        cuts = forced + optional
    else:
        opening = [i for i in optional if _TEXT_ITEM_START.match(signs[i])]
        if len(opening) != needed:
            return [whole]
        cuts = forced + opening
    bounds = [0, *sorted(cuts), len(tokens)]
    return [repair_spaces(" ".join(tokens[a:b])) for a, b in zip(bounds, bounds[1:])]


# --------------------------------------------------------------------------- attribute


def parse_attribute(raw: str | None, scope: str | None = None) -> str | None:
    """``"约束性指标"`` → 约束性.  A per-scope cell (``"市：约束性\\n县：参考性"``) resolves
    with ``scope`` or when all scopes agree.  Only 约束性, 参考性 or None come out:
    an unresolvable cell gives None and the caller keeps ``attribute_raw``."""
    if not raw:
        return None
    text = re.sub(r"\s+", "", raw.translate(_WIDTH))
    scoped = {m.group("scope"): _ATTRIBUTES[m.group("value")] for m in _SCOPED_ATTRIBUTE.finditer(text)}
    if scoped:
        if scope in scoped:
            return scoped[scope]
        values = set(scoped.values())
    else:
        values = {_ATTRIBUTES[m.group(0)] for m in _ATTRIBUTE.finditer(text)}
    return values.pop() if len(values) == 1 else None


# --------------------------------------------------------------------------- years and money

_YEAR = r"(?:19|20)\d{2}"
_YEAR_RANGE = re.compile(rf"(?<!\d)(?P<a>{_YEAR})\s*年?\s*(?:-|~|—+|－|至|到)\s*(?P<b>{_YEAR}|\d{{2}})(?!\d)")
_ANY_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


_NO_UNIT = {"", "-", "—", "——", "一", "/", "／", "无", "－"}
#: a bracketed note closing an indicator name (``单位地区生产总值用水量（立方米/万元）``), a star after it
_NAME_BRACKET = re.compile(r"[（(]\s*([^（）()]{1,12}?)\s*[）)]\s*[*＊]?\s*$")
#: unit words a name's closing bracket may hold on their own
_NAME_UNITS = frozenset({"%", "％", "‰", "个", "项", "家", "天", "公顷", "亩", "吨", "千克", "公里", "万元", "亿元",
                         "μg/m³", "ug/m³", "μg/m3", "mg/L", "米", "平方米", "立方米", "处", "座", "条", "平方公里",
                         "平方千米", "千米"})
#: a rate unit: a measure per 万元, 人, 公顷 … (立方米/万元, 吨标准煤/万元, 平方米/人); 山区/丘陵 is none
_PER = re.compile(r"^[^/／\d]{1,6}[/／](?:万元|元|人|公顷|亩|平方公里|年|户|吨|立方米|m³|m3|L|升)$")


def unit_in_name(name: str | None) -> str | None:
    """The unit an indicator name closes with in brackets, where the table has no unit cell:
    ``林草覆盖率（%）`` → %, ``单位地区生产总值用水量（立方米/万元）`` → 立方米/万元; a bracket
    that is no unit (``（试行）``, ``（EQI）``, ``（2020年）``) gives None."""
    match = _NAME_BRACKET.search(name or "")
    if not match:
        return None
    inner = match.group(1).strip()
    return inner if is_unit(inner) else None


_VALUE_UNIT = re.compile(rf"{_NUMBER}\s*(?P<unit>%|％|‰|[^\d\s（()）]{{1,12}})\s*$")


def unit_in_value(raw: str | None) -> str | None:
    """The unit a value cell writes after its number, where the table has no unit cell:
    ``≥80%`` → %, ``0.43吨标准煤/万元`` → 吨标准煤/万元; words (``≥85且持续改善``) give None."""
    match = _VALUE_UNIT.search((raw or "").translate(_WIDTH).strip())
    if not match:
        return None
    unit = match.group("unit").replace("％", "%")
    return unit if is_unit(unit) else None


def is_unit(text: str | None) -> bool:
    """Whether ``text`` is a unit on its own (%, 公顷, 立方米/万元, 吨标准煤/万元), not words."""
    text = (text or "").strip()
    return text in _NAME_UNITS or bool(_PER.match(text))


def clean_unit(raw: str | None) -> str | None:
    """A unit cell as a unit: wrap and brackets removed ("(\n%\n)" → "%"); a dash (or the 一 a
    conversion made of it) means no unit."""
    if raw is None:
        return None
    text = re.sub(r"\s+", "", raw).strip("()（）")
    return None if text in _NO_UNIT else text


def parse_years(raw: str | None) -> tuple[int | None, int | None]:
    """建设年限 → (start, end): ``"2019-2025"``, ``"2019—2021年"``, ``"2019年-2021年"``,
    ``"2019～2021"``, ``"2020-21"``; one year gives (y, y); an end before the start
    or no year gives (None, None)."""
    if not raw:
        return None, None
    text = raw.translate(_WIDTH)
    match = _YEAR_RANGE.search(text)
    if match:
        start, end_text = int(match.group("a")), match.group("b")
        end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
    else:
        years = [int(y) for y in _ANY_YEAR.findall(text)]
        if not years:
            return None, None
        start, end = years[0], years[-1]
    return (start, end) if start <= end else (None, None)


_MONEY = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>亿元|亿|千万元|千万|万元|万|元)?$")
_UNIT_FACTORS = {"亿元": 10000.0, "亿": 10000.0, "千万元": 1000.0, "千万": 1000.0,
                 "万元": 1.0, "万": 1.0, "元": 0.0001}
_UNIT_HINT = re.compile(r"亿元|千万元|万元|(?<![\u4e00-\u9fff])元")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def parse_money_wan(raw: str | None, unit: str | None = "万元") -> float | None:
    """An amount in 万元: ``"1,850"`` → 1850, ``"1.2亿元"`` → 12000, ``"3000万元"`` → 3000.

    ``unit`` is the column header's unit (``"(万元)"``, ``"总投资(亿元)"``) used when the
    cell names none; None means 万元.  A cell with several amounts, a range or words
    ("待定") gives None rather than a guess.
    """
    if not raw:
        return None
    text = _THOUSANDS.sub("", re.sub(r"\s+", "", raw.translate(_WIDTH)))
    match = _MONEY.match(text)
    if not match:
        return None
    written = match.group("unit")
    if written:
        factor = _UNIT_FACTORS[written]
    else:
        hint = _UNIT_HINT.search(unit.translate(_WIDTH)) if unit else None
        if unit and not hint:
            return None
        factor = _UNIT_FACTORS[hint.group(0)] if hint else 1.0
    return round(float(match.group("num")) * factor, 6)


# --------------------------------------------------------------------------- deadlines

_DATE = re.compile(
    rf"(?<!\d)(?P<year>{_YEAR})(?!\d)\s*(?:"
    r"年\s*(?:(?P<month>\d{1,2})\s*月|(?P<half>上半年|下半年)|第?(?P<quarter>[一二三四1-4])\s*季度|(?P<end>年?底|年?末))?"
    r"|[./-](?P<month2>\d{1,2})(?!\d))?"
    r"|(?<![\d.])(?P<lone_month>\d{1,2})\s*月"
)
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_DEADLINE_AFTER = re.compile(r"^\s*(?:之前|以前|前|内|完成)")
_STATUS_BEFORE = re.compile(r"(?:截至|截止到?)\s*$")


def _month_of(match: re.Match[str]) -> int | None:
    if match.group("month") or match.group("month2"):
        return int(match.group("month") or match.group("month2"))
    if match.group("half"):
        return 6 if match.group("half") == "上半年" else 12
    if match.group("quarter"):
        return _QUARTER_END[match.group("quarter")]
    return 12 if match.group("end") else None


def _format(year: int | None, month: int | None) -> str | None:
    if year is None or not 1990 <= year <= 2099:
        return None
    if month is None:
        return f"{year}"
    return f"{year}-{month:02d}" if 1 <= month <= 12 else None


def parse_deadline(raw: str | None) -> str | None:
    """完成时限 → ``"YYYY-MM"`` or ``"YYYY"``; the last date in the cell wins.

    ``"2023年12月"``, ``"2023.12"``, ``"2023年6月前"`` → month; ``"2023年"`` → ``"2023"``.
    A period's end is its last month: ``"2023年底"``/``"2023年年底前"`` → ``"2023-12"``,
    ``"2023年上半年"`` → ``"2023-06"``, ``"第三季度"`` → ``-09``.  A range
    (``"2023-2025年"``) gives its last year; a month alone (``"至9月"``) takes the year
    before it.  No date → None.
    """
    if not raw:
        return None
    year: int | None = None
    result: str | None = None
    for match in _DATE.finditer(raw.translate(_WIDTH)):
        if match.group("year"):
            year = int(match.group("year"))
            result = _format(year, _month_of(match))
        elif year is not None:
            result = _format(year, int(match.group("lone_month")))
    return result


def find_deadline(text: str | None) -> str | None:
    """The first deadline stated in a prose sentence, e.g. ``"确保在2023年6月前上传"`` →
    ``"2023-06"``, ``"力争 2021 年底前成功创建"`` → ``"2021-12"``.

    A date counts when it is followed by 前/之前/以前/内/完成 or is a period's end
    (年底, 年末); a status date (``"截至2021年12月31日"``) does not.
    """
    if not text:
        return None
    text = text.translate(_WIDTH)
    for match in _DATE.finditer(text):
        if not match.group("year") or _STATUS_BEFORE.search(text[max(0, match.start() - 4): match.start()]):
            continue
        tail = text[match.end(): match.end() + 4]
        tail = re.sub(r"^\s*\d{1,2}\s*日", "", tail) if match.group("month") else tail
        if match.group("end") or _DEADLINE_AFTER.match(tail):
            return _format(int(match.group("year")), _month_of(match))
    return None


# --------------------------------------------------------------------------- measured values and assessments

_CELL_YEAR = re.compile(rf"[(\[【]?\s*(?<!\d)(?P<year>{_YEAR})(?!\d)\s*年度?\s*[)\]】]?\s*[:：]?")
_ASSESSMENT_NOTE = re.compile(r"[(（【\[].*$")


def parse_year(raw: str | None) -> int | None:
    """The one year a header, caption or cell names: ``"2023年度指标完成情况"`` → 2023,
    ``"现状值（2020年）"`` → 2020.  A span (``"2021-2030年"``) or several different years
    name no single year: None."""
    if not raw:
        return None
    text = raw.translate(_WIDTH)
    if _YEAR_RANGE.search(text):
        return None
    years = {int(y) for y in _ANY_YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


@dataclass(frozen=True)
class Measured:
    """A measured value as written (``raw``), its number and the year it was measured."""

    raw: str
    value: float | None
    year: int | None


def parse_measured(raw: str | None, dated_by: str | None = None) -> Measured | None:
    """A measured value (现状值, 完成值): ``"78.5%"`` → 78.5, ``"≥95"`` → 95 (the number it
    states), ``"已建立"`` → no number.  A year written in the cell (``"78.5（2022年）"``) dates
    it, else the one year ``dated_by`` (the column header or the table caption) names.
    A placeholder (``"—"``, ``"/"``) is no value: None."""
    if raw is None:
        return None
    text = _display(raw)
    signs = text.translate(_WIDTH)
    if signs in _PLACEHOLDERS:
        return None
    in_cell = [int(m.group("year")) for m in _CELL_YEAR.finditer(signs)]
    bare = _CELL_YEAR.sub("", signs).strip()
    target = parse_target(bare) if bare else None
    value = target.value if target and target.text is None and target.scope is None else None
    year = in_cell[-1] if len(set(in_cell)) == 1 else parse_year(dated_by)
    return Measured(raw, value, year)


def parse_assessment(raw: str | None, words: dict[str, bool | None]) -> bool | None:
    """Whether a document's own assessment says the target is met: the whole cell (spaces,
    end punctuation and a bracketed note cut: ``"达标（提前完成）"``) looked up in ``words``
    (``assessment_words.csv``: 达标/是/√ → True, 未达标/否/× → False, 基本达标 → None).
    Anything not listed gives None; nothing is ever inferred from the numbers."""
    if not raw:
        return None
    key = _ASSESSMENT_NOTE.sub("", re.sub(r"\s+", "", _display(raw).translate(_WIDTH))).strip("。.;；,，、")
    return words.get(key)
