"""Document metadata from the prose: title, issuer, 文号, 成文日期, plan year, region text, catalogue version.

A Chinese official document has a fixed frame: a masthead (``…办公室文件``), the
文号 (``卢三创指办〔2022〕2号``), the title, the addressees, the body, then the
落款 (signing body) with the 成文日期 on the next line.  Reading that frame,
rather than searching the whole text, keeps dates and 文号 *cited in the body*
out of the metadata.  Every field is ``None`` when the frame lacks it (a dump
whose first page is lost has no title): nothing is invented.

This stage knows no vocabulary: ``region_raw`` is the place-name text the
region will be resolved from (``normalize/regions.py``), not a resolved region.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from planingest.core.records import RawMetadata
from planingest.core.text import remove_cjk_digit_spaces, remove_cjk_spaces, strip_markup

_HEAD_LINES = 8  # the frame above the body: masthead, 文号, title (maybe wrapped), addressees
_TAIL_LINES = 5
_MAX_TITLE = 100
_TITLE_END = re.compile(
    r"(?:方案|计划|规划|总结|通知|要点|意见|安排|办法|决定|报告|细则|纲要|清单)(?:[（(][^（）()]{1,12}[）)])?$"
)
_NOTICE = re.compile(r"^(?P<issuer>.{2,40}?)?关于(?:印发|转发|下发)?《(?P<inner>[^》]+)》")
_MASTHEAD = re.compile(r"^(?P<issuer>.{2,40}?)文件$")
_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*(?P<num>\d{1,4})\s*号"
)
_ARABIC_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CHINESE_DATE = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
                           r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日")
_ORG_END = re.compile(r"(?:办公室|委员会|人民政府|政府|指挥部|领导小组|小组|管委会|局|厅|委|办|部|中心|院|所|站)$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_ADDRESSEES_END = re.compile(r"[:：]$")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
#: a single year ("2023年"), not an end of a range ("2019-2025年", "2021年至2025年")
_SINGLE_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})\s*年(?!\s*[\-—–~～至到]\s*(?:19|20)\d{2})")
_PLAN_WORD = re.compile(r"计划|方案|要点|任务|安排")
_PLAN_PHRASE = re.compile(
    r"((?:19|20)\d{2})\s*年度?(?:国家生态文明建设示范[县市区])?(?:创建)?"
    r"(?:重点工作任务|重点推进工作任务|重点工作|工作计划|工作方案|工作要点|重点任务)"
)
#: the place-name units a title or issuer starts with (湖南省怀化市靖州苗族侗族自治县)
_PLACE_UNIT = re.compile(
    r"[\u4e00-\u9fff]{1,10}(?:自治县|自治州|自治旗|自治区|特别行政区)|[\u4e00-\u9fff]{1,6}(?:地区|省|市|县|区|旗|州|盟)"
)
_SUBJECT_END = re.compile(r"(?<=[县市区旗州])(?=国家生态|生态文明|人民政府|委员会)")
_SELF_REFERENCE_START = frozenset("我全本该各")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}

# Citations of the national indicator list, newest first: (version, pattern).
_CATALOGUE_CITATIONS = (
    # 2024: 《生态文明建设示范区(市)建设指标》《生态文明建设示范区(县)建设指标》 (notice of 2024-02-01)
    ("2024", re.compile(r"2024年?修订|生态文明建设示范区[（(][市县、]{1,3}[）)]建设指标")),
    # 2021: 《国家生态文明建设示范区建设指标(修订版)》, 环办生态函〔2021〕353号, "（2021年修订版）"
    ("2021", re.compile(r"2021年?修订版|(?:指标|规程)[（(]2021年?修订[）)]"
                        r"|环办生态函[〔\[［(（]2021[〕\]］)）]353号|国家生态文明建设示范区建设指标[（(]修订版[）)]")),
    ("2019", re.compile(r"环生态[〔\[［(（]2019[〕\]］)）]76号"
                        r"|国家生态文明建设示范市县建设指标.{0,30}?2019|2019.{0,30}?国家生态文明建设示范市县建设指标")),
    ("2016", re.compile(r"国家生态文明建设示范县、?市指标[（(]试行[）)]|环生态[〔\[［(（]2016[〕\]］)）]4号")),
)


def read_metadata(paragraphs: list[str]) -> RawMetadata:
    """Read the document frame from its prose lines (in reading order)."""
    lines = [line for line in (_clean(p) for p in paragraphs) if line]
    title = _title(lines)
    signature = _signature(lines)
    issuer = signature[0] if signature else _issuer_fallback(lines, title)
    issue_date = signature[1] if signature else _loose_date(lines)
    text = "\n".join(lines)
    return RawMetadata(
        title=title,
        issuer=issuer,
        doc_number=_doc_number(lines),
        issue_date=issue_date.isoformat() if issue_date else None,
        plan_year=plan_year(title, lines),
        region_raw=_place_prefix(_inner_title(title)) or _place_prefix(issuer) or _body_subject(text),
        catalogue_version=cited_catalogue_version(text) or "unknown",
    )


def cited_catalogue_version(text: str) -> str | None:
    """Which national indicator list the text cites: "2024", "2021", "2019", "2016" or None.

    Only explicit citations count: the 2021 revision ("2021年修订版"), the 2019
    list by its 文号 or by its name with 2019 beside it (the name alone is
    still used loosely for later lists), the 2016 trial list, the 2024 wording.
    When several are cited the newest wins: older lists are cited to say what
    changed.
    """
    flat = re.sub(r"\s+", "", text or "")
    for version, pattern in _CATALOGUE_CITATIONS:
        if pattern.search(flat):
            return version
    return None


def parse_date(text: str) -> date | None:
    """The first full date in ``text``: "2023年8月1日" or "二〇二三年八月一日"; None if absent or impossible."""
    match = _ARABIC_DATE.search(text)
    if match:
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        match = _CHINESE_DATE.search(text)
        if not match:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in match["y"]))
        m, d = _chinese_number(match["m"]), _chinese_number(match["d"])
    try:
        return date(y, m, d)
    except ValueError:
        return None


def plan_year(title: str | None, lines: list[str]) -> int | None:
    """The year the plan is for: from the title, else a "2023年重点工作任务" phrase, else the dominant year.

    In a title the year that governs a plan word wins ("2021年…总结及2022年工作计划" → 2022).
    """
    if title:
        years = list(_SINGLE_YEAR.finditer(title))
        for i in range(len(years) - 1, -1, -1):
            segment = title[years[i].end(): years[i + 1].start() if i + 1 < len(years) else len(title)]
            if _PLAN_WORD.search(segment):
                return int(years[i].group(1))
        if years:
            return int(years[0].group(1))
    text = "\n".join(lines)
    phrased = {int(m.group(1)) for m in _PLAN_PHRASE.finditer(text)}
    if len(phrased) == 1:
        return phrased.pop()
    counts = Counter(int(m.group(1)) for m in _SINGLE_YEAR.finditer(text)).most_common(2)
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        return counts[0][0]
    return None


def _clean(text: str) -> str:
    return remove_cjk_digit_spaces(remove_cjk_spaces(strip_markup(text or ""))).replace("\u3000", " ").strip()


def _chinese_number(text: str) -> int:
    """"八" → 8, "十" → 10, "十二" → 12, "二十六" → 26, "三十一" → 31."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _is_date_line(line: str) -> bool:
    compact = re.sub(r"\s+", "", line)
    match = _ARABIC_DATE.fullmatch(compact) or _CHINESE_DATE.fullmatch(compact)
    return bool(match) and parse_date(compact) is not None


