"""Document metadata read from the prose frame (title, 落款, 文号, 成文日期, plan year, catalogue version)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.interpret.metadata import (
    cited_catalogue_version,
    join_title_lines,
    parse_date,
    plan_year,
    read_metadata,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def raw_lines(prefix: str) -> list[str]:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()


def clean(line: str) -> str:
    """What the extractors hand on: markup gone, spaces inside CJK text removed."""
    line = re.sub(r"\[(?:bookmark|image):[^\]]*\]", "", line).replace("**", "")
    return re.sub(r"(?<=[\u4e00-\u9fff])[ ]+(?=[\u4e00-\u9fff\d])|(?<=\d)[ ]+(?=[\u4e00-\u9fff])", "", line)


SEEDS = {
    "000": dict(title="2023年靖州县生态文明建设示范区创建工作计划", issuer="靖州苗族侗族自治县生态环境保护委员会办公室",
                doc_number=None, issue_date="2023-08-01", plan_year=2023, region_raw="靖州县",
                catalogue_version="unknown"),
    "001": dict(title="常德市生态文明建设示范市创建工作领导小组办公室关于印发《常德市2020年生态文明建设示范市创建工作方案》的通知",
                issuer="常德市生态文明建设示范市创建工作领导小组办公室", doc_number="常生创办〔2020〕2号",
                issue_date="2020-03-23", plan_year=2020, region_raw="常德市", catalogue_version="unknown"),
    "002": dict(title=None, issuer=None, doc_number=None, issue_date=None, plan_year=2023, region_raw="鹿寨县",
                catalogue_version="2021"),
    # 003 is 安化县's multi-year work plan: its only years are milestones ("力争2021年底前…省级…，2025年底前…国家…")
    "003": dict(title=None, issuer=None, doc_number=None, issue_date=None, plan_year=None, region_raw="安化县",
                catalogue_version="unknown"),
    "004": dict(title="卢氏县2021年国家生态文明建设示范县创建工作总结及2022年工作计划", issuer="卢氏县“三城联创”指挥部办公室",
                doc_number="卢三创指办〔2022〕2号", issue_date="2022-01-26", plan_year=2022, region_raw="卢氏县",
                catalogue_version="unknown"),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
@pytest.mark.parametrize("prepare", [clean, lambda line: line], ids=["cleaned", "with-leftovers"])
def test_seed_metadata(prefix, prepare):
    meta = read_metadata([prepare(line) for line in raw_lines(prefix)])
    assert {field: getattr(meta, field) for field in SEEDS[prefix]} == SEEDS[prefix]


# ---------------------------------------------------------------- the frame


@pytest.mark.parametrize("number_line", ["常生创办〔2020〕2号", "常生创办[2020]2号", "常生创办［2020］2号",
                                         "常生创办(2020)2号", "常生创办 〔2020〕 2 号", "常生创办〔2020〕第2号"])
def test_doc_number_brackets_are_normalised(number_line):
    meta = read_metadata(["常德市某办公室文件", number_line, "关于印发《常德市2020年工作方案》的通知"])
    assert meta.doc_number == "常生创办〔2020〕2号"


def test_doc_numbers_cited_in_the_body_are_not_the_documents_own():
    lines = ["常德市2020年生态文明建设示范市创建工作方案", "为加快推进我市创建工作，特制定本方案。",
             "严格落实《常德市生态文明建设目标评价考核办法》(常办〔2017〕39号)。", "常办〔2017〕39号"]
    assert read_metadata(lines).doc_number is None


@pytest.mark.parametrize("text,expected", [
    ("2023年8月1日", date(2023, 8, 1)),
    ("二〇二三年八月一日", date(2023, 8, 1)),
    ("二○二二年一月二十六日", date(2022, 1, 26)),
    ("二零二零年三月二十三日", date(2020, 3, 23)),
    ("二〇二一年十二月三十一日", date(2021, 12, 31)),
    ("2023 年 12 月 10 日", date(2023, 12, 10)),
    ("2023年2月30日", None),
    ("2023年12月", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_chinese_numeral_signature_date():
    lines = ["某县2023年工作计划", "为推进创建工作，制定本计划。", "某县生态环境保护委员会办公室", "二〇二三年八月一日"]
    meta = read_metadata(lines)
    assert (meta.issuer, meta.issue_date) == ("某县生态环境保护委员会办公室", "2023-08-01")


def test_dates_in_the_body_are_not_the_issue_date():
    lines = ["卢氏县2022年工作计划", "截止2021年12月31日，完成各项任务。", "2021年12月31日", "继续推进各项工作。",
             "一是…", "二是…", "三是…", "四是…", "五是…", "六是…"]
    assert read_metadata(lines).issue_date is None


def test_joint_signature_keeps_both_bodies():
    lines = ["某县2023年工作计划", "特制定本计划。", "某县生态环境局", "某县发展和改革局", "2023年3月1日"]
    assert read_metadata(lines).issuer == "某县生态环境局、某县发展和改革局"


def test_masthead_names_the_issuer_when_there_is_no_signature():
    meta = read_metadata(["卢氏县“三城联创”指挥部办公室文件", "卢三创指办〔2022〕2号", "卢氏县2022年工作计划", "正文。"])
    assert meta.issuer == "卢氏县“三城联创”指挥部办公室"


def test_notice_title_names_the_issuer_when_nothing_else_does():
    meta = read_metadata(["常德市某办公室关于印发《常德市2020年工作方案》的通知", "各区县人民政府："])
    assert meta.issuer == "常德市某办公室"
    assert meta.region_raw == "常德市"


def test_notice_without_issuer_prefix_takes_the_region_from_the_issued_plan():
    meta = read_metadata(["关于印发《安化县2021年生态文明建设示范县创建工作方案》的通知", "各乡镇人民政府："])
    assert (meta.issuer, meta.region_raw, meta.plan_year) == (None, "安化县", 2021)


@pytest.mark.parametrize("lines,title", [
    (["2023年靖州县生态文明建设示范区", "创建工作计划", "为加快推进……。"], "2023年靖州县生态文明建设示范区创建工作计划"),
    (["靖州县生态文明建设示范区创建工作计划（2023年）", "正文。"], "靖州县生态文明建设示范区创建工作计划（2023年）"),
    (["根据《国家生态文明建设示范区管理规程》等文件要求，特制定本工作计划。", "总体目标", "附表1 任务分解表"], None),
    (["一、指导思想", "某县工作方案"], None),
])
def test_title(lines, title):
    assert read_metadata(lines).title == title


@pytest.mark.parametrize("title,year", [
    ("卢氏县2021年国家生态文明建设示范县创建工作总结及2022年工作计划", 2022),
    ("2023年靖州县生态文明建设示范区创建工作计划", 2023),
    ("关于印发《常德市2020年生态文明建设示范市创建工作方案》的通知", 2020),
    ("某县2021年工作总结", 2021),
])
def test_plan_year_from_title(title, year):
    assert plan_year(title, []) == year


@pytest.mark.parametrize("lines,year", [
    (["附表2 2023年重点工作任务清单", "2022年完成情况……", "2022年……"], 2023),
        # milestones and dates are not the year a plan is for
    (["力争2021年底前成功创建省级示范县，2025年底前创建国家示范县。", "2021年4月启动"], None),
    (["《鹿寨县国家生态文明建设示范县规划（2019-2025年）》", "（2021年至2025年）"], None),
    (["2022年完成……", "2023年完成……"], None),
])
def test_plan_year_from_the_text(lines, year):
    assert plan_year(None, lines) == year


# ---------------------------------------------------------------- catalogue version


@pytest.mark.parametrize("text,version", [
    ("根据《国家生态文明建设示范区建设指标（2021年修订版）》", "2021"),
    ("《国家生态文明建设示范区管理规程（2021修订版）》", "2021"),
    ("依据《国家生态文明建设示范市县建设指标》（环生态〔2019〕76号）", "2019"),
    ("依据《国家生态文明建设示范市县建\n设指标》(环生态[2019]76号)", "2019"),
    ("按照2019年印发的《国家生态文明建设示范市县建设指标》", "2019"),
    ("依据《国家生态文明建设示范市县管理规程》《国家生态文明建\n设示范市县建设指标》,见下表。", None),
    ("对照《国家生态文明建设示范县、市指标（试行）》", "2016"),
    ("按照《国家生态文明建设示范区复核工作规范（试行）》要求", None),
    ("依据《湖南省生态文明建设示范市县建设指标》", None),
    ("对照《生态文明建设示范区（县）建设指标》", "2024"),
    ("按照《生态文明建设示范区(市)建设指标》《生态文明建设示范区(县)建设指标》要求", "2024"),
    ("对照《生态文明建设示范区（市、县）建设指标》", "2024"),
    ("根据《国家生态文明建设示范区建设指标(修订版)》", "2021"),
    ("按照环办生态函〔2021〕353号文件要求", "2021"),
    ("依据2024年修订的建设指标", "2024"),
    ("原2019年《国家生态文明建设示范市县建设指标》已由《国家生态文明建设示范区建设指标（2021年修订版）》替代", "2021"),
    ("", None),
])
def test_cited_catalogue_version(text, version):
    assert cited_catalogue_version(text) == version


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=15))
def test_read_metadata_never_fails(lines):
    meta = read_metadata(lines)
    assert meta.catalogue_version in {"2016", "2019", "2021", "2024", "unknown"}
    if meta.issue_date is not None:
        assert date.fromisoformat(meta.issue_date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_free_text_parsers_never_fail(text):
    parse_date(text)
    assert cited_catalogue_version(text) in {None, "2016", "2019", "2021", "2024"}


_CN = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + ("" if ones == 0 else _CN[ones])


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_round_trip_in_both_numeral_systems(day):
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    chinese = "".join(_CN[int(d)] for d in str(day.year)) + f"年{_cn_number(day.month)}月{_cn_number(day.day)}日"
    assert parse_date(chinese) == day


@pytest.mark.parametrize("lines, title", [
    # OCR dropped the dash a wrapped year range ended its line with (scanned suichang plan)
    (["遂昌县创建国家生态文明建设示范县实施方案(2023", "2025年)"], "遂昌县创建国家生态文明建设示范县实施方案(2023—2025年)"),
    (["XX县生态文明建设规划（2021", "2030年）"], "XX县生态文明建设规划（2021—2030年）"),
    # the dash read: joined as it is
    (["遂昌县创建国家生态文明建设示范县实施方案（2023—", "2025年）"], "遂昌县创建国家生态文明建设示范县实施方案（2023—2025年）"),
    (["遂昌县生态文明建设示范区创建2023年工作总结和2024", "年工作思路"], "遂昌县生态文明建设示范区创建2023年工作总结和2024年工作思路"),
    (["关于印发XX县2023", "年度工作要点的通知"], "关于印发XX县2023年度工作要点的通知"),
    (["编号12023", "2025年方案"], "编号120232025年方案"),  # not a year at the line's end
    (["XX县方案（2023", "20250年）"], "XX县方案（202320250年）"),  # not a year at the next line's start
])
def test_a_title_wrapped_inside_a_year_range_gets_its_dash_back_only_there(lines, title):
    assert join_title_lines(lines) == title


@given(st.lists(st.text(alphabet="年方案（）()—-0123456789县规划", max_size=12), min_size=1, max_size=4))
def test_joining_title_lines_only_ever_adds_dashes_between_them(lines):
    joined = join_title_lines(lines)
    assert joined.replace("—", "") == "".join(lines).replace("—", "")
    assert joined.count("—") - "".join(lines).count("—") <= len(lines) - 1
