"""Document facts as county and city government sites print them (examples written in the style of real pages).

Each class of the issue has its own parametrised cases: metadata blocks and
flattened ``|`` tables, red headers, forwarded notices, traditional text,
templates with ××县, Chinese-numeral dates, plan years, cited list versions.
"""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.interpret.metadata import (
    cited_catalogue_version,
    named_catalogue_version,
    parse_date,
    plan_year,
    read_metadata,
)

NOTICE = "关于印发《卢氏县2022年生态文明建设示范县创建工作要点》的通知"
BODY = ["各乡镇人民政府，县直各单位：", "现将《卢氏县2022年生态文明建设示范县创建工作要点》印发给你们，请认真贯彻落实。"]


def page(*head: str, body: list[str] | None = None, tail: tuple[str, ...] = ()) -> list[str]:
    return [*head, *(BODY if body is None else body), *tail]


# ---------------------------------------------------------------- 文号


@pytest.mark.parametrize("lines", [
    page("文号：卢政办〔2022〕8号", NOTICE),
    page("发文字号: 卢政办〔2022〕8号", NOTICE),
    page("文件编号：卢政办[2022]8号", NOTICE),
    page("[ 发文字号 ] 卢政办〔2022〕8号 [ 成文日期 ] 2022-03-05", NOTICE),
    page("【发文字号】卢政办〔2022〕8号【发布日期】2022年03月07日", NOTICE),
    page("索 引 号: | 000014349/2022-00012 | 主题分类: | 生态环境 |", "发布机构: | 县政府办 | 发文字号: | 卢政办〔2022〕8号 |",
         NOTICE),
    page("索引号 | 000014349/2022-00012 | 发文字号 | 卢政办〔2022〕8号 |", NOTICE),
    page("发文字号：", "卢政办〔2022〕8号", NOTICE),  # label and value in two rows of a flattened table
    page("卢氏县人民政府办公室文件", "卢政办〔2022〕8号", NOTICE),
    page("卢氏县人民政府办公室文件", "卢政办〔2022〕8号 签发人：张三", NOTICE),
    page("发文字号卢政办〔2022〕8号", NOTICE),  # the label glued to the value: not part of it
    page("发 文 字 号 ： 卢政办 〔 2022 〕 8 号", NOTICE),
])
def test_doc_number_as_sites_print_it(lines):
    assert read_metadata(lines).doc_number == "卢政办〔2022〕8号"


@pytest.mark.parametrize("lines", [
    page("有效性: | 有效 | 发文字号 | 无文号 |", NOTICE,
         body=["根据《河南省生态文明建设示范区管理规程》（豫环文〔2021〕42号）要求，现将工作要点印发给你们。"]),
    page(NOTICE, body=["依据《国家生态文明建设示范区建设指标（修订版）》（环办生态函〔2021〕353号）", "环办生态函〔2021〕353号"]),
])
def test_cited_numbers_are_never_the_notices_own(lines):
    assert read_metadata(lines).doc_number is None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("lines,day", [
    (page(NOTICE, tail=("卢氏县人民政府办公室 2022年3月5日",)), "2022-03-05"),  # body and date on one line
    (page(NOTICE, tail=("卢氏县人民政府办公室", "二〇二二年三月五日")), "2022-03-05"),
    (page(NOTICE, tail=("卢氏县人民政府办公室", "二○一一年十月九日")), "2011-10-09"),
    (page(NOTICE, tail=("卢氏县人民政府办公室", "二0二二年三月五日")), "2022-03-05"),
    (page("成文日期：2022-03-05", NOTICE), "2022-03-05"),
    (page("成文日期：2022年03月05日", NOTICE), "2022-03-05"),
    (page("发布时间：2022-03-08 16:56:51", NOTICE), "2022-03-08"),
    (page("发布日期: | 2022-03-08 | 成文日期: | 2022-03-05 |", NOTICE), "2022-03-05"),  # 成文日期 over 发布日期
    (page("发布日期：2022-03-08", NOTICE, tail=("卢氏县人民政府办公室", "2022年3月5日")), "2022-03-05"),
    (page(NOTICE, tail=("卢氏县人民政府办公室", "2022年3月5日 10:20")), "2022-03-05"),
])
def test_dates_as_sites_print_them(lines, day):
    assert read_metadata(lines).issue_date == day


