"""Document metadata from the prose: title, issuer, 文号, 成文日期, plan year, region text, catalogue version.

A Chinese official document has a fixed frame: a masthead (``…办公室文件``), the
文号 (``卢三创指办〔2022〕2号``), the title, the addressees, the body, then the
落款 (signing body) with the 成文日期 on the next line (or on the same line).  A
page of a government site adds its own frame: navigation, a breadcrumb and a
metadata block of labelled facts (发文字号, 成文日期, 发布日期 …, see
:mod:`planingest.interpret.labelled`).  Reading those frames, rather than
searching the whole text, keeps dates and 文号 *cited in the body* out of the
metadata.  Every field is ``None`` when the frame lacks it (a dump whose first
page is lost has no title): nothing is invented.

Text in traditional characters is folded to simplified before any matching
(:mod:`planingest.core.hanzi`); the title and the issuer keep the text as written.

This stage knows no place names: ``region_raw`` is the place-name text the
region will be resolved from (``normalize/regions.py``), not a resolved region.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from planingest.catalogue.docwords import MetadataLabels, load_metadata_labels
from planingest.core.hanzi import to_simplified
from planingest.core.records import RawMetadata
from planingest.core.text import remove_cjk_digit_spaces, remove_cjk_spaces, strip_markup
from planingest.interpret.labelled import LabelValue, is_label_line, is_navigation, label_values, single_cell
from planingest.interpret.listversion import cited_catalogue_version, named_catalogue_version

__all__ = ["cited_catalogue_version", "issued_plan_title", "quotes", "named_catalogue_version", "own_plan_title", "parse_date",
           "plan_year", "read_metadata"]

_HEAD_LINES = 8  # the frame above the body: masthead, 文号, title (maybe wrapped), addressees
_SCAN_LINES = 40  # how far a site's chrome and metadata block may push the frame down
_TAIL_LINES = 5
_FORM_FIELD = 5  # characters (colon included) up to which a line ending with a colon is a form field
_MAX_TITLE = 100
_TITLE_END = re.compile(
    r"(?:方案|计划|规划|总结|通知|要点|意见|安排|办法|决定|报告|细则|纲要|清单|公示|公告|通告|通报|汇报|批复|情况|解读|规程|思路)"
    r"(?:[（(][^（）()]{1,12}[）)])?$"
)
_NOTICE = re.compile(r"^(?P<issuer>.{2,40}?)?关于(?P<verb>印发|转发|下发|发布|颁发)?《(?P<inner>[^》]+)》")
_ISSUING = re.compile(r"^(?P<issuer>.{2,40}?)?关于(?P<verb>印发|下发|发布|颁发)(?P<inner>[^《》]{4,80}?)的(?:通知|决定|函)$")
_FORWARD = re.compile(r"^(?P<issuer>.{2,40}?)?(?:关于)?转发")
_MASTHEAD = re.compile(r"^(?P<issuer>.{2,40}?)文件$")
_SITE_ITSELF = frozenset({"本站", "本网", "本网站", "原创", "网站"})
_SITE_NAME = re.compile(r"(?:网站|门户网|政府网|信息网|公开网)$")
_MASTHEAD_PREFIX = re.compile(r"^.{2,40}?文件(?=关于)")
_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*(?P<num>\d{1,4})\s*号"
)
_ARABIC_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.．])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)")
_CN_DIGIT = "〇○零0Ｏ一二三四五六七八九"
_CHINESE_DATE = re.compile(rf"(?P<y>[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>[一二三四五六七八九十]{{1,3}})\s*月"
                           r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日")
_CHINESE_YEAR = re.compile(rf"[{_CN_DIGIT}]{{4}}(?=\s*年)")
_TIME_AFTER = re.compile(r"\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*$")
_ORG_END = re.compile(r"(?:办公室|委员会|人民政府|政府|指挥部|领导小组|小组|管委会|局|厅|委|办|部|中心|院|所|站)$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_ADDRESSEES_END = re.compile(r"[:：]$")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
#: a single year ("2023年"), not an end of a range ("2019-2025年", "2021年至2025年")
_SINGLE_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})\s*年(?!\s*[\-—–~～至到]\s*(?:19|20)\d{2})")
_RANGE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?\s*[\-—–~～至到]\s*(?:19|20)\d{2}(?!\d)")
_PLAN_WORD = re.compile(r"计划|方案|要点|任务|安排|总结|报告|清单")
#: an explicit statement of the year's work: "2023年度重点工作任务", "全面完成我县2023年…建设指标任务";
#: not a deadline or milestone ("力争2025年创建成功", "2023年底前", "2021年12月") nor a cited title
_PLAN_STATEMENT = re.compile(
    r"(?<![\d\-—–~～至到])(?<!力争)(?<!争取)(?<!确保)(?<!截至)(?<!截止)(?<!到)(?<!于)(?<!在)"
    r"((?:19|20)\d{2})\s*年(?:度)?(?![\d月底前末初以起中内年\-—–~～至到])"
    r"[^，,。；;：:！？\n《》、]{0,20}?(?:工作计划|工作方案|工作要点|工作任务|重点工作|重点任务|指标任务|推进工作|创建工作|工作总结)"
)
#: the place-name units a title or issuer starts with (湖南省怀化市靖州苗族侗族自治县)
_PLACE_UNIT = re.compile(
    r"[\u4e00-\u9fff]{1,10}(?:自治县|自治州|自治旗|自治区|特别行政区)|[\u4e00-\u9fff]{1,6}(?:地区|省|市|县|区|旗|州|盟)"
)
_SUBJECT_END = re.compile(r"(?<=[县市区旗州])(?=国家生态|生态文明|人民政府|委员会)")
_SELF_REFERENCE_START = frozenset("我全本该各")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "0": 0, "Ｏ": 0}


def read_metadata(paragraphs: list[str], labels: MetadataLabels | None = None) -> RawMetadata:
    """Read the document frame from its prose lines (in reading order).

    Matching runs on the lines folded to simplified characters; the title and
    the issuer are cut out of the lines *as written* at the same positions.
    """
    labels = labels or load_metadata_labels()
    pairs = [(single_cell(_clean(p)), single_cell(_spaced(p))) for p in paragraphs]
    pairs = [(line, spaced) for line, spaced in pairs if line]
    written = [line for line, _ in pairs]
    lines = [to_simplified(line) for line in written]
    frame = _Frame(written, lines, labels, [spaced for _, spaced in pairs])
    title = frame.title()
    signature = _signature(lines, _forwarded_part(to_simplified(title or "")))
    issuer = ("、".join(frame.as_written(*span) for span in signature[0]) if signature else None) \
        or frame.labelled_text("issuer") or _issuer_fallback(frame, title) or _publisher(frame)
    issue_date = frame.labelled_date("written_date") or (signature[1] if signature else None) \
        or frame.labelled_date("published_date") or _loose_date(frame)
    folded_title = to_simplified(title) if title else None
    text = "\n".join(lines)
    return RawMetadata(
        title=title,
        issuer=issuer,
        doc_number=frame.doc_number(),
        issue_date=issue_date.isoformat() if issue_date else None,
        plan_year=plan_year(folded_title, lines),
        region_raw=_place_prefix(own_plan_title(folded_title)) or _place_prefix(to_simplified(issuer or ""))
        or _body_subject(text),
        catalogue_version=cited_catalogue_version(text) or "unknown",
    )


class _Frame:
    """The lines of a document as written and folded, with the labelled facts of its head and tail."""

    def __init__(self, written: list[str], lines: list[str], labels: MetadataLabels, spaced: list[str]) -> None:
        """``spaced``: the same lines with their spaces kept, where labels are looked for (a byline
        "发布时间:2022-01-04     信息来源: 县分局     浏览数:" is told apart by its spaces)."""
        self.written, self.lines, self.labels, self.spaced = written, lines, labels, spaced
        n = len(lines)
        scanned = sorted(set(range(min(n, _SCAN_LINES))) | set(range(max(0, n - _TAIL_LINES * 3), n)))
        self.labelled: list[LabelValue] = label_values([to_simplified(x) for x in spaced], labels, scanned)
        self.title_end: int | None = None  # the last line of the title, once title() found it

    def as_written(self, line: int, start: int = 0, end: int | None = None) -> str:
        return self.written[line][start:end].strip()

    def _first(self, field: str) -> LabelValue | None:
        return next((lv for lv in self.labelled if lv.field == field), None)

    def labelled_text(self, field: str) -> str | None:
        lv = self._first(field)
        return _clean(self.spaced[lv.line][lv.start: lv.end]) if lv else None

    def labelled_date(self, field: str) -> date | None:
        for lv in self.labelled:
            if lv.field == field and (found := parse_date(lv.value)) is not None:
                return found
        return None

    def head(self) -> list[int]:
        """Indexes of the lines above the body (masthead, 文号, title …), past site chrome and metadata rows."""
        head: list[int] = []
        for i, line in enumerate(self.lines[:_SCAN_LINES]):
            if is_navigation(line, self.labels) or is_label_line(line, self.labels) \
                    or any(lv.line == i and lv.label_line >= 0 for lv in self.labelled):
                continue
            if _ADDRESSEES_END.search(line) and len(line.replace(" ", "")) <= _FORM_FIELD:
                continue  # a search form's field (年份:, 关键字:), not the addressees
            if _SENTENCE_END.search(line) or _ADDRESSEES_END.search(line) or _SECTION_HEADING.match(line) \
                    or len(line) > _MAX_TITLE:
                break
            head.append(i)
            if len(head) >= _HEAD_LINES:
                break
        return head

    def title(self) -> str | None:
        """The labelled title, else the first head line (or two or three wrapped lines joined) that ends like one.

        Lines are joined only while they follow each other directly: a title does
        not run across its red header, 文号 or date line.
        """
        labelled = self._first("title")
        if labelled and _TITLE_END.search(labelled.value) and len(labelled.value) <= _MAX_TITLE:
            return _clean(self.spaced[labelled.line][labelled.start: labelled.end])
        head = [i for i in self.head() if not self._frame_line(i) and "|" not in self.lines[i]]
        for k, i in enumerate(head):
            if _is_org_line(self.lines[i]) or _SITE_NAME.search(self.lines[i]):
                continue  # a body or site name above the title is no part of it
            run = [i]
            for j in head[k + 1: k + 3]:
                if j != run[-1] + 1:
                    break
                run.append(j)
            joined = ""
            for j, index in enumerate(run):
                joined += self.lines[index]
                if _TITLE_END.search(joined) and len(joined) <= _MAX_TITLE:
                    self.title_end = index
                    raw = join_title_lines([self.written[x] for x in run[: j + 1]])
                    cut = _MASTHEAD_PREFIX.match(joined)
                    return raw[cut.end():] if cut else raw
        return None

    def _frame_line(self, i: int) -> bool:
        """A masthead, 文号, date or 签发人 line, or the red header above a 文号 line."""
        line = self.lines[i]
        if _MASTHEAD.match(line) or _is_doc_number_line(line) or _is_date_line(line) or "签发人" in line:
            return True
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        return _is_org_line(line) and (_is_doc_number_line(nxt) or nxt == "文件")

    def doc_number(self) -> str | None:
        """The labelled 文号, else the 文号 line of the head; brackets normalised to 〔〕.

        A value that holds no number ("无", "无文号") says the document has none.
        """
        labelled = [lv for lv in self.labelled if lv.field == "doc_number"]
        for lv in labelled:
            match = _DOC_NUMBER.search(lv.value.replace(" ", ""))
            if match:
                return _normal_number(match)
        if labelled:
            return None
        if self.title_end is None:
            self.title()
        for i in self.head():
            line = self.lines[i]
            if self.title_end is not None and i > self.title_end + 1:
                break  # a 文号 stands above its title or right under it; further down it is cited
            if _is_doc_number_line(line):
                return self._unlabelled(_normal_number(_DOC_NUMBER.search(line.replace(" ", ""))))
        return None

    def _unlabelled(self, number: str) -> str:
        """A 文号 label glued to its value without a colon (发文字号常政办发〔2023〕5号) is no part of it."""
        for label in self.labels.labels():
            if self.labels.by_label[label] == "doc_number" and number.startswith(label) \
                    and not number[len(label)].startswith("〔"):
                return number[len(label):]
        return number


def _normal_number(match: re.Match) -> str:
    return f"{match['prefix']}〔{match['year']}〕{match['num']}号"


def parse_date(text: str) -> date | None:
    """The first full date in ``text``: "2023年8月1日", "二〇二三年八月一日", "2023-04-07"; None if absent or impossible."""
    found = [m for m in (p.search(text) for p in (_ARABIC_DATE, _CHINESE_DATE, _NUMERIC_DATE)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    if match.re is _CHINESE_DATE:
        y = int("".join(str(_CN_DIGITS[c]) for c in match["y"]))
        m, d = _chinese_number(match["m"]), _chinese_number(match["d"])
    else:
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    try:
        return date(y, m, d)
    except ValueError:
        return None


_LINE_END_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}$")
_LINE_START_YEAR = re.compile(r"^(?:19|20)\d{2}(?!\d)")


def join_title_lines(lines: list[str]) -> str:
    """A title's wrapped lines joined; a year range wrapped at its dash gets the dash back.

    OCR drops a dash standing alone at a line's end (``…方案（2023—`` / ``2025年）`` is read
    ``…方案(2023`` / ``2025年)``): two years meeting at the wrap are never written without a
    dash between them, so ``—`` is put back; every other wrap is joined as it is.
    """
    out = ""
    for line in lines:
        if out and _LINE_END_YEAR.search(out) and _LINE_START_YEAR.match(line):
            out += "—"
        out += line
    return out


def plan_year(title: str | None, lines: list[str]) -> int | None:
    """The year the plan is for: the title's year, else an explicit statement of the year's work.

    In a title the year that governs a plan word wins ("2021年…总结及2022年工作计划"
    → 2022).  A title naming a span (规划（2021—2030年）) and no single year has no
    plan year.  Without a title year only statements count ("2023年度重点工作任务",
    "完成我县2023年…建设指标任务"), all naming the same year: never a deadline or a
    milestone (力争2025年创建成功, 2023年底前), a date or a cited title.
    """
    if title:
        title = _arabic_years(title)
        years = list(_SINGLE_YEAR.finditer(title))
        for i in range(len(years) - 1, -1, -1):
            segment = title[years[i].end(): years[i + 1].start() if i + 1 < len(years) else len(title)]
            if _PLAN_WORD.search(segment):
                return int(years[i].group(1))
        if years:
            return int(years[0].group(1))
        if _RANGE_YEAR.search(title):
            return None
    text = _mask_cited(_arabic_years("\n".join(lines)))
    stated = {int(m.group(1)) for m in _PLAN_STATEMENT.finditer(text)}
    return stated.pop() if len(stated) == 1 else None


def issued_plan_title(title: str | None) -> str | None:
    """The plan a covering notice issues: 关于印发《常德市2020年…方案》的通知 → 常德市2020年…方案; else None."""
    match = _NOTICE.match(title or "") or _ISSUING.match(title or "")
    return match["inner"] if match and match["verb"] != "转发" else None


def own_plan_title(title: str | None) -> str | None:
    """The name of the plan a title is about: the plan a notice issues, the plan a page interprets
    (《X县…方案》政策解读 → X县…方案); a forwarded document is not the forwarding body's plan,
    so a forwarding notice is about its issuer's own area."""
    if not title:
        return title
    if title.startswith("《") and "》" in title:
        return title[1: title.index("》")]
    issued = issued_plan_title(title)
    if issued:
        return issued
    forward = _FORWARD.match(title)
    if forward:
        return forward["issuer"]
    return title


