"""The indicator matching ladder on the seeds' own wordings, and its traps."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.catalogue.indicators import load_indicator_catalogue
from planingest.core.names import clean_name, name_key, repair_spaces, split_trailing_note
from planingest.normalize.document import _NEW_IN_2021, _catalogue_version
from planingest.normalize.indicators import AUTO_ACCEPT, IndicatorMatch, IndicatorMatcher


@pytest.fixture(scope="module")
def matcher() -> IndicatorMatcher:
    return IndicatorMatcher(load_indicator_catalogue())


def _accepted(m: IndicatorMatch) -> bool:
    return not m.needs_review and not m.is_local and not m.is_retired


# --- whole tables, as the seeds write the names ------------------------------------------------

# 000 靖州 (2021 list, DOCX cells): county_seq, name cell as dumped, expected ID
JINGZHOU = [
    (1, "生态文明建设规划", "I01"), (2, "党委政府对生态文明建设重大目标任务部署情况", "I02"),
    (3, "生态文明建设工作占党政实绩考核的比例", "I03"), (4, "河长制", "I04"), (5, "生态环境信息公开率", "I05"),
    (6, "依法开展规划环境影响评价", "I06"), (7, "环境空气质量：", "I07"), (8, "水环境质量：", "I08"),
    (9, "生态质量指数(EQI)", "I10"), (10, "林草覆盖率：\n山区", "I11"), (11, "生物多样性保护：", "I12"),
    (12, "危险废物利用处置率", "I14"), (13, "建设用地土壤污染风险管控和修复名录制度", "I15"),
    (14, "突发生态环境事件应急管理机制", "I16"), (15, "自然生态空间：", "I17"), (16, "河湖岸线保护率", "I19"),
    (17, "单位地区生产总值能耗", "I20"), (18, "单位地区生产总值用水量", "I21"),
    (19, "单位国内生产总值建设用地使用面积下降率", "I22"), (20, "三大粮食作物化肥农药利用率：", "I25"),
    (21, "农业废弃物综合利用率：", "I26"), (22, "一般工业固体废物综合利用率提高幅度：", "I27"),
    (23, "集中式饮用水水源地水质优良比例", "I28"), (24, "村镇饮用水卫生合格率", "I29"),
    (25, "城镇污水处理率", "I30"), (26, "农村生活污水治理率", "I31"), (27, "城镇生活垃圾无害化处理率", "I32"),
    (28, "农村生活垃圾无害化处理村占比", "I33"), (29, "农村无害化卫生厕所普及率", "I35"),
    (30, "城镇新建绿色建筑比例", "I36"), (31, "城镇生活垃圾分类减量化行动", "I38"), (32, "政府绿色采购比例", "I39"),
    (33, "党政领导干部参加生态文明培训的人数比例", "I40"), (34, "公众对生态文明建设的满意度", "I41"),
    (35, "公众对生态文明建设的参与度", "I42"),
]

# 002 鹿寨 附表1 (2021 list, explicit): rows whose cell differs from 靖州's
LUZHAI = [
    (2, "党委、政府对生态文明建设重大目标任务部署情况", "I02"),
    (7, "环境空气质量\n（1）优良天数比例\n（2）PM2.5浓度下降幅度", "I07"),
    (8, "水环境质量\n（1）水质达到或优于Ⅲ类比例提高幅度\n（2）劣V类水体比例下降幅度\n（3）黑臭水体消除比例", "I08"),
    (9, "生态环境状况指数", "I10"), (10, "林草覆盖率", "I11"),
    (11, "生物多样性保护\n（1）国家重点保护野生动植物保护率\n（2）外来物种入侵\n（3）特有性或指示性水生物种保持率", "I12"),
    (15, "自然生态空间\n（1）生态保护红线\n（2）自然保护地", "I17"),
    (20, "三大粮食作物化肥农药利用率\n（1）化肥利用率\n（2）农药利用率", "I25"),
    (21, "农业废弃物综合利用率\n（1）秸秆综合利用率\n（2）畜禽粪污综合利用率\n（3）农膜回收利用率", "I26"),
    (22, "一般工业固体废物综合利用率提高幅度（鹿寨县属于综合利用率＞60%的地区）", "I27"),
]


@pytest.mark.parametrize("seq, name, expected", JINGZHOU + LUZHAI, ids=lambda v: str(v)[:20])
def test_county_tables_of_the_2021_list(matcher, seq, name, expected):
    m = matcher.match(name)
    assert (m.indicator_id, m.sub_indicator_id) == (expected, None)
    assert _accepted(m) and m.method in ("exact", "alias") and m.score == 100


# 001 常德 (2019 list, city; sub-items packed into the name cell): seq, cell, ID, method, version
CHANGDE = [
    (1, "生态文明建设规划", "I01", "exact", "2021"),
    (2, "党委政府对生态文明建设重大目标任务部署情况", "I02", "exact", "2021"),
    (3, "生态文明建设工作占党政实绩考核的比例", "I03", "exact", "2021"),
    (4, "河湖长制", "I04", "exact", "2021"),
    (5, "生态环境信息公开率", "I05", "exact", "2021"),
    (6, "依法开展规划环境影响评价", "I06", "exact", "2021"),
    (8, "环境空气质量 优良天数比例 PM2.5浓度下降幅度", "I07", "exact", "2021"),
    (9, "水环境质量 水质达到或优于Ⅲ类比例提高幅度 劣V类水体比例下降幅度 黑臭水体消除比例", "I08", "exact", "2021"),
    (10, "生态环境状况指数", "I10", "exact", "2021"),
    (11, "林草覆盖率 山区 丘陵地区 平原地区", "I11", "exact", "2021"),
    (12, "生物多样性保护 国家重点保护野生动植物保护率 外来物种入侵 特有性或指示性水生物种保持率", "I12", "exact", "2021"),
    (13, "危险废物利用处置率", "I14", "exact", "2021"),
    (14, "建设用地土壤污染风险管控和修复名录制度", "I15", "exact", "2021"),
    (15, "突发生态环境事件应急管理机制", "I16", "exact", "2021"),
    (16, "自然生态空间 生态保护红线 自然保护地", "I17", "exact", "2021"),
    (17, "河湖岸线保护率", "I19", "exact", "2021"),
    (18, "单位地区生产总值能耗", "I20", "exact", "2021"),
    (19, "单位地区生产总值用水量", "I21", "exact", "2021"),
    (20, "单位国内生产总值建设用地使用面积下降率", "I22", "exact", "2021"),
    (21, "碳排放强度", "I23", "exact", "2021"),
    (22, "应当实施强制性清洁生产企业通过审核的比例", "I24", "exact", "2021"),
    (23, "农药化肥 化肥施用强度\n农药施用强度", "I25", "crosswalk", "2019"),
    (24, "一般工业固体废物综合利用率", "I27", "crosswalk", "2019"),
    (25, "集中式饮用水水源地水质优良比例", "I28", "exact", "2021"),
    (26, "城镇污水处理率", "I30", "exact", "2021"),
    (27, "城镇生活垃圾无害化处理率", "I32", "exact", "2021"),
    (28, "城镇人均公园绿地面积", "I34", "exact", "2021"),
    (29, "城镇新建绿色建筑比例", "I36", "exact", "2021"),
    (30, "公共交通出行分担率", "I37", "exact", "2021"),
    (31, "生活废弃物综合利用 城镇生活垃圾分类减量化行动 农村生活垃圾集中收集储运", "I38", "crosswalk", "2019"),
    (33, "政府绿色采购比例", "I39", "exact", "2021"),
    (34, "党政领导干部参加生态文明培训的人数比例", "I40", "exact", "2021"),
    (35, "公众对生态文明建设的满意度", "I41", "exact", "2021"),
    (36, "公众对生态文明建设的参与度", "I42", "exact", "2021"),
]


@pytest.mark.parametrize("seq, name, expected, method, version", CHANGDE, ids=lambda v: str(v)[:20])
def test_city_table_of_the_2019_list(matcher, seq, name, expected, method, version):
    m = matcher.match(name)
    assert (m.indicator_id, m.method, m.version) == (expected, method, version)
    assert _accepted(m)


def test_changde_local_and_retired_rows(matcher):
    local = matcher.match("生态文明建设示范镇村创建")  # row 7
    assert (local.indicator_id, local.is_local, local.needs_review) == (None, True, False)
    retired = matcher.match("绿色产品市场占有率 节能家电市场占有率 在售用水器具中节水型器具占比 一次性消费品人均使用量")
    assert (retired.indicator_id, retired.is_retired, retired.is_local, retired.needs_review, retired.version) == (
        None, True, False, False, "2019")


# --- the traps ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "生态文明建设示范镇村创建",  # Hunan provincial, looks like I01 生态文明建设规划
    "绿色有机农产品占农业总值比重",  # 靖州 特色指标 36
    "生态环境投入占GDP比重",  # 靖州 特色指标 37
    "生态环境投入占ＧＤＰ比重",  # full-width letters
])
def test_known_local_indicators_are_local_without_id_or_review(matcher, name):
    m = matcher.match(name)
    assert (m.indicator_id, m.sub_indicator_id, m.is_local, m.needs_review, m.is_retired) == (
        None, None, True, False, False)


@pytest.mark.parametrize("name, expected, method", [
    ("生态质量指数(EQI)", "I10", "alias"),
    ("生态质量指数（EQI）", "I10", "alias"),
    ("生态环境状况（EI）指数", "I10", "exact"),  # the abbreviation drops out of the key
    ("河长制", "I04", "alias"),
    ("河湖岸线保有率", "I19", "alias"),
    ("一般工业固体废物综合利用率", "I27", "crosswalk"),
    ("农药化肥", "I25", "crosswalk"),
    ("生活废弃物综合利用", "I38", "crosswalk"),
    ("生活废弃物综合利用率：（1）城镇生活垃圾分类减量化行动；（2）农村生活垃圾集中收集储运", "I38", "crosswalk"),
    ("规划环评执行率", "I06", "crosswalk"),  # 2016
    ("一般工业固体废物综合利用率提高幅度（鹿寨县属于综合利用率＞60%的地区）", "I27", "exact"),
    ("林草覆盖率：\n山区", "I11", "exact"),
    ("林草覆盖率：\n丘陵地区", "I11", "exact"),
    ("城 镇污水处理率", "I30", "exact"),  # PDF line-join space
    ("单位地区生产总\n值能耗", "I20", "exact"),  # wrapped cell
    ("（1）优良天数比例", "I07", "exact"),
    ("PM₂.₅浓度下降幅度", "I07", "exact"),
    ("劣Ⅴ类水体比例下降幅度", "I08", "exact"),
    ("水质达到或优于III类比例提高幅度", "I08", "exact"),
])
def test_other_wordings_land_on_the_same_entry(matcher, name, expected, method):
    m = matcher.match(name)
    assert (m.indicator_id, m.method) == (expected, method)
    assert _accepted(m)


def test_version_is_reported_only_for_version_specific_wordings(matcher):
    assert matcher.match("农药化肥").version == "2019"
    assert matcher.match("耕地红线").version == "2016"
    assert matcher.match("三大粮食作物化肥农药利用率").version == "2021"
    # written by documents that follow the 2021 list: no evidence of another version
    assert matcher.match("河长制").version is None
    assert matcher.match("生态质量指数(EQI)").version is None


@pytest.mark.parametrize("name, version", [
    ("绿色产品市场占有率", "2019"), ("节能家电市场占有率", "2019"), ("耕地红线", "2016"),
    ("国家生态文明建设示范乡镇占比", "2016"), ("节能、节水器具普及率", "2016"),
])
def test_retired_indicators_have_no_id(matcher, name, version):
    m = matcher.match(name)
    assert (m.indicator_id, m.is_retired, m.is_local, m.needs_review, m.method, m.version) == (
        None, True, False, False, "crosswalk", version)


# --- the published lists (catalogue-2021.md, "Checked against published texts (2026-11)") ---------

@pytest.mark.parametrize("name, expected, sub_id, method, version", [
    # 2016 trial list
    ("农村卫生厕所普及率", "I35", None, "crosswalk", "2016"),  # renamed
    ("单位地区生产总值能耗", "I20", None, "exact", "2021"),  # the 2016 name is the 2021 name: crosswalk row, exact hit
    ("单位工业用地工业增加值", None, None, "crosswalk", "2016"),  # retired
    ("危险废物安全处置率", "I14", None, "crosswalk", "2016"),  # lower confidence, still mapped
    ("污染场地环境监管体系", "I15", None, "crosswalk", "2016"),
    ("生态环境状况指数(EI)", "I10", None, "exact", "2021"),
    # 2024 wordings of 2021 slots
    ("集中式饮用水水源水质达到或优于Ⅲ类比例", "I28", None, "crosswalk", "2024"),  # renamed
    ("突发环境事件应急管理机制", "I16", None, "crosswalk", "2024"),
    ("PM2.5浓度", "I07", "I07.2", "crosswalk", "2024"),  # changed measure: still that slot
    ("地表水达到或好于Ⅲ类水体比例", "I08", "I08.1", "crosswalk", "2024"),
    ("地级及以上城市建成区黑臭水体消除率", "I08", "I08.3", "crosswalk", "2024"),
    ("外来物种入侵防控", "I12", "I12.2", "crosswalk", "2024"),
    ("森林覆盖率", "I11", None, "crosswalk", None),  # a 2016-era and a 2024 wording: evidence of neither
    ("生态质量指数(EQI)", "I10", None, "alias", None),
])
def test_published_wordings_of_other_lists(matcher, name, expected, sub_id, method, version):
    m = matcher.match(name)
    assert (m.indicator_id, m.sub_indicator_id, m.method, m.version) == (expected, sub_id, method, version)
    assert not m.needs_review and not m.is_local and not m.is_new


@pytest.mark.parametrize("name", [
    "声环境功能区夜间达标率", "城市生活污水集中收集率", "较大面积农村黑臭水体整治率", "生物多样性调查",
    "非化石能源占能源消费总量比重", "领导干部自然资源资产离任审计", "城市生活垃圾回收利用率",
])
def test_indicators_new_in_2024_keep_no_id_and_are_not_local(matcher, name):
    m = matcher.match(name)
    assert (m.indicator_id, m.sub_indicator_id, m.method, m.version) == (None, None, "crosswalk", "2024")
    assert m.is_new and not m.is_local and not m.is_retired and not m.needs_review
    assert matcher.find_mentions(f"推进{name}工作") == []


def test_a_2024_only_indicator_is_not_forced_onto_its_look_alike(matcher):
    """城市生活污水集中收集率 is not I30 城镇污水处理率; written with a small slip it goes to review."""
    m = matcher.match("城市生活污水集中收集率（%）")
    assert m.indicator_id is None and m.is_new
    slip = matcher.match("城市生活污水集中收集比率")
    assert slip.indicator_id is None and slip.needs_review


def test_a_2024_only_sub_row_keeps_its_parent_without_a_sub_id(matcher):
    m = matcher.match_sub("I08", "地下水国控点位Ⅴ类水比例")
    assert (m.indicator_id, m.sub_indicator_id, m.is_new, m.needs_review) == ("I08", None, True, False)
    assert matcher.match_sub(None, "地下水国控点位Ⅴ类水比例").is_new


def test_serious_environmental_incidents_stay_unmapped(matcher):
    """重、特大突发环境事件 (2016-era) measures something else than I16: no ID, not local, no review."""
    m = matcher.match("重、特大突发环境事件")
    assert (m.indicator_id, m.is_retired, m.is_local, m.needs_review, m.version) == (None, True, False, False, "2016")
    assert matcher.find_mentions("杜绝重、特大突发环境事件") == []


def test_the_2016_variant_of_forest_cover(matcher):
    m = matcher.match("森林覆盖率：\n山区\n高寒区或草原区")
    assert (m.indicator_id, m.needs_review) == ("I11", False)


@pytest.mark.parametrize("names, cited, expected", [
    # a city table following the 2024 list: its wordings are evidence of 2024
    (["集中式饮用水水源水质达到或优于Ⅲ类比例", "PM2.5浓度", "声环境功能区夜间达标率", "生态文明建设规划"], "unknown", "2024"),
    # entries new in 2021 outnumber a stray 2024 wording
    (["三大粮食作物化肥农药利用率", "农村生活污水治理率", "PM2.5浓度"], "unknown", "2021"),
    (["农药化肥", "生态文明建设规划"], "unknown", "2019"),
    (["农村卫生厕所普及率", "耕地红线"], "unknown", "2016"),
    (["森林覆盖率", "生态质量指数(EQI)"], "unknown", "unknown"),  # wordings of no one version: no evidence
    (["农药化肥"], "2024", "2024"),  # a citation wins
])
def test_catalogue_version_follows_the_wordings(matcher, names, cited, expected):
    votes = Counter()
    for name in names:
        m = matcher.match(name)
        if m.version:
            votes[m.version] += 1
            if m.version == "2021" and m.indicator_id in _NEW_IN_2021:
                votes["2021-only"] += 1
    assert _catalogue_version(cited, votes) == expected


def test_a_sub_indicator_name_alone_names_its_parent(matcher):
    m = matcher.match("生态保护红线")
    assert (m.indicator_id, m.sub_indicator_id, m.method) == ("I17", "I17.1", "exact")


# --- fuzzy and review -----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("党政领导干部参加生态文明培训的比例", "I40"),  # 常德 prose drops 人数
    ("公众对生态文明建设满意度", "I41"),
    ("单位地区生产总值能耗量", "I20"),
])
def test_fuzzy_accepts_a_small_damage_with_a_clear_margin(matcher, name, expected):
    m = matcher.match(name)
    assert (m.indicator_id, m.method, m.needs_review) == (expected, "fuzzy", False)
    assert m.score >= AUTO_ACCEPT


@pytest.mark.parametrize("name, suggestion", [
    ("农村生活垃圾无害化处理率", "I33 农村生活垃圾无害化处理村占比"),  # 卢氏 prose: not the same measure
    ("生态环境状况", "I10 生态环境状况指数"),
    ("林草覆盖指数", "I11 林草覆盖率"),  # an EI component, not 林草覆盖率
    ("公众对生态文明建设的参与度和满意度", None),  # names two entries
    ("生态文明建设示范乡镇创建", None),
])
def test_doubtful_names_get_no_id_and_go_to_review(matcher, name, suggestion):
    m = matcher.match(name)
    assert (m.indicator_id, m.needs_review, m.method) == (None, True, "none")
    assert m.suggestion and m.reason
    if suggestion:
        assert m.suggestion == suggestion


def test_unknown_name_is_kept_as_local_and_flagged(matcher):
    m = matcher.match("森林蓄积量增长率")
    assert (m.indicator_id, m.is_local, m.needs_review, m.method) == (None, True, True, "none")


def test_head_with_a_foreign_tail_is_not_accepted(matcher):
    m = matcher.match("环境空气质量：\n森林蓄积量")
    assert (m.indicator_id, m.needs_review, m.suggestion) == (None, True, "I07 环境空气质量")


def test_empty_name(matcher):
    m = matcher.match(" \n：")
    assert (m.indicator_id, m.method, m.needs_review) == (None, "none", False)


def test_answers_are_cached(matcher):
    assert matcher.match("党政领导干部参加生态文明培训的比例") is matcher.match("党政领导干部参加生态文明培训的比例")


# --- sub-rows -------------------------------------------------------------------------------

@pytest.mark.parametrize("parent, name, sub_id, method", [
    ("I07", "优良天数比例", "I07.1", "exact"),
    ("I07", "PM2.5浓度下降幅度", "I07.2", "exact"),
    ("I08", "劣V类水体比例下降幅度", "I08.2", "exact"),
    ("I08", "（3）黑臭水体消除比例", "I08.3", "exact"),
    ("I12", "外来物种入侵", "I12.2", "exact"),
    ("I17", "生态保护红线", "I17.1", "exact"),
    ("I25", "（1）化肥利用率", "I25.1", "exact"),
    ("I25", "（2）农药利用率", "I25.2", "exact"),
    ("I26", "畜禽粪污综合利用率", "I26.2", "exact"),
])
def test_sub_rows(matcher, parent, name, sub_id, method):
    m = matcher.match_sub(parent, name)
    assert (m.indicator_id, m.sub_indicator_id, m.method) == (parent, sub_id, method)
    assert _accepted(m)


@pytest.mark.parametrize("parent, name", [
    ("I25", "主要农作物化肥亩均施用量 "),  # 靖州 row 20, with the dump's trailing space
    ("I25", "主要农作物农药亩均使用量"),
])
def test_local_sub_rows_keep_the_parent(matcher, parent, name):
    m = matcher.match_sub(parent, name)
    assert (m.indicator_id, m.sub_indicator_id, m.is_local, m.needs_review) == (parent, None, True, False)


@pytest.mark.parametrize("parent, name", [
    ("I27", "综合利用率≤60%的地区"), ("I27", "综合利用率>60%的地区"), ("I27", "综合利用率＞60%的地区"),
    ("I11", "山区"), ("I11", "丘陵地区"), ("I11", "平原地区"), ("I30", "县"), ("I37", "超、特大城市"),
])
def test_scope_rows_are_not_sub_indicators(matcher, parent, name):
    m = matcher.match_sub(parent, name)
    assert (m.indicator_id, m.sub_indicator_id, m.method, m.reason, m.needs_review, m.is_local) == (
        parent, None, "none", "scope", False, False)


@pytest.mark.parametrize("parent, name, method, version", [
    ("I25", "化肥施用强度", "crosswalk", "2019"), ("I25", "农药施用强度", "crosswalk", "2019"),
    ("I38", "农村生活垃圾集中收集储运", "crosswalk", "2019"),
    ("I38", "城镇生活垃圾分类减量化行动", "exact", "2021"),  # 常德 row 31: the 2019 sub-item is the 2021 indicator
])
def test_2019_sub_rows_without_a_2021_sub_indicator(matcher, parent, name, method, version):
    m = matcher.match_sub(parent, name)
    assert (m.indicator_id, m.sub_indicator_id, m.method, m.version, m.needs_review) == (
        parent, None, method, version, False)


def test_retired_sub_rows_under_an_unmatched_parent(matcher):
    m = matcher.match_sub(None, "在售用水器具中节水型器具占比")
    assert (m.indicator_id, m.is_retired) == (None, True)


def test_sub_row_of_another_indicator_is_flagged(matcher):
    m = matcher.match_sub("I07", "国家重点保护野生动植物保护率")
    assert (m.indicator_id, m.sub_indicator_id, m.needs_review) == ("I07", None, True)
    assert m.suggestion == "I12.1 国家重点保护野生动植物保护率"


def test_unknown_sub_row_is_flagged(matcher):
    m = matcher.match_sub("I07", "臭氧浓度")
    assert (m.indicator_id, m.sub_indicator_id, m.is_local, m.needs_review) == ("I07", None, True, True)


def test_near_miss_sub_row_goes_to_review(matcher):
    m = matcher.match_sub("I07", "优良天数占比")
    assert (m.sub_indicator_id, m.needs_review, m.suggestion) == (None, True, "I07.1 优良天数比例")


def test_unknown_parent_id_is_a_programming_error(matcher):
    with pytest.raises(ValueError):
        matcher.match_sub("I99", "优良天数比例")


# --- packed cells ---------------------------------------------------------------------------

@pytest.mark.parametrize("cell, head, items", [
    ("环境空气质量 优良天数比例 PM2.5浓度下降幅度", "环境空气质量", ["优良天数比例", "PM2.5浓度下降幅度"]),
    ("水环境质量\n（1）水质达到或优于Ⅲ类比例提高幅度\n（2）劣V类水体比例下降幅度\n（3）黑臭水体消除比例", "水环境质量",
     ["水质达到或优于Ⅲ类比例提高幅度", "劣V类水体比例下降幅度", "黑臭水体消除比例"]),
    ("农药化肥 化肥施用强度\n农药施用强度", "农药化肥", ["化肥施用强度", "农药施用强度"]),
    ("林草覆盖率 山区 丘陵地区 平原地区", "林草覆盖率", ["山区", "丘陵地区", "平原地区"]),
    ("生物多样性保护 国家重点保护野生动植物保护率 外来物种入侵 特有性或指示性水生物种保持率", "生物多样性保护",
     ["国家重点保护野生动植物保护率", "外来物种入侵", "特有性或指示性水生物种保持率"]),
    ("林草覆盖率：\n山区", "林草覆盖率", ["山区"]),
    ("三大粮食作物化肥农药利用率：", "三大粮食作物化肥农药利用率", []),
    ("单位地区生产总\n值能耗", "单位地区生产总值能耗", []),  # a wrapped name is glued back
    ("自然生态空间\n（1）生态\n保护红线\n（2）自然保护地", "自然生态空间", ["生态保护红线", "自然保护地"]),
    ("绿色有机农产品占\n农业总值比重", "绿色有机农产品占农业总值比重", []),
    ("某县特色指标\n（1）甲项\n（2）乙项", "某县特色指标", ["甲项", "乙项"]),  # unknown, but enumerated
    ("某县特色\n指标", "某县特色指标", []),  # unknown without cues: one wrapped name
])
def test_split_packed(matcher, cell, head, items):
    assert matcher.split_packed(cell) == (head, items)


# --- mentions in free text --------------------------------------------------------------------

@pytest.mark.parametrize("text, ids", [
    # 004 卢氏 prose
    ("确保我县生态环境状况指数 ≥60%", ["I10"]),
    ("进一步提高我县林草覆盖指数、水源涵养指数，确保我县生态环境状况指数 $\\geq 60\\%$ ，保持稳中趋好。", ["I10"]),
    ("确保党政领导干部参加生态文明培训的人数比例达到100%", ["I40"]),
    ("继续推行河长制，明确河长职责，严格落实河长制工作联席会议", ["I04"]),
    ("2.建立建设用地土壤污染风险管控和修复名录制度，强化多部门联合监管工作机制", ["I15"]),
    ("加强区域内工业企业的监管，确保一般工业固体废物综合利用率保持80%以上。", ["I27"]),
    ("群众对生态文明建设的知晓度、参与度和满意度得到持续提高", []),
    # 002 鹿寨 task (四)
    ("稳定提高黑臭水体消除比例，完成“黑臭水体消除比例”的考核目标。", ["I08"]),
    # 000 靖州 project 针对指标 cells, as dumped
    ("水环境质量、集中式饮用水水源地水质优良比例、村镇饮用水卫生合格率", ["I08", "I28", "I29"]),
    ("单位地区生产总\n值能耗、碳排放强\n度、农业废弃物综\n合利用率", ["I20", "I23", "I26"]),
    ("城镇生活垃圾分\n类减量化行动、农\n村生活垃圾集中\n收集储运", ["I38"]),
    ("城镇污水处理率\n单位地区生产总值用水量", ["I30", "I21"]),
    ("应当实施强制性\n清洁生产企业通\n过审核比例", ["I24"]),
    ("党政领导干部参\n加生态文明培训\n的人数比例", ["I40"]),
    ("城镇人均公园绿地\n面积", ["I34"]),
    ("河湖岸线保有率", ["I19"]),
    ("生态保护红线", ["I17"]),
    ("环境信息公开率", ["I05"]),
    ("生态文明建设示范镇村创建", []),  # local
    ("绿色产品市场占有率", []),  # retired
    # cut off at a page break: a unique prefix of ≥6 characters
    ("建设用地土壤污", ["I15"]),
    ("农村无害化卫生厕所", ["I35"]),
    ("水环境质量、建设用地土壤污", ["I08", "I15"]),
    # too short or shared by several entries: left alone
    ("生态文明建设", []),
    ("城镇生活垃圾", []),
    ("加快推进生态文明建设", []),
])
def test_find_mentions(matcher, text, ids):
    assert matcher.find_mentions(text) == ids


# --- properties -----------------------------------------------------------------------------

CJK_TEXT = st.text(alphabet=st.sampled_from("生态文明建设规划河湖长制指数率比例、，：（）山区县市"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_match_never_raises_and_never_claims_two_things(matcher, text):
    m = matcher.match(text)
    assert 0 <= m.score <= 100
    assert m.method in ("exact", "alias", "crosswalk", "fuzzy", "none")
    if m.indicator_id is not None:
        assert not m.is_local and not m.is_retired and m.method != "none"
    if m.is_retired:
        assert m.indicator_id is None and not m.is_local
    if m.sub_indicator_id:
        assert m.sub_indicator_id.startswith(m.indicator_id + ".")
    matcher.split_packed(text)
    matcher.match_sub("I07", text)
    assert all(i.startswith("I") for i in matcher.find_mentions(text))


@settings(max_examples=200, deadline=None)
@given(CJK_TEXT, st.lists(st.sampled_from([" ", "\n", "\u3000", "\t"]), min_size=1, max_size=3), st.integers(0, 30))
def test_key_ignores_wraps_and_spaces_inside_cjk(text, spaces, at):
    at = min(at, len(text))
    assert name_key(text[:at] + "".join(spaces) + text[at:]) == name_key(text)
    assert name_key(repair_spaces(text)) == name_key(text)


@settings(max_examples=200, deadline=None)
@given(CJK_TEXT)
def test_key_ignores_width(text):
    fullwidth = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert name_key(fullwidth) == name_key(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_trailing_note_split_keeps_every_character(text):
    core, note = split_trailing_note(text)
    if note is None:
        assert core == text
    else:
        stripped = text.strip()
        assert core and stripped.startswith(core) and stripped.endswith(note)
        assert stripped[len(core):len(stripped) - len(note)].strip() == ""
        assert note[0] in "（(" and note[-1] in "）)"
    clean_name(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("生态环境空气质量优良天数比例林草覆盖率山区 \n："), max_size=30))
def test_split_packed_loses_no_text(matcher, cell):
    head, items = matcher.split_packed(cell)
    assert name_key(head + "".join(items)) == name_key(cell)


def test_sub_row_with_a_trailing_unit_note(matcher):
    m = matcher.match_sub("I26", "秸秆综合利用率（%）")
    assert (m.sub_indicator_id, m.method) == ("I26.1", "exact")


@pytest.mark.parametrize(("name", "indicator", "sub"), [
    ("环境空气质量优良天数比例", "I07", "I07.1"),  # a parent's name run into its sub-indicator's
    ("环境空气质量PM2.5浓度下降幅度", "I07", "I07.2"),
    ("水环境质量水质达到或优于Ⅲ类比例提高幅度", "I08", "I08.1"),
])
def test_parent_name_run_into_its_sub_indicator(name, indicator, sub):
    from planingest.normalize.vocabulary import get_vocabulary

    match = get_vocabulary(None).indicators.match(name)
    assert (match.indicator_id, match.sub_indicator_id, match.needs_review) == (indicator, sub, False)