@pytest.mark.parametrize("lines,issuer", [
    (page("发布机构：县生态环境分局", NOTICE, tail=("卢氏县人民政府办公室", "2022年3月5日")), "卢氏县人民政府办公室"),
    (page("发布机构：县生态环境分局", "卢氏县人民政府办公室文件", NOTICE), "卢氏县人民政府办公室"),
    (page("发文机关：卢氏县人民政府办公室", "信息来源：县政府办", "关于印发《卢氏县2022年工作要点》的通知"), "卢氏县人民政府办公室"),
    (page("信息来源：卢氏县生态环境分局", "卢氏县2022年生态文明建设示范县创建工作要点"), "卢氏县生态环境分局"),
])
def test_the_sites_publisher_is_the_issuer_only_when_the_document_names_none(lines, issuer):
    assert read_metadata(lines).issuer == issuer


def test_signing_body_and_date_on_one_line_give_the_issuer():
    meta = read_metadata(page(NOTICE, tail=("卢氏县人民政府办公室 2022年3月5日",)))
    assert meta.issuer == "卢氏县人民政府办公室"


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize("lines,title", [
    (page("首页 > 政务公开 > 政策文件", "索引号：000014349/2022-00012", NOTICE), NOTICE),
    (page("您当前的位置：首页 > 信息公开 > 通知公告", NOTICE), NOTICE),
    (page("首页", "政务公开", NOTICE), NOTICE),
    (page(f"{NOTICE} | |||||", "发布日期：2022-03-08"), NOTICE),  # a title padded with empty cells
    (page("标题：" + NOTICE, "发文字号：卢政办〔2022〕8号"), NOTICE),
    (page("卢氏县人民政府办公室文件", "卢政办〔2022〕8号", NOTICE), NOTICE),  # the red header is no part of it
    (page("卢氏县人民政府办公室", "卢政办〔2022〕8号", NOTICE), NOTICE),
    (page("关于印发《卢氏县2022年生态文明建设", "示范县创建工作要点》的通知"), NOTICE),  # line breaks joined
    (page("卢氏县人民政府办公室文件关于印发《卢氏县2022年生态文明建设示范县创建工作要点》的通知"), NOTICE),
    (page("卢氏县人民政府门户网站", NOTICE), NOTICE),  # the site's name right above the title
    (page("卢氏县人民政府办公室", NOTICE), NOTICE),  # a red header without 文件
    (page("中共卢氏县委办公室", "卢氏县人民政府办公室", "文件", "卢办发〔2022〕3号", NOTICE), NOTICE),
])
def test_title_is_the_documents_title_only(lines, title):
    assert read_metadata(lines).title == title


def test_traditional_page_keeps_its_text_and_reads_its_facts():
    lines = ["首頁 > 政務公開", "發文字號：盧政辦〔2021〕8號", "成文日期：二〇二一年五月六日",
             "盧氏縣人民政府辦公室關於印發盧氏縣創建國家生態文明建設示範縣工作方案的通知", "各鄉鎮人民政府：",
             "依據《國家生態文明建設示範縣、市指標（試行）》（環生態〔2016〕4號），現將方案印發給你們。",
             "盧氏縣人民政府辦公室", "2021年5月6日"]
    meta = read_metadata(lines)
    assert meta.title == "盧氏縣人民政府辦公室關於印發盧氏縣創建國家生態文明建設示範縣工作方案的通知"  # as written
    assert meta.issuer == "盧氏縣人民政府辦公室"
    assert (meta.doc_number, meta.issue_date, meta.catalogue_version) == ("卢政办〔2021〕8号", "2021-05-06", "2016")
    assert meta.region_raw == "卢氏县"