def _is_doc_number_line(line: str) -> bool:
    return len(line) <= 40 and bool(_DOC_NUMBER.match(line.replace(" ", "")))


def _is_org_line(line: str) -> bool:
    return 4 <= len(line) <= 40 and bool(_ORG_END.search(line)) and not re.search(r"[，,。；;：:、]", line)


def _head(lines: list[str]) -> list[str]:
    """The lines above the body (masthead, 文号, title, …), at most a handful."""
    head = []
    for line in lines[:_HEAD_LINES]:
        if _SENTENCE_END.search(line) or _ADDRESSEES_END.search(line) or _SECTION_HEADING.match(line) \
                or len(line) > _MAX_TITLE:
            break
        head.append(line)
    return head


def _title(lines: list[str]) -> str | None:
    """The first head line (or two or three wrapped lines joined) that ends like a title."""
    head = [line for line in _head(lines)
            if not (_MASTHEAD.match(line) or _is_doc_number_line(line) or _is_date_line(line) or "签发人" in line)]
    for i in range(len(head)):
        joined = ""
        for line in head[i: i + 3]:
            joined += line
            if _TITLE_END.search(joined) and len(joined) <= _MAX_TITLE:
                return joined
    return None


def _signature(lines: list[str]) -> tuple[str, date] | None:
    """The first 落款: signing body line(s) directly above a date line."""
    for j, line in enumerate(lines):
        if j == 0 or not _is_date_line(line):
            continue
        orgs = []
        k = j - 1
        while k >= 0 and len(orgs) < 3 and _is_org_line(lines[k]):
            orgs.insert(0, lines[k])
            k -= 1
        if orgs:
            return "、".join(orgs), parse_date(line)
    return None