_QUOTED = re.compile(r"《([^《》]{1,80})》")
_ISSUED_BEFORE = ("印发", "下发", "颁发", "发布", "制定", "制订")
_ISSUED_AFTER = re.compile(r"[^，。；]{0,6}?(?:印发|下发|颁发)")


def quotes(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int, str, bool]]:
    """Every 《…》 in ``text`` as (start, end, name, own): ``own`` when it is the document's own plan,
    issued by it (印发《X》, 制定《X》, 现将《X》印发给你们), not a document it cites or forwards
    (根据《…规程》, 现将《…的通知》转发给你们).  A title starting with 《X》 (《X》政策解读) is about X."""
    out = []
    for m in _QUOTED.finditer(text, pos, len(text) if endpos is None else endpos):
        own = m.start() == 0 or text.endswith(_ISSUED_BEFORE, 0, m.start()) \
            or (text.endswith("现将", 0, m.start()) and bool(_ISSUED_AFTER.match(text, m.end())))
        out.append((m.start(), m.end(), m.group(1), own))
    return out


def _mask_cited(text: str) -> str:
    """Titles of cited documents blanked (same length); the plan's own (现将《…》印发) kept."""
    chars = list(text)
    for start, end, _, own in quotes(text):
        if not own and start > 0:
            chars[start:end] = "□" * (end - start)
    return "".join(chars)