def test_template_with_placeholder_county_reads_its_frame():
    lines = ["××县创建国家生态文明建设示范县工作方案（2021—2025年）", "为加快推进我县创建工作，特制定本方案。",
             "力争2023年通过省级验收，2025年成功创建国家生态文明建设示范县。", "××县人民政府", "2021年3月1日"]
    meta = read_metadata(lines)
    assert (meta.title, meta.plan_year, meta.issue_date) == (lines[0], None, "2021-03-01")


# ---------------------------------------------------------------- plan year


@pytest.mark.parametrize("title,lines,year", [
    ("卢氏县2022年生态文明建设示范县创建工作要点", [], 2022),
    ("关于印发《卢氏县2022年生态文明建设示范县创建工作要点》的通知", [], 2022),
    ("二〇二三年靖州县生态文明建设示范区创建工作计划", [], 2023),  # a Chinese-numeral year
    ("靖州县二○一一年度生态县创建工作要点", [], 2011),
    ("卢氏县生态文明建设示范县规划（2021—2030年）", ["2025年完成……", "2025年底前……"], None),
    ("卢氏县生态文明建设示范县规划（2021—2030年）", ["2023年度重点工作任务"], None),  # the title decides
    ("卢氏县创建国家生态文明建设示范县实施方案", ["力争2025年创建成功。", "到2025年，森林覆盖率达到60%。"], None),
    ("关于做好生态文明建设示范区创建工作的通知", ["一、2023年度重点工作任务", "（一）……"], 2023),
    ("关于做好生态文明建设示范区创建工作的通知", ["全面完成我县2023年国家生态文明建设示范区各项建设指标任务。"], 2023),
    ("关于做好生态文明建设示范区创建工作的通知", ["现将有关事项通知如下。", "卢氏县人民政府", "2023年3月1日"], None),
    ("关于做好生态文明建设示范区创建工作的通知", ["根据《卢氏县2022年工作要点》，", "2023年底前完成"], None),
    (None, ["2022年工作任务……", "2023年工作任务……"], None),  # two years stated: no single one
])
def test_plan_year_is_the_year_the_plan_is_for(title, lines, year):
    assert plan_year(title, lines) == year


def test_signing_year_is_not_the_plan_year():
    meta = read_metadata(page("卢氏县创建国家生态文明建设示范县工作方案", body=["为推进创建工作，特制定本方案。"],
                              tail=("卢氏县人民政府办公室", "2022年3月5日")))
    assert meta.issue_date == "2022-03-05" and meta.plan_year is None


# ---------------------------------------------------------------- the cited list version


@pytest.mark.parametrize("text,version", [
    ("依据《国家生态文明建设示范县、市指标（试行）》（环生态〔2016〕4号）", "2016"),
    ("对照《国家生态文明建设示范县、市指标》", "2016"),
    ("根据环生态[2016]4号文件要求", "2016"),
    ("按照《国家生态文明建设示范区管理规程（试行）》", "2016"),  # the 2016 rules, issued with the trial list
    ("原《国家生态文明建设示范区管理规程（试行）》已由《国家生态文明建设示范区管理规程（修订版）》替代", "2021"),
    ("根据生态环境部《关于印发〈国家生态文明建设示范市县建设指标〉的通知》（环生态〔2019〕76号）", "2019"),
    ("根据环生态（2019）76号", "2019"),
    ("依据《国家生态文明建设示范区建设指标（修订版）》（环办生态函〔2021〕353号）", "2021"),
    ("依据环办生态函[2021]353号", "2021"),
    ("《国家生态文明建设示范区管理规程（修订版）》", "2021"),
    ("《国家生态文明建设示范区建设指标（2021修订版）》", "2021"),
    ("《国家生态文明建设示范区建设指标（2021年修订版）》", "2021"),
    ("对照《国家生态文明建设示范区建设指标》逐项推进", "2021"),
    ("对照《生态文明建设示范区（市）建设指标》", "2024"),
    ("对照《生态文明建设示范区(县)建设指标》", "2024"),
    ("依據《國家生態文明建設示範區建設指標（修訂版）》", "2021"),  # traditional
    ("依据《国家生态文明建设示范市县建设指标》", None),  # the 2019 name alone: only a weak hint
    ("依据《湖南省生态文明建设示范区建设指标》", None),
])
def test_list_version_from_every_way_it_is_cited(text, version):
    assert cited_catalogue_version(text) == version