def _issuer_fallback(lines: list[str], title: str | None) -> str | None:
    """No 落款: the masthead ("X文件"), else the notice title's "X关于印发…"."""
    for line in _head(lines):
        match = _MASTHEAD.match(line)
        if match:
            return match["issuer"]
    match = _NOTICE.match(title or "")
    return match["issuer"] if match and match["issuer"] else None


def _loose_date(lines: list[str]) -> date | None:
    """A date line with no signing body above it, but only in the head or the tail of the document."""
    for line in _head(lines) + lines[-_TAIL_LINES:]:
        if _is_date_line(line):
            return parse_date(line)
    return None


def _doc_number(lines: list[str]) -> str | None:
    """The 文号 line of the head, brackets normalised to 〔〕 (常生创办[2020]2号 → 常生创办〔2020〕2号)."""
    for line in _head(lines):
        if _is_doc_number_line(line):
            match = _DOC_NUMBER.match(line.replace(" ", ""))
            return f"{match['prefix']}〔{match['year']}〕{match['num']}号"
    return None


def _inner_title(title: str | None) -> str | None:
    """A notice's title names the plan it issues: 关于印发《常德市2020年…方案》的通知 → the part in 《》."""
    match = _NOTICE.match(title or "")
    return match["inner"] if match else title


def _place_prefix(text: str | None) -> str | None:
    """The place names a title or an issuer starts with, after a leading year: "2023年靖州县…" → "靖州县"."""
    if not text:
        return None
    rest = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", text.strip())
    out = ""
    while (match := _PLACE_UNIT.match(rest)) is not None:
        out += match.group(0)
        rest = rest[match.end():]
    return out or None


def _body_subject(text: str) -> str | None:
    """The place a text is about when it has no title: the most frequent "X县" before 国家生态/生态文明/….

    Each candidate grows leftwards from its last two characters while most of
    its occurrences agree ("寨县" → "鹿寨县", not "《鹿寨县"); a self-reference
    (我县, 全县) is no place name.  Two mentions at least, and no tie.
    """
    runs = []
    for match in _SUBJECT_END.finditer(text):
        run = _CJK_RUN.search(text[max(0, match.start() - 12): match.start()])
        if run and len(run.group(0)) >= 2:
            runs.append(run.group(0))
    found = Counter()
    for tail in {r[-2:] for r in runs}:
        group = [r for r in runs if r.endswith(tail)]
        name, count = tail, len(group)
        while True:
            longer = Counter(r[-len(name) - 1:] for r in group if len(r) > len(name)).most_common(1)
            if not longer or longer[0][1] < 0.8 * count:
                break
            name, count = longer[0]
            group = [r for r in group if r.endswith(name)]
        if name[0] not in _SELF_REFERENCE_START:
            found[name] = count
    ranked = found.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