def _arabic_years(text: str) -> str:
    """二〇二三年 → 2023年, so Chinese-numeral years count like the others."""
    return _CHINESE_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(0)), text)


def _spaced(text: str) -> str:
    """The line with its markup gone but its spaces kept (they separate the fields of a byline)."""
    return strip_markup(text or "").replace("\u3000", " ").strip()


def _clean(text: str) -> str:
    return remove_cjk_digit_spaces(remove_cjk_spaces(strip_markup(text or ""))).replace("\u3000", " ").strip()


def _chinese_number(text: str) -> int:
    """"八" → 8, "十" → 10, "十二" → 12, "二十六" → 26, "三十一" → 31."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _date_span(line: str) -> re.Match | None:
    """The date a line consists of (a time may follow it: "2023-05-29 16:56:51")."""
    compact = line.strip()
    for pattern in (_ARABIC_DATE, _CHINESE_DATE, _NUMERIC_DATE):
        match = pattern.match(compact)
        if match and _TIME_AFTER.fullmatch(compact[match.end():]):
            return match
    return None


def _is_date_line(line: str) -> bool:
    match = _date_span(line)
    return bool(match) and parse_date(match.group(0)) is not None


def _is_doc_number_line(line: str) -> bool:
    """A line that is a 文号, maybe with the 签发人 beside it ("常政发〔2023〕5号 签发人：张三")."""
    compact = line.replace(" ", "")
    match = _DOC_NUMBER.match(compact)
    return len(line) <= 60 and bool(match) and (match.end() == len(compact) or "签发人" in compact[match.end():])


def _is_org_line(line: str) -> bool:
    return 4 <= len(line) <= 40 and bool(_ORG_END.search(line)) and not re.search(r"[，,。；;：:、|]", line)


def _forwarded_part(title: str) -> str:
    """What a forwarding notice forwards: the title after 转发 ("" for any other title)."""
    forward = _FORWARD.match(title)
    return title[forward.end():] if forward else ""


def _is_forwarded_signer(org: str, forwarded: str) -> bool:
    """The 落款 of the forwarded document (湖南省生态环境厅 in 转发《省生态环境厅关于…》), not the notice's own."""
    if not forwarded:
        return False
    body = org[len(_place_prefix(org) or ""):]
    return len(body) >= 2 and body in forwarded