def test_the_2019_name_alone_is_a_weak_hint():
    assert named_catalogue_version("依据《国家生态文明建设示范市县建设指标》") == "2019"
    assert named_catalogue_version("依据《国家生态文明建设示范区建设指标》") is None


# ---------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["文号", "发文字号", "文件编号"]), st.sampled_from(["：", ":", " : ", "", " "]),
       st.sampled_from(["〔〕", "[]", "［］", "()"]), st.integers(2000, 2030), st.integers(1, 999),
       st.sampled_from(["", "|", " | "]))
def test_labelled_doc_number_never_carries_its_label(label, colon, brackets, year, number, cell):
    line = f"{label}{colon}{cell}卢政办{brackets[0]}{year}{brackets[1]}{number}号"
    meta = read_metadata(page(line, NOTICE))
    assert meta.doc_number == f"卢政办〔{year}〕{number}号"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("|：:[]【】文号发字成日期布2023-0年月日首页>关于通知县")), max_size=30),
                max_size=12))
def test_pages_of_labels_and_cells_never_fail(lines):
    meta = read_metadata(lines)
    assert meta.title is None or "|" not in meta.title.strip("|")


@settings(max_examples=150, deadline=None)
@given(st.integers(2000, 2040), st.sampled_from([
    "力争{y}年创建成功", "力争{y}年成功创建国家生态文明建设示范县", "到{y}年，森林覆盖率达到60%", "{y}年底前完成创建",
    "确保{y}年通过省级验收", "{y}年12月31日前完成", "截至{y}年底，完成各项建设指标任务", "（{y}—{z}年）重点工作任务",
]))
def test_milestone_and_deadline_years_are_never_the_plan_year(year, template):
    lines = ["为加快推进创建工作，特制定本方案。", template.format(y=year, z=year + 5) + "。", "卢氏县人民政府", f"{year}年3月1日"]
    assert plan_year("卢氏县创建国家生态文明建设示范县实施方案", lines) is None
    assert read_metadata(["卢氏县创建国家生态文明建设示范县实施方案", *lines]).plan_year is None


@settings(max_examples=150, deadline=None)
@given(st.integers(2000, 2040), st.integers(2001, 2040))
def test_a_span_in_the_title_has_no_single_plan_year(start, end):
    title = f"卢氏县生态文明建设示范县规划（{start}—{end}年）"
    assert plan_year(title, [f"{start}年度重点工作任务"]) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["-", "/", "."]),
       st.booleans(), st.sampled_from(["成文日期", "发布日期", "公开日期"]))
def test_metadata_dates_round_trip(day, sep, padded, label):
    m, d = (f"{day.month:02d}", f"{day.day:02d}") if padded else (str(day.month), str(day.day))
    assert parse_date(f"{day.year}{sep}{m}{sep}{d} 16:56:51") == day
    assert read_metadata([f"{label}：{day.year}{sep}{m}{sep}{d}", NOTICE, *BODY]).issue_date == day.isoformat()


def test_a_forwarding_notice_is_not_signed_by_the_forwarded_documents_issuer():
    lines = ["关于转发《湖南省生态环境厅关于做好生态文明建设示范区创建工作的通知》的通知", "各乡镇人民政府：",
             "现将《湖南省生态环境厅关于做好生态文明建设示范区创建工作的通知》转发给你们，请认真贯彻落实。",
             "湖南省生态环境厅关于做好生态文明建设示范区创建工作的通知", "各市州生态环境局：", "……",
             "湖南省生态环境厅", "2023年3月1日", "安化县生态环境分局", "2023年3月8日"]
    meta = read_metadata(lines)
    assert (meta.issuer, meta.issue_date) == ("安化县生态环境分局", "2023-03-08")