def _signature(lines: list[str], forwarded: str = "") -> tuple[list[tuple[int, int, int | None]], date] | None:
    """The first 落款: signing body line(s) directly above a date line, or body and date on one line.

    A forwarding notice also carries the forwarded document's 落款: a signer that
    the title names as the forwarded document's issuer is skipped.  Returns the
    spans (line, start, end) of the signing bodies and the date.
    """
    for j, line in enumerate(lines):
        if _is_date_line(line):
            orgs: list[int] = []
            k = j - 1
            while k >= 0 and len(orgs) < 3 and _is_org_line(lines[k]):
                orgs.insert(0, k)
                k -= 1
            found = parse_date(line)
            if orgs and found and not any(_is_forwarded_signer(lines[k], forwarded) for k in orgs):
                return [(k, 0, None) for k in orgs], found
            continue
        for pattern in (_ARABIC_DATE, _CHINESE_DATE):
            match = pattern.search(line)
            if match is None or not _TIME_AFTER.fullmatch(line[match.end():]):
                continue
            org = line[: match.start()].rstrip()
            found = parse_date(match.group(0))
            if org and found and _is_org_line(org) and not _is_forwarded_signer(org, forwarded):
                return [(j, 0, len(org))], found
    return None


def _issuer_fallback(frame: _Frame, title: str | None) -> str | None:
    """No 落款 and no label: the masthead ("X文件"), else the notice title's "X关于印发…"."""
    for i in frame.head():
        match = _MASTHEAD.match(frame.lines[i])
        if match:
            return frame.as_written(i, 0, match.end("issuer"))
    folded = to_simplified(title or "")
    match = _NOTICE.match(folded) or _FORWARD.match(folded)
    return title[: match.end("issuer")] if match and match["issuer"] else None


def _publisher(frame: _Frame) -> str | None:
    """The site's 来源/发布机构, unless it names the site itself (来源：本站)."""
    text = frame.labelled_text("publisher")
    return text if text and to_simplified(text) not in _SITE_ITSELF else None


def _loose_date(frame: _Frame) -> date | None:
    """A date line with no signing body above it, but only in the head or the tail of the document."""
    for i in frame.head() + list(range(max(0, len(frame.lines) - _TAIL_LINES), len(frame.lines))):
        if _is_date_line(frame.lines[i]):
            return parse_date(frame.lines[i])
    return None


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