def test_site_page_with_cell_borders_around_the_title_and_the_number_under_it():
    lines = ["首页 |", "|", "桃源县生态环境保护委员会关于印发《〈桃源县生态文明建设示范县规划（2018-2025）〉推进方案》的通知 |",
             "|||", "桃生环委发〔2020〕4号",
             "各乡镇人民政府，县直有关单位：《〈桃源县生态文明建设示范县规划（2018-2025）〉推进方案》已经县人民政府同意，现印发给你们。",
             "桃源县生态环境保护委员会 2020年5月12日", "一、工作目标", "力争到2022年创建省级生态文明建设示范县。"]
    meta = read_metadata(lines)
    assert meta.title == "桃源县生态环境保护委员会关于印发《〈桃源县生态文明建设示范县规划（2018-2025）〉推进方案》的通知"
    assert (meta.doc_number, meta.issue_date, meta.plan_year) == ("桃生环委发〔2020〕4号", "2020-05-12", None)
    assert meta.issuer == "桃源县生态环境保护委员会"


def test_policy_interpretation_page_with_its_byline():
    lines = ["《桃源县创建生态文明建设示范县工作实施方案》政策解读",
             "作者:     发布时间:2021-11-04 10:12     信息来源: 县生态环境分局     浏览数:",
             "一、制定目的", "力争2023年底前成功创建省级生态文明建设示范县。",
             "二、制定依据", "《国家生态文明建设示范市县建设指标》（环生态〔2019〕76号）"]
    meta = read_metadata(lines)
    assert (meta.title, meta.issue_date, meta.plan_year) == (lines[0], "2021-11-04", None)
    assert (meta.issuer, meta.catalogue_version, meta.region_raw) == ("县生态环境分局", "2019", "桃源县")


def test_a_page_of_another_programme_with_a_byline():
    """生态文明先行示范区 is another programme: its page is read, and its 来源：本站 is no issuer."""
    lines = ["皮肤设置:", "某湖生态文明先行示范区建设绩效评估工作自查报告",
             "发布时间:2018-08-24 15:42:25     来源:本站     阅读:321", "某市发展和改革委员会:",
             "现将我市生态文明先行示范区建设工作自查情况总结如下。", "一、示范区建设总体工作开展情况"]
    meta = read_metadata(lines)
    assert (meta.title, meta.issue_date, meta.issuer) == (lines[1], "2018-08-24", None)


@pytest.mark.parametrize("lines,day,issuer", [
    (page("文号：卢政办〔2022〕8号成文日期：2022年3月5日", NOTICE), "2022-03-05", None),  # labels glued after values
    (page(NOTICE, body=["资金来源：县财政", "申报日期：2022年5月1日", "截止日期：2022年6月30日"]), None, None),
])
def test_label_words_inside_other_words_are_no_labels(lines, day, issuer):
    meta = read_metadata(lines)
    assert (meta.issue_date, meta.issuer) == (day, issuer)


def test_a_gazette_page_with_a_search_form_above_the_document():
    lines = ["网站首页 简体 繁体", "年 份:", "期 号:", "关键字:", "按文号:", "搜索 高级搜索 重置信息", "主管主办", "某省人民政府办公厅",
             "某省人民政府", "关于命名第二批省级生态文明建设示范县的决定", "某府函〔2023〕12号",
             "各市(州)、县(市、区)人民政府，省政府各部门：", "省政府决定命名……为第二批省级生态文明建设示范县。",
             "某省人民政府", "2023年5月8日"]
    meta = read_metadata(lines)
    assert (meta.title, meta.doc_number, meta.issue_date) == (lines[9], "某府函〔2023〕12号", "2023-05-08")


@pytest.mark.parametrize("title", ["关于政务公开工作中加强生态文明建设示范区创建宣传的通知", "首页设计方案"])
def test_navigation_words_inside_a_long_title_leave_it_a_title(title):
    assert read_metadata([title, "各乡镇人民政府：", "……"]).title == (title if not title.startswith("首页") else None)
